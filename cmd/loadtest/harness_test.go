package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/llm-testing/llm-testing/api"
	"github.com/llm-testing/llm-testing/internal/auth"
	"github.com/llm-testing/llm-testing/internal/bedrock/bedrocktest"
	"github.com/llm-testing/llm-testing/internal/config"
	"github.com/llm-testing/llm-testing/internal/memlimit"
	"github.com/llm-testing/llm-testing/internal/summarizer"
)

// harnessPprofVar, when set, makes the test binary the profiling harness:
// the service wired as cmd/server wires it, plus net/http/pprof on the
// address it names.
const harnessPprofVar = "LOADTEST_HARNESS_PPROF"

func TestMain(m *testing.M) {
	if addr := os.Getenv(harnessPprofVar); addr != "" {
		if err := serveHarness(addr); err != nil {
			fmt.Fprintln(os.Stderr, "harness:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// serveHarness serves the API as cmd/server's serve does (same summarizer
// chain and http.Server timeouts) until killed, with pprof on pprofAddr.
func serveHarness(pprofAddr string) error {
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return err
	}
	cfg.MemoryBudget = cfg.AdmissionBudget(memlimit.Detect().Bytes)
	log := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	// The access line is written whatever LOG_LEVEL says, as cmd/server does.
	access := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: min(cfg.LogLevel, slog.LevelInfo)}))
	keys, err := auth.Parse(cfg.APIKeys)
	if err != nil {
		return err
	}
	s, err := summarizer.New(context.Background(), cfg, log)
	if err != nil {
		return err
	}
	pmux := http.NewServeMux()
	pmux.HandleFunc("/debug/pprof/", pprof.Index)
	pmux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	pmux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	go func() { _ = http.ListenAndServe(pprofAddr, pmux) }()
	srv := &http.Server{
		Addr: "127.0.0.1:" + strconv.Itoa(cfg.Port),
		Handler: api.NewServer(api.Deps{Logger: log, AccessLogger: access, Config: cfg, Summarizer: s, SummarizerName: string(cfg.Summarizer),
			Keys: keys, Version: "harness", State: new(api.State)}),
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: cfg.BedrockTimeout + 30*time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 64 << 10,
	}
	return srv.ListenAndServe()
}

var (
	inflightN       = flag.Int("inflight.n", 2000, "BenchmarkInFlight: requests held in flight at once")
	inflightOut     = flag.String("inflight.out", "", "BenchmarkInFlight: directory for the heap and goroutine profiles taken at the peak")
	inflightTLS     = flag.Bool("inflight.tls", false, "BenchmarkInFlight and BenchmarkServiceCPU: the fake over TLS with HTTP/2, as Bedrock")
	inflightBytes   = flag.Int("inflight.bytes", 2048, "BenchmarkInFlight and BenchmarkServiceCPU: transcript bytes")
	inflightText    = flag.String("inflight.text", textCall, "BenchmarkInFlight and BenchmarkServiceCPU: call or accented")
	inflightStream  = flag.Bool("inflight.stream", false, "BenchmarkInFlight and BenchmarkServiceCPU: the streaming endpoint")
	inflightStreams = flag.Int("inflight.h2streams", 0, "with -inflight.tls: the fake's HTTP/2 streams per connection (0: Go's 250)")
)

// BenchmarkInFlight holds -inflight.n requests in flight at once in the
// service (run as a subprocess of this test binary, with pprof) and reports
// what each costs: RSS growth, heap and stack in use. With -inflight.out it
// keeps the heap profile (after a GC, so live objects only) and goroutine
// dump taken at the peak; -inflight.tls puts the fake behind TLS and HTTP/2:
//
//	go test -run '^$' -bench InFlight -benchtime 1x ./cmd/loadtest -args -inflight.out /tmp/inflight
//	go tool pprof -top -sample_index inuse_space /tmp/inflight/heap.pprof
//	go test -run '^$' -bench InFlight -benchtime 1x ./cmd/loadtest -args -inflight.tls -inflight.out /tmp/inflight-tls
func BenchmarkInFlight(b *testing.B) {
	n := *inflightN
	if _, err := raiseFileLimit(); err != nil {
		b.Fatal(err)
	}
	out := *inflightOut
	if out == "" {
		out = b.TempDir()
	} else if err := os.MkdirAll(out, 0o755); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		holdInFlight(b, n, out)
	}
}

