package eval

import (
	"fmt"
	"math/rand/v2"
)

// Verdicts of a compared metric.
const (
	VerdictA       = "A better"
	VerdictB       = "B better"
	VerdictNoClear = "no clear difference"
	// VerdictNotReported: a target does not report the metric (a baseline
	// has no tokens), so neither side wins on it.
	VerdictNotReported = "not reported"
)

// Resamples is how many paired-bootstrap resamples Compare draws.
const Resamples = 5000

// Confidence is the share of resamples one side must win for a verdict when
// one comparison is made: a two-sided p-value (2 min(P, 1-P)) of at most
// Alpha. With several targets each metric's p-values across the
// comparisons are adjusted by Holm's method before they are held to Alpha.
const Confidence = 0.95

// Alpha is the two-sided significance level Confidence amounts to.
const Alpha = 2 * (1 - Confidence)

// Comparison is two runs on the same set, metric by metric.
type Comparison struct {
	A       string        `json:"a"`
	B       string        `json:"b"`
	Paired  int           `json:"paired"`
	Metrics []MetricDelta `json:"metrics"`
}

// MetricDelta compares one metric. Delta is mean(A) - mean(B) over the items
// both runs scored. NotReportedBy names the target (or "A and B") that does
// not report the metric; then Verdict is VerdictNotReported and the numbers
// are zero. PAGreater is the share of paired-bootstrap resamples in
// which A's mean exceeds B's (ties count half): near 1 A is higher, near 0 B
// is; whether higher is better depends on the metric.
type MetricDelta struct {
	Metric         string  `json:"metric"`
	HigherIsBetter bool    `json:"higherIsBetter"`
	N              int     `json:"n"`
	A              float64 `json:"a"`
	B              float64 `json:"b"`
	Delta          float64 `json:"delta"`
	PAGreater      float64 `json:"pAGreater"`
	// PValue is the two-sided p-value of the difference, 2 min(P, 1-P);
	// PAdjusted is it after Holm's correction for the number of
	// comparisons (equal with one comparison). Verdict follows PAdjusted.
	PValue        float64 `json:"pValue"`
	PAdjusted     float64 `json:"pAdjusted"`
	Verdict       string  `json:"verdict"`
	NotReportedBy string  `json:"notReportedBy,omitempty"`
}

// Reported reports whether both targets report the metric.
func (d MetricDelta) Reported() bool { return d.Verdict != VerdictNotReported }

// Compare pairs the items of runs a and b by id and compares every metric
// with a paired bootstrap under a fixed seed, so the same runs always give
// the same verdicts.
func Compare(a, b Run) (Comparison, error) {
	byID := make(map[string]ItemResult, len(b.Items))
	for _, r := range b.Items {
		byID[r.ID] = r
	}
	type pair struct{ a, b ItemResult }
	var pairs []pair
	for _, ra := range a.Items {
		rb, ok := byID[ra.ID]
		if !ok {
			return Comparison{}, fmt.Errorf("compare runs: item %s is missing from %s", ra.ID, b.Target)
		}
		pairs = append(pairs, pair{ra, rb})
	}
	if len(pairs) != len(b.Items) {
		return Comparison{}, fmt.Errorf("compare runs: %s has %d items, %s has %d", a.Target, len(a.Items), b.Target, len(b.Items))
	}
	c := Comparison{A: a.Target, B: b.Target, Paired: len(pairs)}
	for i, m := range metrics {
		var xa, xb []float64
		d := MetricDelta{Metric: m.name, HigherIsBetter: m.higherBetter}
		for _, p := range pairs {
			if m.skipFailed && (p.a.Failed() || p.b.Failed()) {
				continue
			}
			if m.has != nil && (!m.has(p.a) || !m.has(p.b)) {
				continue
			}
			if m.reported != nil && (!m.reported(p.a) || !m.reported(p.b)) {
				d.NotReportedBy = notReporting(m, p.a, p.b, a.Target, b.Target)
				break
			}
			xa = append(xa, m.item(p.a))
			xb = append(xb, m.item(p.b))
		}
		if d.NotReportedBy != "" {
			d.Verdict = VerdictNotReported
			c.Metrics = append(c.Metrics, d)
			continue
		}
		if m.has != nil && len(xa) == 0 {
			d.NotReportedBy, d.Verdict = a.Target+" and "+b.Target, VerdictNotReported
			c.Metrics = append(c.Metrics, d)
			continue
		}
		d.N, d.A, d.B = len(xa), mean(xa), mean(xb)
		d.Delta = d.A - d.B
		d.PAGreater = pairedBootstrap(xa, xb, Resamples, uint64(i+1))
		d.PValue = min(1, 2*min(d.PAGreater, 1-d.PAGreater))
		d.PAdjusted = d.PValue
		d.Verdict = verdict(d.PAGreater, d.PAdjusted, m.higherBetter)
		c.Metrics = append(c.Metrics, d)
	}
	return c, nil
}

// notReporting names which of the two targets did not report m on a pair.
func notReporting(m metric, ra, rb ItemResult, a, b string) string {
	switch {
	case !m.reported(ra) && !m.reported(rb):
		return a + " and " + b
	case !m.reported(ra):
		return a
	}
	return b
}

// pairedBootstrap resamples the items with replacement and returns the share
// of resamples in which the mean of a-b is positive, counting a zero mean as
// half (Koehn 2004's paired bootstrap, for means of per-item scores).
func pairedBootstrap(a, b []float64, resamples int, seed uint64) float64 {
	n := len(a)
	if n == 0 {
		return 0.5
	}
	diff := make([]float64, n)
	allZero := true
	for i := range a {
		diff[i] = a[i] - b[i]
		if diff[i] != 0 {
			allZero = false
		}
	}
	if allZero {
		return 0.5
	}
	rng := rand.New(rand.NewPCG(seed, 0x6576616c))
	wins := 0.0
	for range resamples {
		s := 0.0
		for range n {
			s += diff[rng.IntN(n)]
		}
		switch {
		case s > 0:
			wins++
		case s == 0:
			wins += 0.5
		}
	}
	return wins / float64(resamples)
}

// verdict says which side is better: the one whose mean is higher when
// higher is better, if the adjusted p-value is within Alpha.
func verdict(pAGreater, pAdjusted float64, higherBetter bool) string {
	if pAdjusted > Alpha+1e-12 || pAGreater == 0.5 {
		return VerdictNoClear
	}
	if (pAGreater > 0.5) == higherBetter {
		return VerdictA
	}
	return VerdictB
}
