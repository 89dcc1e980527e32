package main

import (
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
)

// roundReport is one round of a steady run: the service, then the fake
// alone, each for the warm-up plus the duration.
type roundReport struct {
	ServiceP99  float64 `json:"serviceP99Ms"`
	BaselineP99 float64 `json:"fakeAloneP99Ms"`
	// OverheadP99 is ServiceP99 minus BaselineP99; set only when the fake
	// alone had no errors.
	OverheadP99 *float64 `json:"endToEndOverheadP99Ms,omitempty"`
	ServiceRPS  float64  `json:"serviceRps"`
	BaselineRPS float64  `json:"fakeAloneRps"`
	// ServerCPUMsPerRequest is the server's CPU per request of the round's
	// service phase; the LoadTest figures are this process's own, in the
	// service phase and in the fake-alone phase.
	ServerCPUMsPerRequest           float64 `json:"serverCPUMsPerRequest,omitempty"`
	LoadTestCPUMsPerRequest         float64 `json:"loadTestCPUMsPerRequest,omitempty"`
	LoadTestCPUMsPerRequestBaseline float64 `json:"loadTestCPUMsPerRequestFakeAlone,omitempty"`
	LoadAverage                     string  `json:"loadAverage"`
	// ServiceSteal and BaselineSteal are the host's steal, in percent of the
	// machine's CPU, in each phase: a round whose steal is high measured the
	// host, not the service.
	ServiceSteal  *float64 `json:"serviceStealPercent,omitempty"`
	BaselineSteal *float64 `json:"fakeAloneStealPercent,omitempty"`
}

