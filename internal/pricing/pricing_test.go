package pricing

import (
	"math"
	"strings"
	"testing"
)

func TestCost(t *testing.T) {
	const sonnet46 = "anthropic.claude-sonnet-4-6"
	tests := []struct {
		model   string
		in, out int
		want    float64 // -1: unknown
	}{
		// Models with a global. profile cost 10% more in every other form.
		{"global." + sonnet46, 1_000_000, 1_000_000, 18},
		{"us." + sonnet46, 1_000_000, 1_000_000, 19.8},
		{"eu." + sonnet46, 1_000_000, 0, 3.3},
		{"jp." + sonnet46, 0, 1_000_000, 16.5},
		{"apac.anthropic.claude-opus-4-6-v1", 1_000_000, 0, 5.5},
		{"au.anthropic.claude-haiku-4-5-20251001-v1:0", 1_000_000, 1_000_000, 6.6},
		{sonnet46, 1_000_000, 0, 3.3}, // in-Region
		{"global.anthropic.claude-sonnet-4-5-20250929-v1:0", 2000, 300, (2000*3 + 300*15) / 1e6},
		{"arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.anthropic.claude-opus-4-5-20251101-v1:0", 0, 1_000_000, 25},
		// Older models cost the same in every form.
		{"us.anthropic.claude-opus-4-1-20250805-v1:0", 0, 1_000_000, 75},
		{"apac.anthropic.claude-sonnet-4-20250514-v1:0", 1_000_000, 0, 3},
		{"anthropic.claude-3-5-haiku-20241022-v1:0", 1_000_000, 0, 0.8},
		{"arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0", 1_000_000, 1_000_000, 1.5},
		// Unknown: no cost, never a guess.
		{"amazon.nova-pro-v1:0", 1000, 1000, -1},
		{"anthropic.claude-opus-4-7", 1000, 1000, -1},
		{"xx." + sonnet46, 1000, 1000, -1},
		{"us.", 1, 1, -1},
		{"", 1, 1, -1},
	}
	for _, tt := range tests {
		t.Run(tt.model, func(t *testing.T) {
			assertCost(t, Cost(tt.model, tt.in, tt.out), tt.want)
		})
	}
}

// assertCost checks a cost against want, -1 meaning no cost.
func assertCost(tb testing.TB, got *float64, want float64) {
	tb.Helper()
	switch {
	case want < 0 && got != nil:
		tb.Errorf("Cost = %v, want nil for an unknown model", *got)
	case want >= 0 && got == nil:
		tb.Errorf("Cost = nil, want %v", want)
	case want >= 0 && math.Abs(*got-want) > 1e-9:
		tb.Errorf("Cost = %v, want %v", *got, want)
	}
}

func TestParsePrices(t *testing.T) {
	raw := `{"amazon.nova-pro-v1:0": {"input": 0.8, "output": 3.2},
		"anthropic.claude-sonnet-4-6": {"input": 2, "output": 10},
		"eu.anthropic.claude-sonnet-4-6": {"input": 4, "output": 20}}`
	p, err := ParsePrices(raw)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		model string
		want  float64 // of 1M input and 1M output tokens
	}{
		{"us.amazon.nova-pro-v1:0", 4},                         // added, every form
		{"us.anthropic.claude-sonnet-4-6", 12},                 // base id replaced, no premium
		{"eu.anthropic.claude-sonnet-4-6", 24},                 // the exact form wins
		{"global.anthropic.claude-haiku-4-5-20251001-v1:0", 6}, // list price untouched
		{"meta.llama3-70b-instruct-v1:0", -1},
	}
	for _, tt := range tests {
		t.Run(tt.model, func(t *testing.T) {
			assertCost(t, p.Cost(tt.model, 1_000_000, 1_000_000), tt.want)
		})
	}
	if p, err := ParsePrices("  "); err != nil || p.Cost("us.anthropic.claude-sonnet-4-6", 1_000_000, 0) == nil {
		t.Errorf("ParsePrices(blank) = %v, %v; want the list prices", p, err)
	}
}

func TestParsePricesErrors(t *testing.T) {
	tests := map[string]string{
		"not JSON":       `input=3`,
		"not an object":  `[1, 2]`,
		"string price":   `{"a.b": {"input": "3", "output": 15}}`,
		"unknown field":  `{"a.b": {"input": 3, "output": 15, "cache": 1}}`,
		"output missing": `{"a.b": {"input": 3}}`,
		"negative":       `{"a.b": {"input": -1, "output": 15}}`,
		"empty id":       `{"": {"input": 1, "output": 1}}`,
		"ARN":            `{"arn:aws:bedrock:us-east-1::foundation-model/a.b": {"input": 1, "output": 1}}`,
		"trailing text":  `{"a.b": {"input": 1, "output": 1}} {}`,
	}
	for name, raw := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := ParsePrices(raw)
			if err == nil || strings.Contains(err.Error(), "\n") {
				t.Errorf("ParsePrices(%s) err = %v, want one line", raw, err)
			}
		})
	}
}

func TestBaseModelID(t *testing.T) {
	tests := map[string]string{
		"us.anthropic.claude-sonnet-4-5-20250929-v1:0":     "anthropic.claude-sonnet-4-5-20250929-v1:0",
		"global.anthropic.claude-haiku-4-5-20251001-v1:0":  "anthropic.claude-haiku-4-5-20251001-v1:0",
		"us-gov.anthropic.claude-sonnet-4-6":               "anthropic.claude-sonnet-4-6",
		"anthropic.claude-sonnet-4-5-20250929-v1:0":        "anthropic.claude-sonnet-4-5-20250929-v1:0",
		"arn:aws:bedrock:eu-west-1::foundation-model/x.y1": "x.y1",
		"amazon.nova-pro-v1:0":                             "amazon.nova-pro-v1:0",
	}
	for in, want := range tests {
		if got := BaseModelID(in); got != want {
			t.Errorf("BaseModelID(%q) = %q, want %q", in, got, want)
		}
	}
}
