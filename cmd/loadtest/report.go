package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
)

// Targets from the issues, which the text report checks: the service's
// own time per request, and the memory a request in flight may hold, a
// fixed part plus a part per transcript byte.
const (
	targetOverheadP99Ms = 2.0
	targetFixedBytes    = 60 << 10
	targetBytesPerByte  = 3
)

// report is the outcome of a run, written as text or JSON.
type report struct {
	Mode             string        `json:"mode"`
	Clients          int           `json:"clients"`
	Duration         string        `json:"duration,omitempty"`
	Warmup           string        `json:"warmup,omitempty"`
	FakeLatency      string        `json:"fakeLatency"`
	FakeTLS          bool          `json:"fakeTLS"`
	FakeH2MaxStreams int           `json:"fakeH2MaxStreams,omitempty"`
	TranscriptBytes  int           `json:"transcriptBytes"`
	TranscriptText   string        `json:"transcriptText"`
	Endpoint         string        `json:"endpoint"`
	ServerLogLevel   string        `json:"serverLogLevel"`
	ServerEnv        []string      `json:"serverEnv,omitempty"`
	CPUs             int           `json:"cpus"`
	OpenFileLimit    uint64        `json:"openFileLimit"`
	LoadAverage      string        `json:"loadAverageBefore"`
	LoadAverageAfter string        `json:"loadAverageAfter"`
	Service          phaseReport   `json:"service"`
	Memory           *memoryReport `json:"memory,omitempty"`
	MemoryError      string        `json:"memoryError,omitempty"`
	Baseline         *phaseReport  `json:"baseline,omitempty"`
	// EndToEndOverhead is the service's latency percentiles minus the
	// fake's alone.
	EndToEndOverhead *dist `json:"endToEndOverheadMs,omitempty"`
	// Rounds are the steady run's rounds (rounds.go); MedianOverheadP99 the
	// median of their end-to-end p99 over the fake alone; Cold the first
	// round's warm-up.
	Rounds            []roundReport  `json:"rounds,omitempty"`
	MedianOverheadP99 *float64       `json:"medianEndToEndOverheadP99Ms,omitempty"`
	RoundsSummary     *roundsSummary `json:"roundsSummary,omitempty"`
	Cold              *coldReport    `json:"cold,omitempty"`
}

func newReport(o options) *report {
	r := &report{
		Mode: o.mode, Clients: o.clients, FakeLatency: o.latency.String(), FakeTLS: o.tls, FakeH2MaxStreams: o.h2MaxStreams, TranscriptBytes: o.transcriptBytes, TranscriptText: o.transcriptText,
		ServerLogLevel: o.logLevel, ServerEnv: o.serverEnv, CPUs: numCPU(), OpenFileLimit: o.fdLimit, LoadAverage: loadAverage(),
	}
	if o.mode == modeSteady {
		r.Duration, r.Warmup = o.duration.String(), o.warmup.String()
	}
	return r
}

// phaseReport sums up one phase. Latency is over 200 answers only; errors
// are counted by status or transport error.
type phaseReport struct {
	Requests       int            `json:"requests"`
	WarmupRequests int            `json:"warmupRequests,omitempty"`
	OK             int            `json:"ok"`
	Errors         int            `json:"errors"`
	ElapsedSeconds float64        `json:"elapsedSeconds"`
	RPS            float64        `json:"rps"`
	Statuses       map[string]int `json:"statuses"`
	PeakInFlight   int64          `json:"peakInFlightAtFake"`
	// PeakSent is the most requests sent and not yet answered at once.
	PeakSent int64 `json:"peakInFlightAtClient"`
	// Fake is what the fake saw in this phase: protocols, connections.
	Fake *fakeStats `json:"fake,omitempty"`
	// CPUSeconds is the server process's user and system time during the
	// phase, its warm-up included (service phases only), and
	// CPUMsPerRequest that over the requests sent in it, warm-up included.
	CPUSeconds      float64 `json:"cpuSeconds,omitempty"`
	CPUMsPerRequest float64 `json:"serverCPUMsPerRequest,omitempty"`
	// LoadTestCPUMsPerRequest is this process's CPU time (the clients and
	// the fake) per request of the phase: what the load test itself takes
	// from the machine's cores.
	LoadTestCPUMsPerRequest float64 `json:"loadTestCPUMsPerRequest,omitempty"`
	// StealPercent is the share of the machine's CPU time that the host
	// took (steal) during the phase; nil where /proc/stat cannot be read.
	StealPercent *float64 `json:"stealPercent,omitempty"`
	Latency      dist     `json:"latencyMs"`
	// Overhead is Server-Timing total minus llm: the service's own time.
	Overhead *dist `json:"serverTimingOverheadMs,omitempty"`
	LLM      *dist `json:"serverTimingLLMMs,omitempty"`
}

// dist is a distribution's percentiles, in milliseconds.
type dist struct {
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
	Mean float64 `json:"mean"`
}

