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

// emfMetrics declares the metrics each line carries.
var emfMetrics = []map[string]string{
	{"Name": "Latency", "Unit": "Milliseconds"},
	{"Name": "LLMLatency", "Unit": "Milliseconds"},
	{"Name": "InputTokens", "Unit": "Count"},
	{"Name": "OutputTokens", "Unit": "Count"},
	{"Name": "EstimatedCostUSD", "Unit": "None"},
	{"Name": "Requests", "Unit": "Count"},
	{"Name": "Errors", "Unit": "Count"},
	{"Name": "Shed", "Unit": "Count"},
	{"Name": "RateLimited", "Unit": "Count"},
	{"Name": "Throttled", "Unit": "Count"},
}

var emfDimensions = [][]string{{"Summarizer", "Model", "StatusClass"}, {"Summarizer"}}

// attrs returns the EMF fields for one request: the _aws metadata, the
// dimension values and the metric values.
func (m *metrics) attrs(ri *reqInfo, status int, latency time.Duration) []slog.Attr {
	model := ri.model
	if model == "" {
		model = "none"
	}
	cost := 0.0
	if ri.usage.EstimatedCostUSD != nil {
		cost = *ri.usage.EstimatedCostUSD
	}
	return []slog.Attr{
		slog.Any("_aws", m.aws(ri.start)),
		slog.String("Summarizer", m.summarizer),
		slog.String("Model", model),
		slog.String("StatusClass", strconv.Itoa(status/100)+"xx"),
		slog.Int("Status", status),
		slog.Float64("Latency", ms(latency)),
		slog.Float64("LLMLatency", ms(ri.llm)),
		slog.Int("InputTokens", ri.usage.InputTokens),
		slog.Int("OutputTokens", ri.usage.OutputTokens),
		slog.Float64("EstimatedCostUSD", cost),
		slog.Int("Requests", 1),
		slog.Int("Errors", b2i(status >= 500)),
		slog.Int("Shed", b2i(ri.outcome == "shed")),
		slog.Int("RateLimited", b2i(ri.outcome == "rate_limited")),
		slog.Int("Throttled", b2i(ri.outcome == "throttled")),
	}
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

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
