package bedrock

import (
	"context"
	"testing"

	"github.com/llm-testing/llm-testing/internal/bedrock/bedrocktest"
	"github.com/llm-testing/llm-testing/internal/pricing"
	"github.com/llm-testing/llm-testing/internal/summary"
)

// TestSummarizerUsesPrices checks that Options.Prices reach the cost of both
// a summary and a stream.
func TestSummarizerUsesPrices(t *testing.T) {
	const model = "us.amazon.nova-pro-v1:0" // not in the list prices
	prices, err := pricing.ParsePrices(`{"amazon.nova-pro-v1:0": {"input": 1000000, "output": 0}}`)
	if err != nil {
		t.Fatal(err)
	}
	for name, opts := range map[string]Options{"list": {ModelID: model}, "override": {ModelID: model, Prices: prices}} {
		t.Run(name, func(t *testing.T) {
			s, _ := newTestSummarizer(t, bedrocktest.Options{}, opts)
			res, err := s.Summarize(context.Background(), request())
			if err != nil {
				t.Fatal(err)
			}
			st, err := s.SummarizeStream(context.Background(), request())
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if _, _, err := drain(t, st); err != nil {
				t.Fatal(err)
			}
			for kind, u := range map[string]summary.Usage{"summary": res.Usage, "stream": st.Result().Usage} {
				want := -1.0
				if name == "override" {
					want = float64(u.InputTokens) // 1 USD a token
				}
				if u.InputTokens == 0 {
					t.Fatalf("%s: no input tokens counted", kind)
				}
				switch got := u.EstimatedCostUSD; {
				case want < 0 && got != nil:
					t.Errorf("%s: cost %v, want none for a model without a price", kind, *got)
				case want >= 0 && (got == nil || *got != want):
					t.Errorf("%s: cost %v, want %v", kind, got, want)
				}
			}
		})
	}
}