// newDist sorts xs (ms) and reads nearest-rank percentiles.
func newDist(xs []float64) dist {
	if len(xs) == 0 {
		return dist{}
	}
	slices.Sort(xs)
	rank := func(p float64) float64 { return xs[max(0, int(math.Ceil(p*float64(len(xs))))-1)] }
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	return dist{P50: rank(0.50), P90: rank(0.90), P99: rank(0.99), Max: xs[len(xs)-1], Mean: sum / float64(len(xs))}
}

func (d dist) minus(b dist) *dist {
	return &dist{P50: d.P50 - b.P50, P90: d.P90 - b.P90, P99: d.P99 - b.P99, Max: d.Max - b.Max, Mean: d.Mean - b.Mean}
}

func summarizePhase(ph phase, peak int64) phaseReport {
	r := phaseReport{Requests: len(ph.samples), ElapsedSeconds: ph.elapsed.Seconds(), Statuses: map[string]int{}, PeakInFlight: peak, PeakSent: ph.peak, WarmupRequests: ph.warmup}
	var lat, over, llm []float64
	for _, s := range ph.samples {
		if s.status == 0 {
			r.Statuses["transport: "+s.errKind]++
			r.Errors++
			continue
		}
		r.Statuses[strconv.Itoa(s.status)]++
		if s.status != 200 {
			r.Errors++
			continue
		}
		r.OK++
		lat = append(lat, float64(s.latency.Microseconds())/1000)
		if s.total >= 0 && s.llm >= 0 {
			over = append(over, s.total-s.llm)
			llm = append(llm, s.llm)
		}
	}
	if ph.elapsed > 0 {
		r.RPS = float64(r.OK) / ph.elapsed.Seconds()
	}
	r.Latency = newDist(lat)
	if len(over) > 0 {
		o, l := newDist(over), newDist(llm)
		r.Overhead, r.LLM = &o, &l
	}
	return r
}

// memoryReport is the server's resident set: idle (after one request),
// peak during the load (sampled every 50 ms, and VmHWM), and the growth per
// request in flight.
type memoryReport struct {
	IdleBytes   int64 `json:"idleRssBytes"`
	PeakBytes   int64 `json:"peakRssBytes"`
	GrowthBytes int64 `json:"growthBytes"`
	Samples     int   `json:"samples"`
	// PerInFlightBytes is GrowthBytes over the most requests sent and not
	// yet answered at once: the service held at most that many.
	PerInFlightBytes int64 `json:"perInFlightBytes"`
	// PerAtFakeBytes is GrowthBytes over the most requests the fake held at
	// once, each also held by the service: the same figure when every
	// request reached the LLM at once, an upper bound when some waited
	// inside the service.
	PerAtFakeBytes int64 `json:"perAtFakeBytes"`
}

func newMemoryReport(idle memory, peak int64, samples int, sent, atFake int64) *memoryReport {
	m := &memoryReport{IdleBytes: idle.rss, PeakBytes: peak, GrowthBytes: peak - idle.rss, Samples: samples}
	if sent > 0 {
		m.PerInFlightBytes = m.GrowthBytes / sent
	}
	if atFake > 0 {
		m.PerAtFakeBytes = m.GrowthBytes / atFake
	}
	return m
}

// writeText writes the report for a reader: the run, the latency table,
// each phase, the rounds, memory, and the targets.
func (r *report) writeText(w io.Writer) error {
	r.writeSetup(w)
	if err := r.writeLatencies(w); err != nil {
		return err
	}
	fmt.Fprintln(w)
	writePhase(w, "service", r.Service)
	if r.Baseline != nil {
		writePhase(w, "fake alone", *r.Baseline)
	}
	r.writeRounds(w)
	r.writeMemory(w)
	fmt.Fprintln(w)
	r.writeTargets(w)
	return nil
}

// writeSetup writes what was run and on what machine, then a blank line.
func (r *report) writeSetup(w io.Writer) {
	run := fmt.Sprintf("%d clients for %s after %s of warm-up", r.Clients, r.Duration, r.Warmup)
	if r.Mode == modeBurst {
		run = fmt.Sprintf("%d requests at once", r.Clients)
	}
	fake := describeFake(r.FakeLatency, r.FakeTLS, r.FakeH2MaxStreams)
	fmt.Fprintf(w, "%s: %s, %s, %s, transcript %d B, server LOG_LEVEL=%s %s\n",
		r.Mode, run, fake, r.Endpoint, r.TranscriptBytes, r.ServerLogLevel, strings.Join(r.ServerEnv, " "))
	fmt.Fprintf(w, "machine: %d CPUs, open-file limit %d, load average %s before, %s after\n\n", r.CPUs, r.OpenFileLimit, r.LoadAverage, r.LoadAverageAfter)
}

