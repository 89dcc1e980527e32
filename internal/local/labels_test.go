package local_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/llm-testing/llm-testing/internal/eval"
	"github.com/llm-testing/llm-testing/internal/local"
	"github.com/llm-testing/llm-testing/internal/summary"
)

// shippedSets are the evaluation sets the repository ships.
var shippedSets = []string{"../../testdata/eval/calls.jsonl", "../../testdata/eval/dialogues.jsonl"}

// roleWords are the words a summarizer could invent a speaker with.
var roleWords = regexp.MustCompile(`(?i)\b(agent|customer|caller|rep|representative|client|speaker \d|person ?\d)\b`)

// summaryLabel finds "Name:" where a summary gives a sentence a speaker: at
// a line start, after a bullet or after a sentence end.
var summaryLabel = regexp.MustCompile(`(?m)(?:^|^- |[.!?] )([A-Z][\w'’]*(?: [\w()'’]+){0,2}):(?:\s|$)`)

// inventedLabels lists the speaker labels and role words of sum that
// transcript does not have, in any case: "So, to recap: ..." cut to "To
// recap: ..." names nobody.
func inventedLabels(transcript, sum string) []string {
	var out []string
	lower := strings.ToLower(transcript)
	for _, w := range roleWords.FindAllString(sum, -1) {
		if !strings.Contains(lower, strings.ToLower(w)) {
			out = append(out, w)
		}
	}
	for _, m := range summaryLabel.FindAllStringSubmatch(sum, -1) {
		if !strings.Contains(lower, strings.ToLower(m[1])+":") {
			out = append(out, m[1]+":")
		}
	}
	return out
}

func TestInventedLabels(t *testing.T) {
	tests := []struct {
		transcript, sum string
		want            string
	}{
		{"Person1: We fly tomorrow.", "Agent: We fly tomorrow.", "[Agent Agent:]"},
		{"Person1: We fly tomorrow.", "Person1: We fly tomorrow.", "[]"},
		{"Person1: I fly tomorrow.", "Person1 flies tomorrow.", "[]"},
		{"We fly tomorrow.", "The customer flies tomorrow.", "[customer]"},
		{"Dana: We ship Thursday.", "It slipped. Omar: We ship Thursday.", "[Omar:]"},
		{"Customer: My bill doubled.", "- The customer's bill doubled.", "[]"},
		{"Agent: So, to recap: two refunds.", "To recap: two refunds.", "[]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(inventedLabels(tt.transcript, tt.sum)); got != tt.want {
			t.Errorf("inventedLabels(%q, %q) = %s, want %s", tt.transcript, tt.sum, got, tt.want)
		}
	}
}

// TestShippedSetsInventNoSpeaker summarizes every call of the shipped sets
// at a short, a longer and the item's own length, in both formats, and
// fails on any speaker label or role the transcript does not have.
func TestShippedSetsInventNoSpeaker(t *testing.T) {
	s := local.New()
	for _, path := range shippedSets {
		items, err := eval.LoadSet(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			for _, n := range []int{20, 60, it.MaxLength()} {
				for _, f := range []summary.Format{summary.FormatParagraph, summary.FormatBullets} {
					req := it.Request()
					req.MaxLength, req.Format = n, f
					res, err := s.Summarize(context.Background(), req)
					if err != nil {
						t.Fatal(err)
					}
					texts := append([]string{res.Summary}, res.KeyPoints...)
					for _, text := range texts {
						if bad := inventedLabels(it.Transcript, text); len(bad) > 0 {
							t.Errorf("%s at %d words (%s): %q is not in the transcript: %q", it.ID, n, f, bad, text)
						}
					}
				}
			}
		}
	}
}
