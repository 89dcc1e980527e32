package local

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/llm-testing/llm-testing/internal/summary"
)

func readSample(tb testing.TB, name string) string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// summarize runs the local summarizer as the service does, in the pipeline:
// the property tests below hold for what a caller gets. Truncated says the
// pipeline had to cut what the local summarizer wrote.
func summarize(tb testing.TB, req summary.Request) summary.Result {
	tb.Helper()
	res, err := summary.NewPipeline(New(), summary.Policy{}).Summarize(context.Background(), req)
	if err != nil {
		tb.Fatalf("Summarize: %v", err)
	}
	return res
}

// transcripts are the inputs of the property tests: samples, generated
// calls, and shapes that stress the splitter.
func transcripts(tb testing.TB) map[string]string {
	tb.Helper()
	long := strings.Repeat("the customer says the router drops the connection every evening ", 400)
	return map[string]string{
		"billing":      readSample(tb, "billing_dispute.txt"),
		"password":     readSample(tb, "password_reset.txt"),
		"escalation":   readSample(tb, "delivery_escalation.txt"),
		"generated":    generateTranscript(tb, 3, 20000),
		"no ends":      "Customer: " + long,
		"one line":     strings.ReplaceAll(readSample(tb, "billing_dispute.txt"), "\n", " "),
		"backchannels": "Agent: Okay.\nCustomer: Yeah.\nAgent: Mm-hmm.\nCustomer: Ok.",
		"one word":     "refund",
		"long words":   "Customer: " + strings.Repeat("supercalifragilistic-", 300),
	}
}

func TestSummarizeNeverExceedsMaxLength(t *testing.T) {
	for name, text := range transcripts(t) {
		for _, format := range []summary.Format{summary.FormatParagraph, summary.FormatBullets} {
			t.Run(name+"/"+string(format), func(t *testing.T) {
				for max := summary.MinMaxLength; max <= summary.MaxMaxLength; max += 7 {
					res := summarize(t, summary.Request{Transcript: text, MaxLength: max, Format: format})
					if got := summary.CountWords(res.Summary); got > max {
						t.Fatalf("maxLength %d: summary has %d words: %q", max, got, res.Summary)
					}
					if strings.TrimSpace(res.Summary) == "" {
						t.Fatalf("maxLength %d: empty summary", max)
					}
					if format == summary.FormatBullets {
						for l := range strings.SplitSeq(res.Summary, "\n") {
							if !strings.HasPrefix(l, "- ") {
								t.Fatalf("maxLength %d: bullet line %q does not start with \"- \"", max, l)
							}
						}
					} else if strings.Contains(res.Summary, "\n") {
						t.Fatalf("maxLength %d: paragraph has a line break: %q", max, res.Summary)
					}
				}
			})
		}
	}
}

func TestSummarizePrefersWholeSentences(t *testing.T) {
	text := readSample(t, "billing_dispute.txt")
	for _, max := range []int{20, 40, 80, 150} {
		res := summarize(t, summary.Request{Transcript: text, MaxLength: max})
		if res.Truncated {
			t.Errorf("maxLength %d: truncated, want whole sentences: %q", max, res.Summary)
		}
		if strings.HasSuffix(res.Summary, "…") {
			t.Errorf("maxLength %d: summary was cut: %q", max, res.Summary)
		}
	}
	// One sentence of 40 words cannot fit in 10: it is cut and says so.
	res := summarize(t, summary.Request{Transcript: "Customer: " + strings.Repeat("router drops ", 20), MaxLength: 10})
	if !res.Truncated || summary.CountWords(res.Summary) > 10 {
		t.Errorf("got truncated=%v, %d words, want a cut to 10 words", res.Truncated, summary.CountWords(res.Summary))
	}
}

func TestSummarizeMentionsKeyFacts(t *testing.T) {
	tests := []struct {
		sample     string
		max        int
		facts      []string
		resolution summary.Resolution
		sentiment  []summary.Sentiment
	}{
		{"billing_dispute.txt", 60, []string{"charged twice", "$89.99", "refund"},
			summary.ResolutionResolved, []summary.Sentiment{summary.SentimentMixed, summary.SentimentNegative}},
		{"password_reset.txt", 40, []string{"locked", "reset your password"},
			summary.ResolutionResolved, []summary.Sentiment{summary.SentimentPositive}},
		{"delivery_escalation.txt", 60, []string{"558120", "FH-30922", "claims"},
			summary.ResolutionEscalated, []summary.Sentiment{summary.SentimentNegative}},
	}
	for _, tt := range tests {
		t.Run(tt.sample, func(t *testing.T) {
			res := summarize(t, summary.Request{Transcript: readSample(t, tt.sample), MaxLength: tt.max, Sections: allSections})
			for _, f := range tt.facts {
				if !strings.Contains(res.Summary, f) {
					t.Errorf("summary does not mention %q: %q", f, res.Summary)
				}
			}
			if res.Resolution != tt.resolution {
				t.Errorf("resolution = %s, want %s", res.Resolution, tt.resolution)
			}
			found := false
			for _, s := range tt.sentiment {
				found = found || res.Sentiment == s
			}
			if !found {
				t.Errorf("sentiment = %s, want one of %v", res.Sentiment, tt.sentiment)
			}
			if len(res.KeyPoints) == 0 || len(res.ActionItems) == 0 {
				t.Errorf("got %d key points and %d action items, want some of each", len(res.KeyPoints), len(res.ActionItems))
			}
			for _, banned := range []string{"Thank you for calling", "[00:", "Um", " uh", "Agent:", "Customer:"} {
				if strings.Contains(res.Summary, banned) && !strings.Contains(readSample(t, tt.sample), banned) {
					t.Errorf("summary contains %q: %q", banned, res.Summary)
				}
			}
		})
	}
}

