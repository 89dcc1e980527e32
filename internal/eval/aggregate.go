package eval

import (
	"math"
	"slices"
)

// Aggregate summarizes a run. Quality means are over every item, a failed
// item scoring zero (a summary that never arrived helps nobody), except that
// ROUGE leaves out items without a reference and the judge's metrics leave
// out items the judge could not grade; latency is over the items that
// succeeded.
type Aggregate struct {
	Items     int     `json:"items"`
	Errors    int     `json:"errors"`
	ErrorRate float64 `json:"errorRate"`
	// RougeItems is how many items had a reference to score ROUGE against.
	RougeItems    int     `json:"rougeItems"`
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
	// Cached is how many summaries came from the cache.
	Cached int `json:"cached"`
	// CitingItems is how many summaries cite turns; CitationValidity is the
	// mean, over them, of the share of their citations that hold up
	// (Citations), nil when no summary cites any.
	CitingItems      int      `json:"citingItems"`
	CitationValidity *float64 `json:"citationValidity,omitempty"`

	// The judge's metrics, nil without a judge. JudgeItems were graded,
	// JudgeFailed could not be (judge-failed).
	JudgeItems    int      `json:"judgeItems,omitempty"`
	JudgeFailed   int      `json:"judgeFailed,omitempty"`
	Faithfulness  *float64 `json:"faithfulness,omitempty"`
	JudgeCoverage *float64 `json:"judgeCoverage,omitempty"`
	Unsupported   *float64 `json:"unsupported,omitempty"`
	SectionsAgree *float64 `json:"sectionsAgree,omitempty"`
	// JudgeCostUSD is the judge's estimated total, nil unless every grade
	// had a known cost.
	JudgeCostUSD *float64 `json:"judgeCostUsd,omitempty"`
}

// AggregateOf aggregates the results of a run.
func AggregateOf(results []ItemResult) Aggregate {
	a := Aggregate{Items: len(results)}
	if len(results) == 0 {
		return a
	}
	var latencies []float64
	var cost, judgeCost partial[float64]
	var in, out partial[int]
	judged := false
	for _, r := range results {
		if r.Failed() {
			a.Errors++
		} else {
			latencies = append(latencies, r.LatencyMs)
			cost.add(r.CostUSD)
			in.add(r.InputTokens)
			out.add(r.OutputTokens)
		}
		if r.Cached {
			a.Cached++
		}
		if cites(r) {
			a.CitingItems++
		}
		if !r.Scores.NoReference {
			a.RougeItems++
		}
		if r.Judge != nil {
			judged = true
			if r.Judge.Failed() {
				a.JudgeFailed++
			} else {
				a.JudgeItems++
			}
			if !r.Failed() {
				judgeCost.add(r.Judge.CostUSD)
			}
		}
	}
	a.setMeans(results)
	a.ErrorRate = float64(a.Errors) / float64(len(results))
	if len(latencies) > 0 {
		a.LatencyMeanMs = mean(latencies)
		a.LatencyP50Ms = percentile(latencies, 50)
		a.LatencyP95Ms = percentile(latencies, 95)
		a.CostUSD, a.InputTokens, a.OutputTokens = cost.known(), in.known(), out.known()
	}
	if judged {
		a.JudgeCostUSD = judgeCost.known()
	}
	return a
}

// setMeans sets each metric's mean over the items that have it.
func (a *Aggregate) setMeans(results []ItemResult) {
	for _, m := range metrics {
		if m.set == nil {
			continue
		}
		sum, n := 0.0, 0
		for _, r := range results {
			if m.has == nil || m.has(r) {
				sum += m.item(r)
				n++
			}
		}
		if n > 0 {
			m.set(a, sum/float64(n))
		}
	}
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
		return a.Rouge1, a.RougeItems > 0
	case "rouge2":
		return a.Rouge2, a.RougeItems > 0
	case "rougeL":
		return a.RougeL, a.RougeItems > 0
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
	case "cached":
		return float64(a.Cached), true
	case "citingItems":
		return float64(a.CitingItems), true
	case "citationValidity":
		return reported(a.CitationValidity)
	case "faithfulness":
		return reported(a.Faithfulness)
	case "judgeCoverage":
		return reported(a.JudgeCoverage)
	case "unsupported":
		return reported(a.Unsupported)
	case "sectionsAgree":
		return reported(a.SectionsAgree)
	case "judgeFailed":
		return float64(a.JudgeFailed), a.JudgeItems+a.JudgeFailed > 0
	case "judgeCostUsd":
		return reported(a.JudgeCostUSD)
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
		"inputTokens", "outputTokens", "estimatedCostUsd", "cached", "citingItems", "citationValidity",
		"faithfulness", "judgeCoverage", "unsupported", "sectionsAgree", "judgeFailed", "judgeCostUsd"}
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
	// has, when set, says whether an item has a value: items without one
	// (no reference for ROUGE, not graded for the judge's metrics) are left
	// out of the mean and of comparisons.
	has func(ItemResult) bool
	// set, when set, stores the mean in the aggregate.
	set func(*Aggregate, float64)
}