func holdInFlight(b *testing.B, n int, out string) {
	ctx := context.Background()
	h := startHarness(b, n, 5*time.Second)
	fake, svc, client, t, pport := h.fake, h.svc, h.client, h.target, h.pprofPort
	pid := svc.cmd.Process.Pid
	idle, err := readMemory(pid)
	if err != nil {
		b.Fatal(err)
	}
	before := memStats(b, pport, false)
	fake.reset()
	done := make(chan phase, 1)
	go func() { done <- burst(ctx, client, t, n) }()
	// A chunked request holds a call per chunk at once: the figures are
	// per request, the calls held over the calls each request holds.
	calls := int64(h.callsHeld)
	deadline := time.Now().Add(4 * time.Second)
	for fake.inflight.Load() < int64(n)*calls && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	held := max(1, fake.inflight.Load()/calls)
	peak, err := readMemory(pid)
	if err != nil {
		b.Fatal(err)
	}
	at := memStats(b, pport, false)
	goroutines := get(b, pport, "goroutine?debug=1")
	if err := os.WriteFile(filepath.Join(out, "goroutines.txt"), []byte(goroutines), 0o644); err != nil {
		b.Fatal(err)
	}
	var nGoroutines int64
	_, _ = fmt.Sscanf(goroutines, "goroutine profile: total %d", &nGoroutines)
	save(b, pport, "heap?gc=1", filepath.Join(out, "heap.pprof"))
	live := memStats(b, pport, true)
	ph := <-done
	if r := summarizePhase(ph, held); r.Errors != 0 {
		b.Errorf("%d errors: %v", r.Errors, r.Statuses)
	}
	per := func(x int64) float64 { return float64(x) / float64(held) }
	b.ReportMetric(float64(held), "inflight")
	b.ReportMetric(float64(calls), "calls/req")
	b.ReportMetric(per(peak.rss-idle.rss), "rss-B/req")
	b.ReportMetric(per(at["HeapInuse"]-before["HeapInuse"]), "heapinuse-B/req")
	b.ReportMetric(per(live["HeapAlloc"]-before["HeapAlloc"]), "live-B/req")
	b.ReportMetric(per(at["StackInuse"]-before["StackInuse"]), "stack-B/req")
	b.ReportMetric(per(nGoroutines), "goroutines/req")
	fs := fake.stats()
	b.ReportMetric(float64(fs.ConnsAccepted), "fake-conns")
	b.Logf("%d requests in flight, %d calls each (fake saw %s, %d connections, at most %d open): RSS %s -> %s; HeapInuse %s -> %s (live after GC %s), StackInuse %s -> %s, Sys %s -> %s, NumGC %d, %d goroutines; profiles in %s",
		held, calls, protocolCounts(fs.Protocols), fs.ConnsAccepted, fs.PeakConns, mib(idle.rss), mib(peak.rss), mib(before["HeapInuse"]), mib(at["HeapInuse"]), mib(live["HeapAlloc"]),
		mib(before["StackInuse"]), mib(at["StackInuse"]), mib(before["Sys"]), mib(at["Sys"]), at["NumGC"], nGoroutines, out)
}

// harness is the service under pprof, its fake and a client for it.
type harness struct {
	fake      *fakeBedrock
	svc       *service
	client    *http.Client
	target    target
	pprofPort int
	// callsHeld is how many calls to the fake one request holds at once:
	// one, or for a chunked request its chunks (summarized concurrently,
	// before the combining call).
	callsHeld int
}

func startHarness(b *testing.B, clients int, latency time.Duration) *harness {
	b.Helper()
	dir := b.TempDir()
	fake, err := startFake(latency, fakeTLS{on: *inflightTLS, maxStreams: *inflightStreams}, dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(fake.close)
	port, _ := freePort()
	pport, _ := freePort()
	o := options{clients: clients, logLevel: "warn"}
	env := append(serviceEnv(port, "loadtest-harness", fake, o, os.Getenv, dir), harnessPprofVar+"=127.0.0.1:"+strconv.Itoa(pport))
	svc, err := startProcess(context.Background(), os.Args[0], env, port, "loadtest-harness", dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = svc.stop() })
	path := "/api/v1/summarize"
	if *inflightStream {
		path += "/stream"
	}
	t := target{url: svc.base + path, body: requestBody(*inflightBytes, *inflightText), header: http.Header{
		"Content-Type": {"application/json"}, "X-Api-Key": {svc.key}}}
	client := &http.Client{Transport: newTransport(clients), Timeout: time.Minute}
	b.Cleanup(client.CloseIdleConnections)
	counter := fake.handler.(*bedrocktest.Fake)
	if s := send(context.Background(), client, t); s.status != 200 {
		b.Fatalf("warm-up: %d %s\n%s", s.status, s.errKind, svc.logTail())
	}
	calls := counter.Count() // the chunks and the combining call, or one
	if calls > 1 {
		calls--
	}
	return &harness{fake: fake, svc: svc, client: client, target: t, pprofPort: pport, callsHeld: calls}
}

