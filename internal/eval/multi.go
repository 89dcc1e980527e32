package eval

import (
	"fmt"
	"math/rand/v2"
	"slices"
)

// CompareAll compares every run after the first (the baseline) with it:
// comparison i has A = runs[i+1] and B = runs[0]. Each metric's p-values
// across the comparisons are adjusted by Holm's step-down method, so that
// the chance of any false "better" among them stays within Alpha however
// many targets are compared.
func CompareAll(runs []Run) ([]Comparison, error) {
	if len(runs) < 2 {
		return nil, nil
	}
	out := make([]Comparison, 0, len(runs)-1)
	for _, r := range runs[1:] {
		c, err := Compare(r, runs[0])
		if err != nil {
			return nil, fmt.Errorf("compare %s with %s: %w", r.Target, runs[0].Target, err)
		}
		out = append(out, c)
	}
	for m := range metrics {
		holm(out, m)
	}
	return out, nil
}

// holm adjusts metric m's p-values across the comparisons in place and
// recomputes their verdicts.
func holm(cs []Comparison, m int) {
	var idx []int
	for i := range cs {
		if cs[i].Metrics[m].Reported() {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		pa, pb := cs[a].Metrics[m].PValue, cs[b].Metrics[m].PValue
		switch {
		case pa < pb:
			return -1
		case pa > pb:
			return 1
		}
		return 0
	})
	running := 0.0
	for rank, i := range idx {
		d := &cs[i].Metrics[m]
		running = max(running, min(1, float64(len(idx)-rank)*d.PValue))
		d.PAdjusted = running
		d.Verdict = verdict(d.PAGreater, d.PAdjusted, metrics[m].higherBetter)
	}
}

// intervalResamples is how many resamples an aggregate's interval draws.
const intervalResamples = 2000

// Intervals returns the 95% percentile-bootstrap interval of the mean of
// each aggregate metric, over the items that have it, under a fixed seed.
func Intervals(results []ItemResult) map[string][2]float64 {
	out := map[string][2]float64{}
	for k, m := range metrics {
		if m.set == nil {
			continue
		}
		var xs []float64
		for _, r := range results {
			if m.has == nil || m.has(r) {
				xs = append(xs, m.item(r))
			}
		}
		if len(xs) == 0 {
			continue
		}
		out[m.name] = bootstrapInterval(xs, uint64(k+1))
	}
	return out
}

func bootstrapInterval(xs []float64, seed uint64) [2]float64 {
	rng := rand.New(rand.NewPCG(seed, 0x63690a))
	means := make([]float64, intervalResamples)
	for i := range means {
		s := 0.0
		for range xs {
			s += xs[rng.IntN(len(xs))]
		}
		means[i] = s / float64(len(xs))
	}
	return [2]float64{percentile(means, 2.5), percentile(means, 97.5)}
}