// spread is a figure over the rounds: their median, least and greatest.
type spread struct {
	Median float64 `json:"median"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
}

func newSpread(xs []float64) *spread {
	if len(xs) == 0 {
		return nil
	}
	return &spread{Median: median(xs), Min: slices.Min(xs), Max: slices.Max(xs)}
}

// roundsSummary is the rounds' figures as median and range: the range of
// the fake alone's p99 is the measurement's own noise, against which the
// service's overhead is to be read.
type roundsSummary struct {
	OverheadP99           *spread `json:"endToEndOverheadP99Ms,omitempty"`
	ServiceP99            *spread `json:"serviceP99Ms"`
	BaselineP99           *spread `json:"fakeAloneP99Ms"`
	ServiceRPS            *spread `json:"serviceRps"`
	ServerCPUMsPerRequest *spread `json:"serverCPUMsPerRequest,omitempty"`
	ServiceSteal          *spread `json:"serviceStealPercent,omitempty"`
	// QuietOverheadP99 is OverheadP99 over the quiet rounds only (both
	// phases' steal under quietStealPercent), QuietRounds how many.
	QuietOverheadP99 *spread `json:"quietEndToEndOverheadP99Ms,omitempty"`
	QuietRounds      int     `json:"quietRounds"`
}

// quietStealPercent is the host steal under which a round counts as quiet:
// at 10-30 % steal this machine's rounds measured 40-700 ms over the fake
// for the same binary, at under 5 % within 20 ms of each other.
const quietStealPercent = 5.0

// quiet reports whether the host stole little from both of the round's
// phases (known only where /proc/stat could be read).
func (x roundReport) quiet() bool {
	return x.ServiceSteal != nil && x.BaselineSteal != nil && *x.ServiceSteal < quietStealPercent && *x.BaselineSteal < quietStealPercent
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
	rr := roundReport{
		ServiceP99: svc.Latency.P99, BaselineP99: fake.Latency.P99, ServiceRPS: svc.RPS, BaselineRPS: fake.RPS,
		ServerCPUMsPerRequest: svc.CPUMsPerRequest, LoadTestCPUMsPerRequest: svc.LoadTestCPUMsPerRequest,
		LoadTestCPUMsPerRequestBaseline: fake.LoadTestCPUMsPerRequest, LoadAverage: loadAverage(),
		ServiceSteal: svc.StealPercent, BaselineSteal: fake.StealPercent,
	}
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
	r.summarizeRounds()
}

// summarizeRounds sets the median and range of the rounds' figures.
func (r *report) summarizeRounds() {
	var over, svcP99, fakeP99, rps, cpu, steal, quiet []float64
	for _, x := range r.Rounds {
		if x.OverheadP99 != nil && x.quiet() {
			quiet = append(quiet, *x.OverheadP99)
		}
		if x.ServiceSteal != nil {
			steal = append(steal, *x.ServiceSteal)
		}
		if x.OverheadP99 != nil {
			over = append(over, *x.OverheadP99)
		}
		svcP99, fakeP99, rps = append(svcP99, x.ServiceP99), append(fakeP99, x.BaselineP99), append(rps, x.ServiceRPS)
		if x.ServerCPUMsPerRequest > 0 {
			cpu = append(cpu, x.ServerCPUMsPerRequest)
		}
	}
	r.RoundsSummary = &roundsSummary{OverheadP99: newSpread(over), ServiceP99: newSpread(svcP99),
		BaselineP99: newSpread(fakeP99), ServiceRPS: newSpread(rps), ServerCPUMsPerRequest: newSpread(cpu),
		ServiceSteal: newSpread(steal), QuietOverheadP99: newSpread(quiet), QuietRounds: len(quiet)}
	if s := r.RoundsSummary.OverheadP99; s != nil {
		m := s.Median
		r.MedianOverheadP99 = &m
	}
}

// median of xs (a copy is sorted): the middle one, or the mean of the two.
func median(xs []float64) float64 {
	xs = slices.Sorted(slices.Values(xs))
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// writeRounds prints the rounds, their medians and ranges, and the cold
// start.
func (r *report) writeRounds(w io.Writer) {
	if len(r.Rounds) > 1 {
		fmt.Fprintf(w, "\nrounds (p99 end to end and CPU per request in ms):\n")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "round\tservice p99\tfake alone p99\tover the fake\tservice rps\tfake rps\tserver CPU\tload test CPU, service\tload test CPU, fake\tsteal %%, service\tsteal %%, fake\tload\t\n")
		for i, x := range r.Rounds {
			fmt.Fprintf(tw, "%d\t%.2f\t%.2f\t%s\t%.1f\t%.1f\t%.3f\t%.3f\t%.3f\t%s\t%s\t%s\t\n", i+1, x.ServiceP99, x.BaselineP99, known("%.2f", x.OverheadP99),
				x.ServiceRPS, x.BaselineRPS, x.ServerCPUMsPerRequest, x.LoadTestCPUMsPerRequest, x.LoadTestCPUMsPerRequestBaseline,
				known("%.1f", x.ServiceSteal), known("%.1f", x.BaselineSteal), x.LoadAverage)
		}
		_ = tw.Flush()
	}
	if s := r.RoundsSummary; s != nil && len(r.Rounds) > 1 {
		line := func(name, unit string, sp *spread) {
			if sp != nil {
				fmt.Fprintf(w, "  %s: median %.2f%s, range %.2f to %.2f (spread %.2f)\n", name, sp.Median, unit, sp.Min, sp.Max, sp.Max-sp.Min)
			}
		}
		fmt.Fprintf(w, "over %d rounds:\n", len(r.Rounds))
		line("service p99", " ms", s.ServiceP99)
		line("fake alone p99 (the measurement's own noise)", " ms", s.BaselineP99)
		line("service rps", "", s.ServiceRPS)
		line("server CPU per request", " ms", s.ServerCPUMsPerRequest)
		line("the host's steal in the service phases", "%", s.ServiceSteal)
	}
	if r.MedianOverheadP99 != nil {
		sp := r.RoundsSummary.OverheadP99
		fmt.Fprintf(w, "median over %d rounds of the end-to-end p99 over the fake alone: %.2f ms (range %.2f to %.2f)\n",
			len(r.Rounds), *r.MedianOverheadP99, sp.Min, sp.Max)
		if q := r.RoundsSummary.QuietOverheadP99; q != nil {
			fmt.Fprintf(w, "  over the %d of %d rounds with the host's steal under %.0f%% in both phases: median %.2f ms (range %.2f to %.2f)\n",
				r.RoundsSummary.QuietRounds, len(r.Rounds), quietStealPercent, q.Median, q.Min, q.Max)
		} else if r.RoundsSummary.ServiceSteal != nil {
			fmt.Fprintf(w, "  no round had the host's steal under %.0f%% in both phases: the machine was shared; read the rounds with their steal\n", quietStealPercent)
		}
	}
	if c := r.Cold; c != nil {
		fmt.Fprintf(w, "cold (first round's %s warm-up): service p50 %.2f p99 %.2f max %.2f ms, fake alone p99 %.2f ms, %d errors\n",
			r.Warmup, c.Service.P50, c.Service.P99, c.Service.Max, c.Baseline.P99, c.Errors)
	}
}

// known prints *p with format, or "n/a" where p is unknown.
func known(format string, p *float64) string {
	if p == nil {
		return "n/a"
	}
	return fmt.Sprintf(format, *p)
}
