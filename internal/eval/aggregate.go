package eval

import (
	"math"
	"slices"
)

// Aggregate summarizes a run. Quality means are over every item, a failed
// item scoring zero (a summary that never arrived helps nobody); latency is
// over the items that succeeded.
type Aggregate struct {
	Items         int     `json:"items"`
	Errors        int     `json:"errors"`
	ErrorRate     float64 `json:"errorRate"`
	Rouge1        float64 `json:"rouge1"`
	Rouge2        float64 `json:"rouge2"`
	RougeL        float64 `json:"rougeL"`
	FactRecall    float64 `json:"factRecall"`
	Forbidden     float64 `json:"forbidden"`
	Compliance    float64 `json:"compliance"`
	Truncated     float64 `json:"truncated"`
	LatencyMeanMs float64 `json:"latencyMeanMs"`
	LatencyP50Ms  float64 `json:"latencyP50Ms"`
	LatencyP95Ms  float64 `json:"latencyP95Ms"`
	// InputTokens and OutputTokens are totals, nil unless every successful
	// item reported its usage.
	InputTokens  *int `json:"inputTokens,omitempty"`
	OutputTokens *int `json:"outputTokens,omitempty"`
	// CostUSD is the estimated total, nil unless every successful item had a
	// known cost.
	CostUSD *float64 `json:"estimatedCostUsd,omitempty"`
}

// AggregateOf aggregates the results of a run.
func AggregateOf(results []ItemResult) Aggregate {
	a := Aggregate{Items: len(results)}
	if len(results) == 0 {
		return a
	}
	var latencies []float64
	var cost partial[float64]
	var in, out partial[int]
	for _, r := range results {
		if r.Failed() {
			a.Errors++
		} else {
			latencies = append(latencies, r.LatencyMs)
			cost.add(r.CostUSD)
			in.add(r.InputTokens)
			out.add(r.OutputTokens)
		}
		for _, m := range metrics {
			if m.sum != nil {
				m.sum(&a, m.item(r))
			}
		}
	}
	n := float64(len(results))
	a.ErrorRate = float64(a.Errors) / n
	a.Rouge1 /= n
	a.Rouge2 /= n
	a.RougeL /= n
	a.FactRecall /= n
	a.Forbidden /= n
	a.Compliance /= n
	a.Truncated /= n
	if len(latencies) > 0 {
		a.LatencyMeanMs = mean(latencies)
		a.LatencyP50Ms = percentile(latencies, 50)
		a.LatencyP95Ms = percentile(latencies, 95)
		a.CostUSD, a.InputTokens, a.OutputTokens = cost.known(), in.known(), out.known()
	}
	return a
}

// partial sums values that an item may not have reported; it is known only
// when every item did.
type partial[T int | float64] struct {
	sum     T
	missing bool
}

func (t *partial[T]) add(v *T) {
	if v == nil {
		t.missing = true
		return
	}
	t.sum += *v
}

func (t *partial[T]) known() *T {
	if t.missing {
		return nil
	}
	return &t.sum
}

// Value returns the aggregate metric called name (as in the JSON report),
// for gates.
func (a Aggregate) Value(name string) (float64, bool) {
	switch name {
	case "items":
		return float64(a.Items), true
	case "errors":
		return float64(a.Errors), true
	case "errorRate":
		return a.ErrorRate, true
	case "rouge1":
		return a.Rouge1, true
	case "rouge2":
		return a.Rouge2, true
	case "rougeL":
		return a.RougeL, true
	case "factRecall":
		return a.FactRecall, true
	case "forbidden":
		return a.Forbidden, true
	case "compliance":
		return a.Compliance, true
	case "truncated":
		return a.Truncated, true
	case "latencyMeanMs":
		return a.LatencyMeanMs, true
	case "latencyP50Ms":
		return a.LatencyP50Ms, true
	case "latencyP95Ms":
		return a.LatencyP95Ms, true
	case "inputTokens":
		return reported(a.InputTokens)
	case "outputTokens":
		return reported(a.OutputTokens)
	case "estimatedCostUsd":
		return reported(a.CostUSD)
	}
	return 0, false
}

// reported is v's value, and false when it was not reported.
func reported[T int | float64](v *T) (float64, bool) {
	if v == nil {
		return 0, false
	}
	return float64(*v), true
}

// AggregateNames lists the names Value knows, for help and error messages.
func AggregateNames() []string {
	return []string{"rouge1", "rouge2", "rougeL", "factRecall", "forbidden", "compliance", "truncated",
		"errors", "errorRate", "items", "latencyMeanMs", "latencyP50Ms", "latencyP95Ms",
		"inputTokens", "outputTokens", "estimatedCostUsd"}
}

// metric is a per-item measure that runs compare item by item.
type metric struct {
	name         string
	higherBetter bool
	// skipFailed leaves out items that failed (latency has no value then).
	skipFailed bool
	item       func(ItemResult) float64
	// reported, when set, says whether an item has the metric at all: a
	// target that does not report it is not compared on it.
	reported func(ItemResult) bool
	sum      func(*Aggregate, float64)
}

// metrics are compared in this order; the ones with sum also feed Summarize.
var metrics = []metric{
	{name: "rouge1", higherBetter: true, item: func(r ItemResult) float64 { return r.Scores.Rouge1.F1 },
		sum: func(a *Aggregate, v float64) { a.Rouge1 += v }},
	{name: "rouge2", higherBetter: true, item: func(r ItemResult) float64 { return r.Scores.Rouge2.F1 },
		sum: func(a *Aggregate, v float64) { a.Rouge2 += v }},
	{name: "rougeL", higherBetter: true, item: func(r ItemResult) float64 { return r.Scores.RougeL.F1 },
		sum: func(a *Aggregate, v float64) { a.RougeL += v }},
	{name: "factRecall", higherBetter: true, item: func(r ItemResult) float64 { return r.Scores.FactRecall },
		sum: func(a *Aggregate, v float64) { a.FactRecall += v }},
	{name: "forbidden", item: func(r ItemResult) float64 { return float64(len(r.Scores.Forbidden)) },
		sum: func(a *Aggregate, v float64) { a.Forbidden += v }},
	{name: "compliance", higherBetter: true, item: func(r ItemResult) float64 { return boolFloat(r.Scores.Compliant) },
		sum: func(a *Aggregate, v float64) { a.Compliance += v }},
	{name: "truncated", item: func(r ItemResult) float64 { return boolFloat(r.Truncated) },
		sum: func(a *Aggregate, v float64) { a.Truncated += v }},
	{name: "latencyMs", skipFailed: true, item: func(r ItemResult) float64 { return r.LatencyMs }},
	{name: "outputTokens", skipFailed: true, item: func(r ItemResult) float64 { return float64(*r.OutputTokens) },
		reported: func(r ItemResult) bool { return r.OutputTokens != nil }},
}

func boolFloat(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// percentile returns the p-th percentile of xs by the nearest-rank method.
func percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	rank := int(math.Ceil(p / 100 * float64(len(s))))
	return s[max(rank, 1)-1]
}
