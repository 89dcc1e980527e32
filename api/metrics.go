package api

import (
	"encoding/json"
	"log/slog"
	"strconv"
	"time"
)

// metricsNamespace is the CloudWatch namespace of the service's metrics.
const metricsNamespace = "llm-testing"

// metrics adds CloudWatch Embedded Metric Format fields to the access log
// line of each summarize request, so CloudWatch extracts metrics from the
// logs with no agent or sidecar.
type metrics struct {
	summarizer string
	// directive is the static CloudWatchMetrics part of _aws, rendered once.
	directive []byte
}

func newMetrics(summarizer string) *metrics {
	if summarizer == "" {
		summarizer = "unknown"
	}
	d, err := json.Marshal([]map[string]any{{
		"Namespace":  metricsNamespace,
		"Dimensions": emfDimensions,
		"Metrics":    emfMetrics,
	}})
	if err != nil {
		panic(err) // static data: cannot fail
	}
	return &metrics{summarizer: summarizer, directive: d}
}

// sample is what one request's metrics are computed from.
type sample struct {
	ri      *reqInfo
	status  int
	latency time.Duration
}

// emfMetric is one metric: its declaration in the directive, and its value.
type emfMetric struct {
	Name  string
	Unit  string
	value func(sample) float64
}

// emfMetrics are the metrics each line declares and carries, one entry each.
var emfMetrics = []emfMetric{
	{"Latency", "Milliseconds", func(s sample) float64 { return ms(s.latency) }},
	{"LLMLatency", "Milliseconds", func(s sample) float64 { return ms(s.ri.llm) }},
	{"InputTokens", "Count", func(s sample) float64 { return float64(s.ri.usage.InputTokens) }},
	{"OutputTokens", "Count", func(s sample) float64 { return float64(s.ri.usage.OutputTokens) }},
	{"EstimatedCostUSD", "None", func(s sample) float64 {
		if c := s.ri.usage.EstimatedCostUSD; c != nil {
			return *c
		}
		return 0
	}},
	{"Requests", "Count", func(sample) float64 { return 1 }},
	{"Errors", "Count", func(s sample) float64 { return b2f(s.status >= 500) }},
	{"Shed", "Count", counts(outcomeShed)},
	{"RateLimited", "Count", counts(outcomeRateLimited)},
	{"Throttled", "Count", counts(outcomeThrottled)},
	{"InvalidCitations", "Count", func(s sample) float64 { return float64(s.ri.droppedCitations) }},
}

// counts is the value of an outcome's metric: 1 for a request with it.
func counts(o outcome) func(sample) float64 {
	return func(s sample) float64 { return b2f(s.ri.outcome == o) }
}

var emfDimensions = [][]string{{"Summarizer", "Model", "StatusClass"}, {"Summarizer"}}

// attrs returns the EMF fields for one request: the _aws metadata, the
// dimension values and the metric values.
func (m *metrics) attrs(ri *reqInfo, status int, latency time.Duration) []slog.Attr {
	model := ri.model
	if model == "" {
		model = "none"
	}
	out := make([]slog.Attr, 0, 5+len(emfMetrics))
	out = append(out,
		slog.Any("_aws", m.aws(ri.start)),
		slog.String("Summarizer", m.summarizer),
		slog.String("Model", model),
		slog.String("StatusClass", strconv.Itoa(status/100)+"xx"),
		slog.Int("Status", status),
	)
	s := sample{ri: ri, status: status, latency: latency}
	for _, mt := range emfMetrics {
		out = append(out, slog.Float64(mt.Name, mt.value(s)))
	}
	return out
}

// aws renders the _aws object for a request that started at t.
func (m *metrics) aws(t time.Time) json.RawMessage {
	b := make([]byte, 0, len(m.directive)+64)
	b = append(b, `{"Timestamp":`...)
	b = strconv.AppendInt(b, t.UnixMilli(), 10)
	b = append(b, `,"CloudWatchMetrics":`...)
	b = append(b, m.directive...)
	return append(b, '}')
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
