package bedrock

import (
	"math"
	"testing"

	"github.com/llm-testing/llm-testing/internal/config"
)

func TestCost(t *testing.T) {
	tests := []struct {
		model   string
		in, out int
		want    float64 // -1: unknown
	}{
		{config.DefaultModelID, 1_000_000, 0, 3},
		{config.DefaultModelID, 0, 1_000_000, 15},
		{"global.anthropic.claude-sonnet-4-5-20250929-v1:0", 2000, 300, (2000*3 + 300*15) / 1e6},
		{"eu.anthropic.claude-haiku-4-5-20251001-v1:0", 1_000_000, 1_000_000, 6},
		{"anthropic.claude-3-5-haiku-20241022-v1:0", 1_000_000, 0, 0.8},
		{"arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-opus-4-1-20250805-v1:0", 0, 1_000_000, 75},
		{"apac.anthropic.claude-sonnet-4-20250514-v1:0", 1_000_000, 0, 3},
		{"us.anthropic.claude-opus-4-5-20251101-v1:0", 1_000_000, 0, 5},
		{"amazon.nova-pro-v1:0", 1000, 1000, -1},
		{"", 1, 1, -1},
	}
	for _, tt := range tests {
		t.Run(tt.model, func(t *testing.T) {
			got := Cost(tt.model, tt.in, tt.out)
			if tt.want < 0 {
				if got != nil {
					t.Errorf("Cost = %v, want nil for an unknown model", *got)
				}
				return
			}
			if got == nil || math.Abs(*got-tt.want) > 1e-12 {
				t.Errorf("Cost = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestBaseModelID(t *testing.T) {
	tests := map[string]string{
		"us.anthropic.claude-sonnet-4-5-20250929-v1:0":     "anthropic.claude-sonnet-4-5-20250929-v1:0",
		"global.anthropic.claude-haiku-4-5-20251001-v1:0":  "anthropic.claude-haiku-4-5-20251001-v1:0",
		"anthropic.claude-sonnet-4-5-20250929-v1:0":        "anthropic.claude-sonnet-4-5-20250929-v1:0",
		"arn:aws:bedrock:eu-west-1::foundation-model/x.y1": "x.y1",
	}
	for in, want := range tests {
		if got := baseModelID(in); got != want {
			t.Errorf("baseModelID(%q) = %q, want %q", in, got, want)
		}
	}
}
