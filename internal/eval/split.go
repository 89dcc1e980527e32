package eval

import (
	"fmt"
	"slices"
)

// The parts of a split set. A summarizer is tuned on the tune part only;
// the report part is held out and only measured, so that its numbers say
// how the summarizer does on calls nobody fitted it to.
const (
	SplitTune   = "tune"
	SplitReport = "report"
)

// splits are the valid Item.Split values, and splitsWanted says so in errors.
var splits = []string{SplitTune, SplitReport}

const splitsWanted = "tune or report"

func validSplit(s string) bool { return slices.Contains(splits, s) }

// SelectSplit returns the items of one part of a split set; split "" keeps
// every item. A part that no item belongs to is an error, so that a typo or
// an unsplit set does not report on nothing.
func SelectSplit(items []Item, split string) ([]Item, error) {
	if split == "" {
		return items, nil
	}
	if !validSplit(split) {
		return nil, fmt.Errorf("split %q: want %s", split, splitsWanted)
	}
	var out []Item
	for _, it := range items {
		if it.Split == split {
			out = append(out, it)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("split %q: no item of the set belongs to it", split)
	}
	return out, nil
}

// WithMaxLength returns copies of items whose maxLength is n, so one set is
// measured at several lengths; n 0 keeps each item's own. n outside the
// API's bounds is an error (Validate's).
func WithMaxLength(items []Item, n int) ([]Item, error) {
	if n == 0 {
		return items, nil
	}
	out := slices.Clone(items)
	for i := range out {
		out[i].Options.MaxLength = n
	}
	if err := Validate(out[:1]); err != nil {
		return nil, fmt.Errorf("override maxLength: %w", err)
	}
	return out, nil
}