func TestSummarizeResultFields(t *testing.T) {
	text := readSample(t, "password_reset.txt")
	res := summarize(t, summary.Request{Transcript: text, MaxLength: 50})
	if res.Model != Model || Model != "local-extractive-v1" {
		t.Errorf("Model = %q, want local-extractive-v1", res.Model)
	}
	if res.Chunks != 1 {
		t.Errorf("Chunks = %d, want 1", res.Chunks)
	}
	if got, want := res.Usage.InputTokens, summary.EstimateTokens(text); got != want {
		t.Errorf("InputTokens = %d, want %d", got, want)
	}
	if got, want := res.Usage.OutputTokens, summary.EstimateTokens(res.Summary); got != want || got == 0 {
		t.Errorf("OutputTokens = %d, want %d (> 0)", got, want)
	}
	if c := res.Usage.EstimatedCostUSD; c == nil || *c != 0 {
		t.Errorf("EstimatedCostUSD = %v, want a pointer to 0", c)
	}
	if res.KeyPoints != nil || res.ActionItems != nil || res.Sentiment != "" || res.Resolution != "" {
		t.Errorf("sections filled without being asked for: %+v", res)
	}
	only := summarize(t, summary.Request{Transcript: text, MaxLength: 50, Sections: []summary.Section{summary.SectionSentiment}})
	if only.Sentiment == "" || only.KeyPoints != nil || only.Resolution != "" {
		t.Errorf("asked for sentiment only, got %+v", only)
	}
}

func TestSummarizeIsDeterministic(t *testing.T) {
	text := generateTranscript(t, 11, 30000)
	req := summary.Request{Transcript: text, MaxLength: 120, Format: summary.FormatBullets, Sections: allSections}
	first := summarize(t, req)
	for range 5 {
		again := summarize(t, req)
		if again.Summary != first.Summary || strings.Join(again.KeyPoints, "|") != strings.Join(first.KeyPoints, "|") ||
			len(again.ActionItems) != len(first.ActionItems) || again.Sentiment != first.Sentiment || again.Resolution != first.Resolution {
			t.Fatalf("results differ:\n%+v\n%+v", first, again)
		}
	}
}

func TestSummarizeDoesNotPanic(t *testing.T) {
	inputs := []string{"", " ", "\n\n\n", "Agent:", "Agent: \nCustomer: ", ":", "::::", "[", "[]", "(((", "...", "…",
		"Speaker 1:", "\x00\x01\x02", "\xff\xfe invalid utf8 \xc3", "日本語のテキストです。お問い合わせありがとうございます。",
		"Клиент: Меня дважды списали деньги!", "🙂🙂🙂 🙂", strings.Repeat("a", 50000), strings.Repeat("a ", 50000),
		strings.Repeat("Agent: ", 1000), strings.Repeat(".", 1000), "[00:00:01]", "00:00:01 -", "- - - -", "Agent (: hi",
		"I- I- I-", "um, uh, you know,", "Customer: you know"}
	for _, in := range inputs {
		for _, format := range []summary.Format{summary.FormatParagraph, summary.FormatBullets} {
			res := summarize(t, summary.Request{Transcript: in, MaxLength: 10, Format: format, Sections: allSections})
			if summary.CountWords(res.Summary) > 10 {
				t.Errorf("input %.20q: %d words", in, summary.CountWords(res.Summary))
			}
		}
	}
}

func TestSummarizeDefaults(t *testing.T) {
	text := generateTranscript(t, 5, 40000)
	res := summarize(t, summary.Request{Transcript: text})
	if n := summary.CountWords(res.Summary); n > summary.DefaultMaxLength || n < summary.DefaultMaxLength/2 {
		t.Errorf("zero MaxLength gave %d words, want near the default %d", n, summary.DefaultMaxLength)
	}
}

func TestSummarizeHonoursContext(t *testing.T) {
	tests := []struct {
		name string
		ctx  func() context.Context
		kind summary.Kind
	}{
		{"canceled", func() context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx
		}, summary.KindCanceled},
		{"deadline", func() context.Context {
			ctx, cancel := context.WithTimeout(context.Background(), 0)
			defer cancel()
			return ctx
		}, summary.KindTimeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New().Summarize(tt.ctx(), summary.Request{Transcript: "Agent: hi", MaxLength: 10})
			if err == nil {
				t.Fatal("Summarize succeeded on a done context")
			}
			if got := summary.KindOf(err); got != tt.kind {
				t.Errorf("KindOf(err) = %s, want %s", got, tt.kind)
			}
			if !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("error %v does not wrap the context's error", err)
			}
		})
	}
}
