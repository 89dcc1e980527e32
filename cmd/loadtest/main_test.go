package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func runJSON(t *testing.T, args ...string) report {
	t.Helper()
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("the load test reads memory from /proc, which this system lacks")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	if err := run(ctx, append([]string{"loadtest", "-json"}, args...), os.Getenv, &stdout, &stderr); err != nil {
		t.Fatalf("run %v: %v\n%s", args, err, stderr.String())
	}
	var rep report
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, stdout.String())
	}
	return rep
}

func checkPhase(t *testing.T, name string, p phaseReport, latency time.Duration) {
	t.Helper()
	if p.OK == 0 || p.RPS <= 0 {
		t.Errorf("%s: %d ok requests at %.1f rps, want some", name, p.OK, p.RPS)
	}
	if p.Errors != 0 || p.Statuses["200"] != p.Requests {
		t.Errorf("%s: %d errors, statuses %v", name, p.Errors, p.Statuses)
	}
	floor := float64(latency.Milliseconds())
	if d := p.Latency; d.P50 < floor || d.P90 < d.P50 || d.P99 < d.P90 || d.Max < d.P99 {
		t.Errorf("%s: latency %+v, want ordered percentiles of at least the fake's %v", name, d, latency)
	}
}

// TestRunSteady runs the real server, built by run itself, against the
// in-process fake with a few clients for a second: over plain HTTP/1.1, and
// with -tls over TLS and HTTP/2, for the server's SDK and the baseline alike.
func TestRunSteady(t *testing.T) {
	for _, tc := range []struct {
		name  string
		args  []string
		proto string // what the fake must have seen, and nothing else
	}{
		{"http1", nil, "HTTP/1.x"},
		{"tls", []string{"-tls"}, "HTTP/2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := runJSON(t, append([]string{"-clients", "20", "-duration", "1s", "-warmup", "200ms", "-latency", "50ms"}, tc.args...)...)
			checkPhase(t, "service", rep.Service, 50*time.Millisecond)
			if rep.Baseline == nil {
				t.Fatal("no baseline in the report")
			}
			checkPhase(t, "baseline", *rep.Baseline, 50*time.Millisecond)
			if got, want := rep.FakeTLS, tc.args != nil; got != want {
				t.Errorf("report fakeTLS %v, want %v", got, want)
			}
			for name, p := range map[string]phaseReport{"service": rep.Service, "baseline": *rep.Baseline} {
				if p.Fake == nil {
					t.Fatalf("%s: no report of what the fake saw", name)
				}
				if got := p.Fake.Protocols; len(got) != 1 || got[tc.proto] < int64(p.Requests) {
					t.Errorf("%s: the fake saw %v for %d requests, want all %s", name, got, p.Requests, tc.proto)
				}
				if f := p.Fake; f.PeakConns < 1 || f.ServerErrors != 0 {
					t.Errorf("%s: the fake saw %+v, want connections and no errors", name, f)
				}
			}
			if o, l := rep.Service.Overhead, rep.Service.LLM; o == nil || l == nil || l.P50 < 50 || o.Max < 0 {
				t.Errorf("Server-Timing not read: overhead %+v, llm %+v", o, l)
			}
			if rep.Service.WarmupRequests == 0 {
				t.Error("no request counted as warm-up")
			}
			if rep.EndToEndOverhead == nil {
				t.Error("no end-to-end overhead")
			}
			if s, b := rep.Service, rep.Baseline; s.CPUMsPerRequest <= 0 || s.LoadTestCPUMsPerRequest <= 0 || b.LoadTestCPUMsPerRequest <= 0 || b.CPUMsPerRequest != 0 {
				t.Errorf("CPU per request: service %v (load test %v), fake alone %v (load test %v); want the server's in the service phase only",
					s.CPUMsPerRequest, s.LoadTestCPUMsPerRequest, b.CPUMsPerRequest, b.LoadTestCPUMsPerRequest)
			}
			if m := rep.Memory; m == nil || m.IdleBytes <= 0 || m.PeakBytes < m.IdleBytes || m.Samples == 0 {
				t.Errorf("memory %+v (%s), want idle > 0 and peak >= idle", m, rep.MemoryError)
			}
		})
	}
}

// TestRunBurst sends 50 requests at once through a prebuilt server and
// checks that they were all in flight together.
func TestRunBurst(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "server")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/llm-testing/llm-testing/cmd/server").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	rep := runJSON(t, "-mode", "burst", "-clients", "50", "-latency", "500ms", "-server-bin", bin, "-baseline=false", "-server-env", "LOG_FORMAT=text")
	checkPhase(t, "service", rep.Service, 500*time.Millisecond)
	if rep.Service.OK != 50 {
		t.Errorf("%d ok requests, want 50", rep.Service.OK)
	}
	if s := rep.Service; s.PeakInFlight < 2 || s.PeakInFlight > 50 || s.PeakSent < s.PeakInFlight || s.PeakSent > 50 {
		t.Errorf("peak in flight %d at the fake, %d sent; want 2..50 and as many sent", s.PeakInFlight, s.PeakSent)
	}
	if rep.Baseline != nil {
		t.Error("baseline ran with -baseline=false")
	}
	if got := strings.Join(rep.ServerEnv, " "); got != "LOG_FORMAT=text" {
		t.Errorf("server env %q, want LOG_FORMAT=text", got)
	}
	m := rep.Memory
	if m == nil || m.PeakBytes < m.IdleBytes || m.PerInFlightBytes != m.GrowthBytes/rep.Service.PeakSent || m.PerAtFakeBytes != m.GrowthBytes/rep.Service.PeakInFlight {
		t.Errorf("memory %+v (%s)", m, rep.MemoryError)
	}
}

