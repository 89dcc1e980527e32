// Package pricing estimates what a Bedrock call cost from its token counts:
// the list prices of the Claude models by every form of their ids (global.,
// geographic, in-Region, ARNs), plus overrides an operator gives in
// BEDROCK_PRICES (internal/config parses it). An unknown model has no cost,
// never a guessed one.
package pricing

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
)

// Price is the on-demand price of a model in US dollars per million tokens.
type Price struct {
	Input  float64 `json:"input"`
	Output float64 `json:"output"`
}

// listPrice is a built-in entry: the price of the model's global. profile
// and whether its other forms cost regionalPremium more.
type listPrice struct {
	Price
	premium bool
}

// regionalPremium is what geographic (us., eu., apac., jp., au. ...) and
// in-Region calls cost over a global. profile, for the models that have one:
// AWS lists global cross-Region inference of Claude Sonnet 4.5 and later at
// about 10% less than geographic profiles.
const regionalPremium = 1.10

// profilePrefixes are the inference-profile prefixes a Bedrock model id may
// carry; "global" is the one regionalPremium is measured from.
var profilePrefixes = []string{"global", "us", "eu", "apac", "jp", "au", "ca", "us-gov"}

// listPrices are the on-demand list prices of the Claude models on Bedrock
// that take the Converse API (ARN-versioned ids), by base model id, in USD
// per million tokens: Anthropic's list prices, which Bedrock's global.
// profiles charge. Checked 2026-12-01 against Anthropic's "Claude on Amazon
// Bedrock" and model pages and AWS's cross-Region inference docs. Newer
// models without an ARN-versioned id (Opus 4.7 on) answer only Bedrock's
// Messages API, not Converse, so they are absent; add a model with
// BEDROCK_PRICES. Not counted: prompts over 200k tokens, prompt caching,
// batch and provisioned throughput, which are priced differently.
var listPrices = map[string]listPrice{
	"anthropic.claude-opus-4-6-v1":              {Price{5, 25}, true},
	"anthropic.claude-sonnet-4-6":               {Price{3, 15}, true},
	"anthropic.claude-opus-4-5-20251101-v1:0":   {Price{5, 25}, true},
	"anthropic.claude-sonnet-4-5-20250929-v1:0": {Price{3, 15}, true},
	"anthropic.claude-haiku-4-5-20251001-v1:0":  {Price{1, 5}, true},
	"anthropic.claude-opus-4-1-20250805-v1:0":   {Price{15, 75}, false},
	"anthropic.claude-opus-4-20250514-v1:0":     {Price{15, 75}, false},
	"anthropic.claude-sonnet-4-20250514-v1:0":   {Price{3, 15}, false},
	"anthropic.claude-3-7-sonnet-20250219-v1:0": {Price{3, 15}, false},
	"anthropic.claude-3-5-haiku-20241022-v1:0":  {Price{0.8, 4}, false},
	"anthropic.claude-3-haiku-20240307-v1:0":    {Price{0.25, 1.25}, false},
}

// Prices is a price table: the built-in list prices and the overrides of
// BEDROCK_PRICES. The zero value has the list prices only.
type Prices struct {
	overrides map[string]Price
}

// ParsePrices reads a price table in BEDROCK_PRICES's form, a JSON object
// from model id to {"input": USD, "output": USD} per million tokens: a base
// id prices every form of it, an id with a profile prefix that form alone.
// An empty value leaves the list prices as they are.
func ParsePrices(raw string) (Prices, error) {
	if strings.TrimSpace(raw) == "" {
		return Prices{}, nil
	}
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.DisallowUnknownFields()
	var m map[string]struct {
		Input  *float64 `json:"input"`
		Output *float64 `json:"output"`
	}
	if err := dec.Decode(&m); err != nil {
		return Prices{}, fmt.Errorf("want a JSON object from model id to {\"input\": USD, \"output\": USD} per million tokens: %w", err)
	}
	if dec.More() {
		return Prices{}, errors.New("text after the JSON object")
	}
	prices := Prices{overrides: make(map[string]Price, len(m))}
	for id, p := range m {
		if strings.TrimSpace(id) == "" || strings.Contains(id, "/") {
			return Prices{}, fmt.Errorf("%q is not a model id (no ARNs)", id)
		}
		if p.Input == nil || p.Output == nil {
			return Prices{}, fmt.Errorf("%s: set both \"input\" and \"output\"", id)
		}
		for _, v := range []float64{*p.Input, *p.Output} {
			if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
				return Prices{}, fmt.Errorf("%s: prices must be finite and not negative", id)
			}
		}
		prices.overrides[id] = Price{Input: *p.Input, Output: *p.Output}
	}
	return prices, nil
}

// Lookup returns the price of one call to modelID (a model id, an
// inference-profile id or either's ARN), and false when the table does not
// know it.
func (p Prices) Lookup(modelID string) (Price, bool) {
	id := stripARN(modelID)
	if price, ok := p.overrides[id]; ok {
		return price, true
	}
	prefix, base := splitProfile(id)
	if price, ok := p.overrides[base]; ok {
		return price, true
	}
	list, ok := listPrices[base]
	if !ok {
		return Price{}, false
	}
	if list.premium && prefix != "global" {
		return Price{list.Input * regionalPremium, list.Output * regionalPremium}, true
	}
	return list.Price, true
}

// Cost estimates in USD what in input and out output tokens cost on
// modelID, or returns nil when the model's price is not in the table: no
// cost rather than a wrong one.
func (p Prices) Cost(modelID string, in, out int) *float64 {
	price, ok := p.Lookup(modelID)
	if !ok {
		return nil
	}
	c := (float64(in)*price.Input + float64(out)*price.Output) / 1e6
	return &c
}

// Cost is Prices.Cost on the list prices.
func Cost(modelID string, in, out int) *float64 { return Prices{}.Cost(modelID, in, out) }

// BaseModelID strips an ARN and an inference-profile prefix from a model
// id: what is left names the model in every Region and profile.
func BaseModelID(id string) string {
	_, base := splitProfile(stripARN(id))
	return base
}

// stripARN returns the resource id of an ARN (after the last "/"), or id.
func stripARN(id string) string { return id[strings.LastIndexByte(id, '/')+1:] }

// splitProfile splits an inference-profile prefix off a model id:
// "us.anthropic.x" is ("us", "anthropic.x"); an id without a known prefix
// is ("", id).
func splitProfile(id string) (prefix, base string) {
	head, rest, ok := strings.Cut(id, ".")
	for _, p := range profilePrefixes {
		if ok && head == p {
			return head, rest
		}
	}
	return "", id
}
