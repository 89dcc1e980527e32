package local

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// FuzzSplit checks that Split never panics and that every sentence it
// returns is clean: one trimmed line, bounded in words, with a known role,
// in turn order.
func FuzzSplit(f *testing.F) {
	f.Add("Agent: Hello, how can I help?\nCustomer: I was charged twice.")
	f.Add("[00:01:23] Speaker 1: um, uh, hi\n00:01:30 - Speaker 2: ok")
	f.Add("Agent (Maria): I'll send it. Customer: thanks!")
	f.Fuzz(func(t *testing.T, transcript string) {
		last := 0
		for _, s := range Split(transcript) {
			if s.Text == "" || s.Text != strings.TrimSpace(s.Text) || strings.ContainsAny(s.Text, "\n\r") {
				t.Fatalf("sentence text %q is not one trimmed line", s.Text)
			}
			if n := len(strings.Fields(s.Text)); n > maxSentenceWords {
				t.Fatalf("sentence of %d words: %q", n, s.Text)
			}
			if s.Role != RoleAgent && s.Role != RoleCustomer && s.Role != RoleOther {
				t.Fatalf("role %q", s.Role)
			}
			if s.Turn < last {
				t.Fatalf("turn %d after turn %d", s.Turn, last)
			}
			last = s.Turn
			if utf8.ValidString(transcript) && !utf8.ValidString(s.Text) {
				t.Fatalf("valid input gave invalid UTF-8 %q", s.Text)
			}
		}
	})
}

// FuzzSummarize checks the word guarantee and the bullet layout for any
// transcript and length.
func FuzzSummarize(f *testing.F) {
	f.Add("Agent: Thank you for calling. Customer: My refund of $40 never arrived. Agent: I'll send it today.", 10, false)
	f.Add("Customer: "+strings.Repeat("word ", 300), 25, true)
	f.Add("ok", 1000, true)
	f.Fuzz(func(t *testing.T, transcript string, maxLength int, bullets bool) {
		maxLength = summary.MinMaxLength + abs(maxLength)%(summary.MaxMaxLength-summary.MinMaxLength+1)
		format := summary.FormatParagraph
		if bullets {
			format = summary.FormatBullets
		}
		req := summary.Request{Transcript: transcript, MaxLength: maxLength, Format: format, Sections: allSections}
		res, err := summary.NewPipeline(New(), summary.Policy{}).Summarize(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if n := summary.CountWords(res.Summary); n > maxLength {
			t.Fatalf("summary has %d words, maxLength %d: %q", n, maxLength, res.Summary)
		}
		if res.Summary == "" {
			t.Fatal("empty summary")
		}
		if bullets {
			for l := range strings.SplitSeq(res.Summary, "\n") {
				if !strings.HasPrefix(l, "- ") {
					t.Fatalf("bullet line %q", l)
				}
			}
		}
	})
}

func abs(n int) int {
	if n < 0 {
		if -n < 0 {
			return 0
		}
		return -n
	}
	return n
}
