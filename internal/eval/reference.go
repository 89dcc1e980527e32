package eval

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"
)

// ReferenceTarget answers each item with its shipped reference: the
// summaries a judge should score near the top.
type ReferenceTarget struct{}

var _ Target = ReferenceTarget{}

// Name returns "reference".
func (ReferenceTarget) Name() string { return "reference" }

// Summarize returns the item's reference; an item without one fails.
func (ReferenceTarget) Summarize(ctx context.Context, it Item) (Output, error) {
	if it.Reference == "" {
		return Output{}, errors.New("item " + it.ID + " has no reference")
	}
	return Output{Summary: it.Reference, Model: "reference"}, ctx.Err()
}

// CorruptTarget answers each item with its reference made wrong on purpose:
// the first amount or number changed, and a refund nobody gave added. A
// judge that cannot tell these from the references cannot be trusted.
type CorruptTarget struct{}

var _ Target = CorruptTarget{}

// Name returns "corrupt".
func (CorruptTarget) Name() string { return "corrupt" }

// Invented is the sentence Corrupt adds to every reference.
const Invented = "The agent also issued a full refund of $250 as a goodwill gesture."

// Summarize returns the item's reference, corrupted.
func (CorruptTarget) Summarize(ctx context.Context, it Item) (Output, error) {
	if it.Reference == "" {
		return Output{}, errors.New("item " + it.ID + " has no reference")
	}
	return Output{Summary: Corrupt(it.Reference), Model: "corrupt"}, ctx.Err()
}

var number = regexp.MustCompile(`\d+(?:[.,]\d+)?`)

// Corrupt changes the first number in s (its leading digit, so "$64.99"
// becomes "$74.99") and adds Invented.
func Corrupt(s string) string {
	if loc := number.FindStringIndex(s); loc != nil {
		d, _ := strconv.Atoi(s[loc[0] : loc[0]+1])
		s = s[:loc[0]] + strconv.Itoa((d+1)%10) + s[loc[0]+1:]
	}
	return strings.TrimSpace(s) + " " + Invented
}
