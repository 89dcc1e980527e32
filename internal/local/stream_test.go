package local

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/llm-testing/llm-testing/internal/summary"
)

func TestSummarizeStreamDeliversTheSummary(t *testing.T) {
	for _, format := range []summary.Format{summary.FormatParagraph, summary.FormatBullets} {
		t.Run(string(format), func(t *testing.T) {
			req := summary.Request{Transcript: readSample(t, "billing_dispute.txt"), MaxLength: 80,
				Format: format, Sections: allSections}
			want := summarize(t, req)
			st, err := New().SummarizeStream(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			var b strings.Builder
			pieces := 0
			for {
				p, err := st.Recv()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				if n := len(strings.Fields(p)); n == 0 || n > wordsPerPiece {
					t.Errorf("piece %q has %d words, want 1..%d", p, n, wordsPerPiece)
				}
				pieces++
				b.WriteString(p)
			}
			if b.String() != want.Summary {
				t.Errorf("streamed text differs from Summarize:\n%q\n%q", b.String(), want.Summary)
			}
			if pieces < 2 {
				t.Errorf("got %d pieces, want the text in several", pieces)
			}
			if _, err := st.Recv(); !errors.Is(err, io.EOF) {
				t.Errorf("Recv after the end = %v, want io.EOF again", err)
			}
			res := st.Result()
			if res.Summary != "" || res.Model != Model || res.Chunks != 1 || res.Truncated != want.Truncated ||
				res.Usage.OutputTokens != want.Usage.OutputTokens || res.Resolution != want.Resolution {
				t.Errorf("Result() = %+v, want the Summarize result without text", res)
			}
			if err := st.Close(); err != nil {
				t.Errorf("second Close = %v", err)
			}
			if _, err := st.Recv(); err == nil || errors.Is(err, io.EOF) {
				t.Errorf("Recv after Close = %v, want an error", err)
			}
		})
	}
}

func TestSummarizeStreamStopsWhenTheCallerLeaves(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := New().SummarizeStream(ctx, summary.Request{Transcript: readSample(t, "password_reset.txt"), MaxLength: 100})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Recv(); err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := st.Recv(); summary.KindOf(err) != summary.KindCanceled {
		t.Errorf("Recv after cancel = %v, want a canceled error", err)
	}
}

func TestSummarizeStreamFailsBeforeTextOnDoneContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	st, err := New().SummarizeStream(ctx, summary.Request{Transcript: "Agent: hi", MaxLength: 10})
	if err == nil || st != nil {
		t.Fatalf("got stream %v, error %v; want no stream and an error", st, err)
	}
}

func TestSplitPieces(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"", nil},
		{"one", []string{"one"}},
		{"a b c d e f", []string{"a b c d ", "e f"}},
		{"- a b\n- c d e", []string{"- a b\n", "- c d e"}},
		{"  lead a b c", []string{"  lead a b c"}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := split(tt.text, 4)
			if strings.Join(got, "") != tt.text {
				t.Fatalf("pieces %q do not join to %q", got, tt.text)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("split = %q, want %q", got, tt.want)
			}
		})
	}
}
