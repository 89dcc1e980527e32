package eval

import (
	"fmt"
	"strings"
	"testing"
)

func pairRuns(tb testing.TB, n int, fa, fb func(i int) ItemResult) (Run, Run) {
	tb.Helper()
	a, b := Run{Target: "A"}, Run{Target: "B"}
	for i := range n {
		ra, rb := fa(i), fb(i)
		ra.ID, rb.ID = fmt.Sprint(i), fmt.Sprint(i)
		a.Items = append(a.Items, ra)
		b.Items = append(b.Items, rb)
	}
	return a, b
}

func TestCompare(t *testing.T) {
	a, b := pairRuns(t, 20,
		func(i int) ItemResult {
			r := ItemResult{LatencyMs: 100}
			r.Scores.Rouge1.F1 = 0.5 + float64(i%3)*0.01
			r.Scores.Rouge2.F1 = 0.2 + 0.1*float64(i%2) // alternates above and below B
			r.Scores.FactRecall = 1
			return r
		},
		func(i int) ItemResult {
			r := ItemResult{LatencyMs: 50}
			r.Scores.Rouge1.F1 = 0.4 + float64(i%3)*0.01
			r.Scores.Rouge2.F1 = 0.3 - 0.1*float64(i%2)
			r.Scores.FactRecall = 1
			return r
		})
	c, err := Compare(a, b)
	if err != nil {
		t.Fatalf("Compare: %v", err)
	}
	want := map[string]struct {
		verdict string
		delta   float64
	}{
		"rouge1":     {VerdictA, 0.1},
		"rouge2":     {VerdictNoClear, 0},
		"factRecall": {VerdictNoClear, 0},
		"latencyMs":  {VerdictB, 50}, // B is faster: lower is better
	}
	for _, m := range c.Metrics {
		w, ok := want[m.Metric]
		if !ok {
			continue
		}
		t.Run(m.Metric, func(t *testing.T) {
			if m.Verdict != w.verdict || m.Delta-w.delta > 1e-9 || w.delta-m.Delta > 1e-9 {
				t.Errorf("%s: verdict %q delta %v, want %q %v", m.Metric, m.Verdict, m.Delta, w.verdict, w.delta)
			}
		})
	}
	again, _ := Compare(a, b)
	for i := range c.Metrics {
		if c.Metrics[i] != again.Metrics[i] {
			t.Errorf("compare is not deterministic: %+v then %+v", c.Metrics[i], again.Metrics[i])
		}
	}
}

func TestCompareMismatch(t *testing.T) {
	a, b := pairRuns(t, 3, func(int) ItemResult { return ItemResult{} }, func(int) ItemResult { return ItemResult{} })
	b.Items = b.Items[:2]
	if _, err := Compare(a, b); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("Compare error = %v, want item missing", err)
	}
}

func TestPairedBootstrap(t *testing.T) {
	tests := []struct {
		name   string
		a, b   []float64
		lo, hi float64
	}{
		{"a always higher", []float64{2, 3, 4, 5}, []float64{1, 2, 3, 4}, 1, 1},
		{"b always higher", []float64{1, 2, 3, 4}, []float64{2, 3, 4, 5}, 0, 0},
		{"equal", []float64{1, 2}, []float64{1, 2}, 0.5, 0.5},
		// one big win against nine small losses: the sign is uncertain.
		{"one outlier", []float64{10, 0, 0, 0, 0, 0, 0, 0, 0, 0}, []float64{0, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 0.2, 0.9},
		{"empty", nil, nil, 0.5, 0.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pairedBootstrap(tt.a, tt.b, 2000, 1); got < tt.lo || got > tt.hi {
				t.Errorf("pairedBootstrap = %v, want %v..%v", got, tt.lo, tt.hi)
			}
		})
	}
}
