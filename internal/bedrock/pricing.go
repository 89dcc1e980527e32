package bedrock

import "strings"

// price is the on-demand price of a model in US dollars per million tokens.
type price struct {
	input, output float64
}

// prices holds the on-demand prices of the Claude models this service is
// meant to run on, keyed by base model id (no inference-profile prefix).
// They are the list prices for Anthropic models on Amazon Bedrock as
// published on https://aws.amazon.com/bedrock/pricing/, taken 2025-11-01 for
// the US regions, in USD per million tokens:
//
//	anthropic.claude-sonnet-4-5-20250929-v1:0  3.00 in  15.00 out  (Sonnet 4.5, the default)
//	anthropic.claude-haiku-4-5-20251001-v1:0   1.00 in   5.00 out  (Haiku 4.5)
//	anthropic.claude-sonnet-4-20250514-v1:0    3.00 in  15.00 out  (Sonnet 4)
//	anthropic.claude-opus-4-1-20250805-v1:0   15.00 in  75.00 out  (Opus 4.1)
//	anthropic.claude-opus-4-5-20251101-v1:0    5.00 in  25.00 out  (Opus 4.5)
//	anthropic.claude-3-5-haiku-20241022-v1:0   0.80 in   4.00 out  (3.5 Haiku)
//
// The cost is an estimate: prompts over 200k tokens, prompt caching, batch
// and provisioned throughput are priced differently, and geographic
// profiles (us., eu., apac.) of the 4.5 models are listed a little above the
// global. ones. To cut cost, use a global. profile where data residency
// allows, and Haiku 4.5 (us.anthropic.claude-haiku-4-5-20251001-v1:0), which
// is a third of Sonnet's price and fast enough for call summaries.
var prices = map[string]price{
	"anthropic.claude-sonnet-4-5-20250929-v1:0": {3, 15},
	"anthropic.claude-haiku-4-5-20251001-v1:0":  {1, 5},
	"anthropic.claude-sonnet-4-20250514-v1:0":   {3, 15},
	"anthropic.claude-opus-4-1-20250805-v1:0":   {15, 75},
	"anthropic.claude-opus-4-5-20251101-v1:0":   {5, 25},
	"anthropic.claude-3-5-haiku-20241022-v1:0":  {0.8, 4},
}

// baseModelID strips an inference-profile prefix ("us.", "eu.", "apac.",
// "global." ...) or an ARN from a model id.
func baseModelID(id string) string {
	if i := strings.LastIndexByte(id, '/'); i >= 0 {
		id = id[i+1:]
	}
	if i := strings.Index(id, "anthropic."); i > 0 {
		id = id[i:]
	}
	return id
}

// Cost estimates in USD what in input and out output tokens cost on
// modelID, or returns nil when the model's price is not in the table.
func Cost(modelID string, in, out int) *float64 {
	p, ok := prices[baseModelID(modelID)]
	if !ok {
		return nil
	}
	c := (float64(in)*p.input + float64(out)*p.output) / 1e6
	return &c
}
