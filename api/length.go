package api

import (
	"maps"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/validation"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// lengthBound is the minLength and maxLength of one string property of a
// body, checked by bodyRules itself: huma counts a string's characters once
// for each bound, with utf8.RuneCountInString, which for a 300 KB transcript
// is a large share of the request's CPU. Here the count is skipped when the
// byte length settles it, and made in one cheap pass when it does not. The
// bounds are the registered schema's, which the spec publishes.
type lengthBound struct {
	name     string
	min, max *int
}

// splitLengthBounds returns a copy of the object schema s without the
// length bounds of its string properties, for huma to validate the rest,
// and those bounds.
func splitLengthBounds(s *huma.Schema) (*huma.Schema, []lengthBound) {
	var bounds []lengthBound
	props := maps.Clone(s.Properties)
	for name, p := range s.Properties {
		if p.Type != huma.TypeString || (p.MinLength == nil && p.MaxLength == nil) {
			continue
		}
		bounds = append(bounds, lengthBound{name: name, min: p.MinLength, max: p.MaxLength})
		c := *p
		c.MinLength, c.MaxLength = nil, nil
		c.PrecomputeMessages()
		props[name] = &c
	}
	if len(bounds) == 0 {
		return s, nil
	}
	c := *s
	c.Properties = props
	c.PrecomputeMessages()
	return &c, bounds
}

// check adds to res, as huma would, the bounds that decoded's value breaks.
func (b lengthBound) check(decoded any, res *huma.ValidateResult) {
	m, _ := decoded.(map[string]any)
	str, ok := m[b.name].(string)
	if !ok {
		return
	}
	n := len(str) // at least the characters, at most four times as many
	if (b.min != nil && n < 4**b.min) || (b.max != nil && n > *b.max) {
		n = summary.Characters(str) // valid UTF-8: strictJSON lets nothing else through
	}
	at := "body." + b.name
	if b.min != nil && n < *b.min {
		res.Errors = append(res.Errors, &huma.ErrorDetail{Location: at, Value: str, Message: huma.ErrorFormatter(validation.MsgExpectedMinLength, *b.min)})
	}
	if b.max != nil && n > *b.max {
		res.Errors = append(res.Errors, &huma.ErrorDetail{Location: at, Value: str, Message: huma.ErrorFormatter(validation.MsgExpectedMaxLength, *b.max)})
	}
}