// writeLatencies writes the table of latency percentiles, the service's
// and the fake's alone. The end-to-end overhead row is left out, with a
// note saying why, when the fake alone had errors.
func (r *report) writeLatencies(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "(ms)\tp50\tp90\tp99\tmax\tmean\t\n")
	row := func(name string, d *dist) {
		if d != nil {
			fmt.Fprintf(tw, "%s\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t\n", name, d.P50, d.P90, d.P99, d.Max, d.Mean)
		}
	}
	row("service latency, end to end", &r.Service.Latency)
	row("service Server-Timing llm", r.Service.LLM)
	row("service overhead, Server-Timing total-llm", r.Service.Overhead)
	if r.Baseline != nil {
		row("fake alone, end to end", &r.Baseline.Latency)
		if r.Baseline.Errors == 0 {
			row("service overhead, end to end minus fake alone", r.EndToEndOverhead)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if r.Baseline != nil && r.Baseline.Errors > 0 {
		fmt.Fprintf(w, "(the fake alone had %d errors: the service's latency is not compared with it)\n", r.Baseline.Errors)
	}
	return nil
}

// writeMemory writes the server's resident set and its growth per request
// in flight, or why it could not be read.
func (r *report) writeMemory(w io.Writer) {
	m := r.Memory
	if m == nil {
		fmt.Fprintf(w, "service RSS: unavailable: %s\n", r.MemoryError)
		return
	}
	fmt.Fprintf(w, "service RSS: idle %s, peak %s (%d samples and VmHWM), growth %s\n",
		mib(m.IdleBytes), mib(m.PeakBytes), m.Samples, mib(m.GrowthBytes))
	fmt.Fprintf(w, "  growth per request in flight: %s over the %d sent and unanswered, %s over the %d at the fake\n",
		kib(m.PerInFlightBytes), r.Service.PeakSent, kib(m.PerAtFakeBytes), r.Service.PeakInFlight)
}

// writeTargets checks the run against the target for its mode:
// the overhead p99 in steady mode, memory per request in flight in burst.
func (r *report) writeTargets(w io.Writer) {
	if o := r.Service.Overhead; o != nil && r.Mode == modeSteady {
		fmt.Fprintf(w, "target: overhead p99 %.2f ms, at most %.0f ms: %s\n", o.P99, targetOverheadP99Ms, verdict(o.P99 <= targetOverheadP99Ms))
	}
	if m := r.Memory; m != nil && r.Mode == modeBurst {
		limit := int64(targetFixedBytes + targetBytesPerByte*r.TranscriptBytes)
		other := r.Service.Errors - r.Service.Statuses["503"] // 503 is shedding, with Retry-After
		fmt.Fprintf(w, "target: %s per request in flight, at most %s (%s + %d x the transcript), every answer 200 or 503 (%d others): %s\n",
			kib(m.PerInFlightBytes), kib(limit), kib(targetFixedBytes), targetBytesPerByte, other, verdict(m.PerInFlightBytes <= limit && other == 0))
	}
}

func writePhase(w io.Writer, name string, r phaseReport) {
	keys := make([]string, 0, len(r.Statuses))
	for k := range r.Statuses {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var st []string
	for _, k := range keys {
		st = append(st, fmt.Sprintf("%s: %d", k, r.Statuses[k]))
	}
	fmt.Fprintf(w, "%s: %d requests in %.1f s, %.1f rps, %d errors, statuses {%s}",
		name, r.Requests, r.ElapsedSeconds, r.RPS, r.Errors, strings.Join(st, ", "))
	if r.WarmupRequests > 0 {
		fmt.Fprintf(w, "; %d more during the warm-up, not counted", r.WarmupRequests)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "  in flight at once: at most %d sent and unanswered, %d at the fake", r.PeakSent, r.PeakInFlight)
	if r.CPUMsPerRequest > 0 {
		fmt.Fprintf(w, "; server CPU %.1f s, %.2f ms per request", r.CPUSeconds, r.CPUMsPerRequest)
	}
	if r.LoadTestCPUMsPerRequest > 0 {
		fmt.Fprintf(w, "; the load test's own CPU %.2f ms per request", r.LoadTestCPUMsPerRequest)
	}
	if r.StealPercent != nil {
		fmt.Fprintf(w, "; the host stole %.1f%% of the machine's CPU", *r.StealPercent)
	}
	fmt.Fprintln(w)
	if f := r.Fake; f != nil {
		fmt.Fprintf(w, "  the fake saw %s; %d connections accepted, at most %d open", protocolCounts(f.Protocols), f.ConnsAccepted, f.PeakConns)
		if f.ServerErrors > 0 {
			fmt.Fprintf(w, "; %d server errors, the first: %s", f.ServerErrors, f.FirstServerError)
		}
		fmt.Fprintln(w)
	}
}

// protocolCounts is "HTTP/2: 10000" (sorted by protocol).
func protocolCounts(m map[string]int64) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s: %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
func kib(b int64) string { return fmt.Sprintf("%.1f KiB", float64(b)/(1<<10)) }