var (
	cpuClients  = flag.Int("cpu.clients", 50, "BenchmarkServiceCPU: clients, each sending one request after another")
	cpuLatency  = flag.Duration("cpu.latency", 100*time.Millisecond, "BenchmarkServiceCPU: the fake's latency")
	cpuDuration = flag.Duration("cpu.duration", 5*time.Second, "BenchmarkServiceCPU: how long clients send")
	cpuTrace    = flag.Duration("cpu.trace", 0, "BenchmarkServiceCPU: also keep this long an execution trace of the service (trace.out), after the CPU profile; the clients send for -cpu.duration plus this")
)

// BenchmarkServiceCPU drives the service (as BenchmarkInFlight runs it)
// with -cpu.clients clients against a -cpu.latency fake for -cpu.duration,
// reports the service's CPU time, garbage collections and bytes allocated
// per request over that window, and keeps a CPU profile of the service (and
// its allocations since it started) in -inflight.out:
//
//	go test -run '^$' -bench ServiceCPU -benchtime 1x ./cmd/loadtest -args -inflight.out /tmp/inflight
//	go test -run '^$' -bench ServiceCPU -benchtime 1x ./cmd/loadtest -args -cpu.clients 1 -cpu.latency 10ms \
//		-inflight.bytes 300000 -inflight.text accented -inflight.out /tmp/cpu
//	go tool pprof -top /tmp/inflight/cpu.pprof
func BenchmarkServiceCPU(b *testing.B) {
	out := *inflightOut
	if out == "" {
		out = b.TempDir()
	} else if err := os.MkdirAll(out, 0o755); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		h := startHarness(b, *cpuClients, *cpuLatency)
		pid := h.svc.cmd.Process.Pid
		before, err := readCPU(pid)
		if err != nil {
			b.Fatal(err)
		}
		gcBefore := memStats(b, h.pprofPort, false)
		done := make(chan phase, 1)
		go func() {
			// Longer by the trace, which is taken after the CPU profile.
			done <- steady(context.Background(), h.client, h.target, *cpuClients, *cpuLatency, 0, *cpuDuration+*cpuTrace)
		}()
		profile := max(1, int((*cpuDuration - time.Second).Seconds()))
		time.Sleep(500 * time.Millisecond)
		save(b, h.pprofPort, "profile?seconds="+strconv.Itoa(profile), filepath.Join(out, "cpu.pprof"))
		if *cpuTrace > 0 {
			save(b, h.pprofPort, "trace?seconds="+strconv.FormatFloat(cpuTrace.Seconds(), 'f', -1, 64), filepath.Join(out, "trace.out"))
		}
		ph := <-done
		after, err := readCPU(pid)
		if err != nil {
			b.Fatal(err)
		}
		gcAfter := memStats(b, h.pprofPort, false)
		save(b, h.pprofPort, "allocs", filepath.Join(out, "allocs.pprof"))
		r := summarizePhase(ph, 0)
		if r.Errors != 0 {
			b.Errorf("%d errors: %v", r.Errors, r.Statuses)
		}
		b.ReportMetric(r.RPS, "rps")
		b.ReportMetric(float64(gcAfter["NumGC"]-gcBefore["NumGC"])/float64(max(1, r.Requests))*1000, "gc/1000req")
		b.ReportMetric(float64(gcAfter["TotalAlloc"]-gcBefore["TotalAlloc"])/float64(max(1, r.Requests)), "alloc-B/req")
		b.ReportMetric(float64((after-before).Microseconds())/1000/float64(max(1, r.Requests)), "cpu-ms/req")
		b.Logf("load average %s", loadAverage())
	}
}

// memStats reads the runtime.MemStats block of the harness's heap profile
// in text form.
func memStats(b *testing.B, port int, gc bool) map[string]int64 {
	b.Helper()
	q := "heap?debug=1"
	if gc {
		q += "&gc=1"
	}
	body := get(b, port, q)
	m := map[string]int64{}
	for _, line := range strings.Split(body, "\n") {
		var name string
		var v, sys int64
		if _, err := fmt.Sscanf(line, "# Stack = %d / %d", &v, &sys); err == nil {
			m["StackInuse"], m["StackSys"] = v, sys
		} else if _, err := fmt.Sscanf(line, "# %s = %d", &name, &v); err == nil {
			m[name] = v
		}
	}
	if m["HeapInuse"] == 0 {
		b.Fatalf("no MemStats in the heap profile")
	}
	return m
}

func save(b *testing.B, port int, q, path string) {
	b.Helper()
	if err := os.WriteFile(path, []byte(get(b, port, q)), 0o644); err != nil {
		b.Fatal(err)
	}
}

func get(b *testing.B, port int, q string) string {
	b.Helper()
	c := &http.Client{Transport: &http.Transport{DialContext: dialLoopback}, Timeout: time.Minute}
	resp, err := c.Get("http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(port)) + "/debug/pprof/" + q)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.Fatal(err)
	}
	return string(body)
}
