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
