package main

import (
	"flag"

	"github.com/llm-testing/llm-testing/internal/eval"
)

// setOptions choose which items of the set run, and at what length: a part
// of a split set (the held-out discipline of docs/evaluation.md) and one
// maxLength for every item.
type setOptions struct {
	split     string
	maxLength int
}

func (s *setOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&s.split, "split", "", "only the items of this part of a split set: tune or report (default every item)")
	fs.IntVar(&s.maxLength, "max-length", 0, "maxLength for every item, overriding the set's (default each item's own)")
}

// apply selects the part and sets the length.
func (s setOptions) apply(items []eval.Item) ([]eval.Item, error) {
	items, err := eval.SelectSplit(items, s.split)
	if err != nil {
		return nil, err
	}
	return eval.WithMaxLength(items, s.maxLength)
}