// graded reports whether the judge scored the item (a failed item scores
// zero; a judge-failed one has no value).
func graded(r ItemResult) bool { return r.Judge != nil && !r.Judge.Failed() }

func referenced(r ItemResult) bool { return !r.Scores.NoReference }

// cites reports whether the item's summary cites turns.
func cites(r ItemResult) bool { return r.Citations != nil && r.Citations.Cited > 0 }

// judgeMetric is a judge metric with its value in r.Judge.
func judgeMetric(name string, higherBetter bool, v func(*JudgeResult) float64, set func(*Aggregate, float64)) metric {
	return metric{name: name, higherBetter: higherBetter, has: graded, item: func(r ItemResult) float64 { return v(r.Judge) }, set: set}
}

// metrics are compared in this order; the ones with set are also means in
// the aggregate.
var metrics = []metric{
	{name: "rouge1", higherBetter: true, has: referenced, item: func(r ItemResult) float64 { return r.Scores.Rouge1.F1 },
		set: func(a *Aggregate, v float64) { a.Rouge1 = v }},
	{name: "rouge2", higherBetter: true, has: referenced, item: func(r ItemResult) float64 { return r.Scores.Rouge2.F1 },
		set: func(a *Aggregate, v float64) { a.Rouge2 = v }},
	{name: "rougeL", higherBetter: true, has: referenced, item: func(r ItemResult) float64 { return r.Scores.RougeL.F1 },
		set: func(a *Aggregate, v float64) { a.RougeL = v }},
	{name: "factRecall", higherBetter: true, item: func(r ItemResult) float64 { return r.Scores.FactRecall },
		set: func(a *Aggregate, v float64) { a.FactRecall = v }},
	{name: "forbidden", item: func(r ItemResult) float64 { return float64(len(r.Scores.Forbidden)) },
		set: func(a *Aggregate, v float64) { a.Forbidden = v }},
	{name: "compliance", higherBetter: true, item: func(r ItemResult) float64 { return boolFloat(r.Scores.Compliant) },
		set: func(a *Aggregate, v float64) { a.Compliance = v }},
	{name: "truncated", item: func(r ItemResult) float64 { return boolFloat(r.Truncated) },
		set: func(a *Aggregate, v float64) { a.Truncated = v }},
	{name: "citationValidity", higherBetter: true, has: cites, item: func(r ItemResult) float64 { return r.Citations.Validity() },
		set: func(a *Aggregate, v float64) { a.CitationValidity = &v }},
	judgeMetric("faithfulness", true, func(j *JudgeResult) float64 { return j.Faithfulness },
		func(a *Aggregate, v float64) { a.Faithfulness = &v }),
	judgeMetric("judgeCoverage", true, func(j *JudgeResult) float64 { return j.Coverage },
		func(a *Aggregate, v float64) { a.JudgeCoverage = &v }),
	judgeMetric("unsupported", false, func(j *JudgeResult) float64 { return float64(len(j.Unsupported)) },
		func(a *Aggregate, v float64) { a.Unsupported = &v }),
	{name: "sectionsAgree", higherBetter: true,
		has:  func(r ItemResult) bool { return graded(r) && r.Judge.SectionsAgree != nil },
		item: func(r ItemResult) float64 { return *r.Judge.SectionsAgree },
		set:  func(a *Aggregate, v float64) { a.SectionsAgree = &v }},
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
