package main

import (
	"fmt"
	"io"
	"slices"
)

// roundReport is one round of a steady run: the service, then the fake
// alone, each for the warm-up plus the duration.
type roundReport struct {
	ServiceP99  float64 `json:"serviceP99Ms"`
	BaselineP99 float64 `json:"fakeAloneP99Ms"`
	// OverheadP99 is ServiceP99 minus BaselineP99; set only when the fake
	// alone had no errors.
	OverheadP99 *float64 `json:"endToEndOverheadP99Ms,omitempty"`
	LoadAverage string   `json:"loadAverage"`
}

// coldReport is the warm-up period of the first round, left out of every
// other figure: connections opening, the first calls through the SDK.
type coldReport struct {
	Service  dist `json:"serviceLatencyMs"`
	Baseline dist `json:"fakeAloneLatencyMs"`
	// Errors are failed requests of the service's warm-up.
	Errors int `json:"errors"`
}

// addRound records a round. The first round's fake alone is the report's
// Baseline, and its warm-ups are the cold figures.
func (r *report) addRound(svc, fake phaseReport, svcCold, fakeCold []sample, first bool) {
	rr := roundReport{ServiceP99: svc.Latency.P99, BaselineP99: fake.Latency.P99, LoadAverage: loadAverage()}
	if fake.Errors == 0 {
		d := svc.Latency.P99 - fake.Latency.P99
		rr.OverheadP99 = &d
	}
	r.Rounds = append(r.Rounds, rr)
	if first {
		r.Baseline = &fake
		r.EndToEndOverhead = svc.Latency.minus(fake.Latency)
		if len(svcCold) > 0 {
			sc, fc := summarizePhase(phase{samples: svcCold}, 0), summarizePhase(phase{samples: fakeCold}, 0)
			r.Cold = &coldReport{Service: sc.Latency, Baseline: fc.Latency, Errors: sc.Errors}
		}
	}
	var over []float64
	for _, x := range r.Rounds {
		if x.OverheadP99 != nil {
			over = append(over, *x.OverheadP99)
		}
	}
	if len(over) > 0 {
		m := median(over)
		r.MedianOverheadP99 = &m
	}
}

// median of xs (sorted in place): the middle one, or the mean of the two.
func median(xs []float64) float64 {
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// writeRounds prints the rounds, their median and the cold start.
func (r *report) writeRounds(w io.Writer) {
	if len(r.Rounds) > 1 {
		fmt.Fprintf(w, "\nrounds (ms, p99 end to end):\n")
		for i, x := range r.Rounds {
			over := "n/a"
			if x.OverheadP99 != nil {
				over = fmt.Sprintf("%.2f", *x.OverheadP99)
			}
			fmt.Fprintf(w, "  %d: service %.2f, fake alone %.2f, over the fake %s (load %s)\n", i+1, x.ServiceP99, x.BaselineP99, over, x.LoadAverage)
		}
	}
	if r.MedianOverheadP99 != nil {
		fmt.Fprintf(w, "median over %d rounds of the end-to-end p99 over the fake alone: %.2f ms\n", len(r.Rounds), *r.MedianOverheadP99)
	}
	if c := r.Cold; c != nil {
		fmt.Fprintf(w, "cold (first round's %s warm-up): service p50 %.2f p99 %.2f max %.2f ms, fake alone p99 %.2f ms, %d errors\n",
			r.Warmup, c.Service.P50, c.Service.P99, c.Service.Max, c.Baseline.P99, c.Errors)
	}
}