func TestServerTiming(t *testing.T) {
	for _, tc := range []struct {
		name, header string
		total, llm   float64
	}{
		{"both", "total;dur=12.50, llm;dur=10.25", 12.5, 10.25},
		{"no llm", "total;dur=0.40", 0.4, -1},
		{"description first", `llm;desc="model";dur=3, total;dur=4`, 4, 3},
		{"empty", "", -1, -1},
		{"garbage", "total;dur=abc", -1, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			total, llm := serverTiming(tc.header)
			if total != tc.total || llm != tc.llm {
				t.Errorf("serverTiming(%q) = %v, %v; want %v, %v", tc.header, total, llm, tc.total, tc.llm)
			}
		})
	}
}

func TestNewDist(t *testing.T) {
	xs := make([]float64, 0, 100)
	for i := 100; i >= 1; i-- {
		xs = append(xs, float64(i))
	}
	d := newDist(xs)
	if d.P50 != 50 || d.P90 != 90 || d.P99 != 99 || d.Max != 100 || d.Mean != 50.5 {
		t.Errorf("newDist(1..100) = %+v", d)
	}
	if got := newDist([]float64{7}); got.P50 != 7 || got.P99 != 7 {
		t.Errorf("newDist([7]) = %+v", got)
	}
}

func TestParseFlags(t *testing.T) {
	o, err := parseFlags([]string{"-mode", "burst"}, 20000, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if o.clients != 9000 || o.latency != 2*time.Second || o.rounds != 1 {
		t.Errorf("burst defaults: %d clients, latency %v, %d rounds; want 9000, 2s, 1", o.clients, o.latency, o.rounds)
	}
	if o, _ := parseFlags([]string{"-mode", "burst"}, 4096, io.Discard); o.clients != (4096-fdMargin)/2 {
		t.Errorf("burst under a 4096 limit: %d clients", o.clients)
	}
	o, err = parseFlags(nil, 20000, io.Discard)
	if err != nil || o.clients != 500 || o.latency != time.Second || o.duration != 20*time.Second || o.rounds != 3 || !o.baseline || o.tls {
		t.Errorf("defaults: %+v, %v; want 500 clients, 1s, 20s, 3 rounds, baseline, no TLS", o, err)
	}
	for _, args := range [][]string{
		{"-mode", "spike"}, {"-clients", "0"}, {"-clients", "12000"}, {"-duration", "0s"},
		{"-log-level", "loud"}, {"-h2-max-streams", "100"}, {"-tls", "-h2-max-streams", "-1"}, {"-warmup", "-1s"}, {"-server-env", "NOEQUALS"}, {"-transcript-bytes", "0"}, {"extra"},
	} {
		if _, err := parseFlags(args, 20000, io.Discard); err == nil {
			t.Errorf("parseFlags(%q) accepted", args)
		}
	}
}

func TestDialLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"10.0.0.1:80", "example.com:443", "[2001:db8::1]:80"} {
		_, err := dialLoopback(context.Background(), "tcp", addr)
		if err == nil || !strings.Contains(err.Error(), "loopback") {
			t.Errorf("dialLoopback(%s) = %v, want a refusal", addr, err)
		}
	}
}

// TestSteadyStaggersClients: with a stagger the clients' first requests
// arrive spread over it, not together.
func TestSteadyStaggersClients(t *testing.T) {
	for _, tc := range []struct {
		name     string
		stagger  time.Duration
		min, max time.Duration // the first arrivals' spread
	}{{"stagger", 200 * time.Millisecond, 150 * time.Millisecond, time.Second}, {"none", 0, 0, 100 * time.Millisecond}} {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			first := map[string]time.Time{}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				if _, ok := first[r.RemoteAddr]; !ok {
					first[r.RemoteAddr] = time.Now()
				}
				mu.Unlock()
				time.Sleep(20 * time.Millisecond)
			}))
			defer srv.Close()
			const clients = 10
			client := &http.Client{Transport: newTransport(clients)}
			defer client.CloseIdleConnections()
			ph := steady(context.Background(), client, target{url: srv.URL, header: http.Header{}}, clients, tc.stagger, 0, 300*time.Millisecond)
			if len(ph.samples) == 0 {
				t.Fatal("no requests")
			}
			mu.Lock()
			defer mu.Unlock()
			var lo, hi time.Time
			for _, at := range first {
				if lo.IsZero() || at.Before(lo) {
					lo = at
				}
				if at.After(hi) {
					hi = at
				}
			}
			if got := hi.Sub(lo); len(first) != clients || got < tc.min || got > tc.max {
				t.Errorf("%d connections, first requests spread over %v; want %d over %v to %v", len(first), got, clients, tc.min, tc.max)
			}
		})
	}
}
