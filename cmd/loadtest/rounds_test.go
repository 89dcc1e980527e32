package main

import (
	"testing"
	"time"
)

func TestAddRoundsMedian(t *testing.T) {
	r := &report{Warmup: "5s"}
	ok := func(ms ...int) []sample {
		var out []sample
		for _, m := range ms {
			out = append(out, sample{latency: time.Duration(m) * time.Millisecond, status: 200})
		}
		return out
	}
	for i, p99 := range []int{1030, 1012, 1050} {
		svc := summarizePhase(phase{samples: ok(p99)}, 0)
		fake := summarizePhase(phase{samples: ok(1005)}, 0)
		r.addRound(svc, fake, ok(1400, 1100), ok(1001), i == 0)
	}
	if r.MedianOverheadP99 == nil || *r.MedianOverheadP99 != 25 {
		t.Errorf("median p99 over the fake = %v, want 25 (of 25, 7, 45)", r.MedianOverheadP99)
	}
	if r.Cold == nil || r.Cold.Service.Max != 1400 {
		t.Errorf("cold = %+v, want the first round's warm-up", r.Cold)
	}
	if len(r.Rounds) != 3 || r.Baseline == nil {
		t.Errorf("rounds %d, baseline %v", len(r.Rounds), r.Baseline)
	}
}

func TestMedian(t *testing.T) {
	for _, tt := range []struct {
		xs   []float64
		want float64
	}{{[]float64{3}, 3}, {[]float64{5, 1, 3}, 3}, {[]float64{4, 1, 3, 2}, 2.5}} {
		if got := median(tt.xs); got != tt.want {
			t.Errorf("median(%v) = %v, want %v", tt.xs, got, tt.want)
		}
	}
}

func TestRoundsSpreadAndCPU(t *testing.T) {
	r := &report{}
	for i, tc := range []struct {
		svc, fake float64 // p99, ms
		cpu       float64 // server CPU per request, ms
	}{{1030, 1005, 1.2}, {1100, 1010, 1.0}, {1040, 1020, 1.1}} {
		svc := phaseReport{Latency: dist{P99: tc.svc}, RPS: 400, CPUMsPerRequest: tc.cpu}
		r.addRound(svc, phaseReport{Latency: dist{P99: tc.fake}}, nil, nil, i == 0)
	}
	s := r.RoundsSummary
	if s == nil || s.OverheadP99 == nil || s.BaselineP99 == nil || s.ServerCPUMsPerRequest == nil {
		t.Fatalf("summary %+v, want overhead, fake alone and CPU spreads", s)
	}
	if got, want := *s.OverheadP99, (spread{Median: 25, Min: 20, Max: 90}); got != want {
		t.Errorf("overhead spread %+v, want %+v", got, want)
	}
	if got, want := *s.BaselineP99, (spread{Median: 1010, Min: 1005, Max: 1020}); got != want {
		t.Errorf("fake alone spread %+v, want %+v", got, want)
	}
	if got := *s.ServerCPUMsPerRequest; got.Median != 1.1 || got.Min != 1.0 || got.Max != 1.2 {
		t.Errorf("CPU spread %+v, want 1.1 (1.0 to 1.2)", got)
	}
	if r.Rounds[1].ServerCPUMsPerRequest != 1.0 {
		t.Errorf("round 2 CPU %v, want its own phase's 1.0", r.Rounds[1].ServerCPUMsPerRequest)
	}
}

func TestAddCPU(t *testing.T) {
	before := cpuReading{server: time.Second, self: 2 * time.Second, ok: true,
		machine: machineCPU{total: 10 * time.Second, steal: time.Second}, machineOK: true}
	after := cpuReading{server: 3 * time.Second, self: 3 * time.Second, ok: true,
		machine: machineCPU{total: 30 * time.Second, steal: 6 * time.Second}, machineOK: true}
	var svc, fake, unknown phaseReport
	svc.addCPU(before, after, 1000, true)
	fake.addCPU(before, after, 500, false)
	unknown.addCPU(cpuReading{}, after, 1000, true)
	if svc.CPUSeconds != 2 || svc.CPUMsPerRequest != 2 || svc.LoadTestCPUMsPerRequest != 1 {
		t.Errorf("service phase %+v, want 2 s, 2 ms and 1 ms of its own per request", svc)
	}
	if fake.CPUMsPerRequest != 0 || fake.LoadTestCPUMsPerRequest != 2 {
		t.Errorf("fake phase %+v, want no server CPU and 2 ms of its own per request", fake)
	}
	if unknown.CPUMsPerRequest != 0 || unknown.LoadTestCPUMsPerRequest != 0 || unknown.StealPercent != nil {
		t.Errorf("unreadable CPU gave %+v, want nothing", unknown)
	}
	if svc.StealPercent == nil || *svc.StealPercent != 25 {
		t.Errorf("steal %v, want 25%% (5 s of 20)", svc.StealPercent)
	}
}

// TestQuietRounds: the quiet median is over the rounds whose two phases
// both had little steal; a round with either phase stolen from, or its
// steal unknown, is left out of it (and kept in the plain median).
func TestQuietRounds(t *testing.T) {
	r := &report{}
	ok := func(ms int) []sample { return []sample{{latency: time.Duration(ms) * time.Millisecond, status: 200}} }
	pct := func(p float64) *float64 { return &p }
	for i, c := range []struct {
		p99          int
		svc, fakeCPU *float64
	}{
		{1020, pct(1), pct(2)},   // quiet: 15
		{1300, pct(20), pct(1)},  // the service phase stolen from
		{1010, pct(0.5), pct(4)}, // quiet: 5
		{1200, pct(2), pct(12)},  // the fake's phase stolen from
		{1100, nil, nil},         // unknown
	} {
		svc, fake := summarizePhase(phase{samples: ok(c.p99)}, 0), summarizePhase(phase{samples: ok(1005)}, 0)
		svc.StealPercent, fake.StealPercent = c.svc, c.fakeCPU
		r.addRound(svc, fake, nil, nil, i == 0)
	}
	s := r.RoundsSummary
	if s.QuietRounds != 2 || s.QuietOverheadP99 == nil || s.QuietOverheadP99.Median != 10 || s.QuietOverheadP99.Max != 15 {
		t.Errorf("quiet rounds %d, %+v; want 2 with median 10 (5 and 15)", s.QuietRounds, s.QuietOverheadP99)
	}
	if *r.MedianOverheadP99 != 95 {
		t.Errorf("median over all rounds %v, want 95", *r.MedianOverheadP99)
	}
}
