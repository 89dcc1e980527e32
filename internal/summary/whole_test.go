package summary

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
)

// wholeProvider writes text whole, with a result that the stream must keep.
func wholeProvider(text string) *funcSummarizer {
	return &funcSummarizer{summarize: func(ctx context.Context, _ Request) (Result, error) {
		if err := ctx.Err(); err != nil {
			return Result{}, ContextError("summarize", err)
		}
		return Result{Summary: text, Model: "m", Usage: Usage{InputTokens: 9}, Chunks: 1, Resolution: ResolutionResolved}, nil
	}}
}

func TestStreamWholeDeliversTheSummary(t *testing.T) {
	text := "- The customer was charged twice in March.\n- The agent refunded the duplicate charge today."
	p := wholeProvider(text)
	st, err := p.SummarizeStream(context.Background(), Request{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var b strings.Builder
	pieces := 0
	for {
		piece, err := st.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if n := len(strings.Fields(piece)); n == 0 || n > wordsPerPiece {
			t.Errorf("piece %q has %d words, want 1..%d", piece, n, wordsPerPiece)
		}
		pieces++
		b.WriteString(piece)
	}
	if b.String() != text {
		t.Errorf("streamed text differs from Summarize:\n%q\n%q", b.String(), text)
	}
	if pieces < 2 {
		t.Errorf("got %d pieces, want the text in several", pieces)
	}
	if _, err := st.Recv(); !errors.Is(err, io.EOF) {
		t.Errorf("Recv after the end = %v, want io.EOF again", err)
	}
	if res := st.Result(); res.Summary != "" || res.Model != "m" || res.Usage.InputTokens != 9 || res.Resolution != ResolutionResolved {
		t.Errorf("Result() = %+v, want the Summarize result without text", res)
	}
	if err := st.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
	if _, err := st.Recv(); err == nil || errors.Is(err, io.EOF) {
		t.Errorf("Recv after Close = %v, want an error", err)
	}
}

func TestStreamWholeStopsWhenTheCallerLeaves(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := wholeProvider("one two three four five six seven eight").SummarizeStream(ctx, Request{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Recv(); err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := st.Recv(); KindOf(err) != KindCanceled {
		t.Errorf("Recv after cancel = %v, want a canceled error", err)
	}
}

func TestStreamWholeFailsBeforeText(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	st, err := wholeProvider("text").SummarizeStream(ctx, Request{})
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
			got := splitPieces(tt.text, 4)
			if strings.Join(got, "") != tt.text {
				t.Fatalf("pieces %q do not join to %q", got, tt.text)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("splitPieces = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestContextError(t *testing.T) {
	tests := []struct {
		err  error
		want Kind
	}{
		{context.Canceled, KindCanceled},
		{context.DeadlineExceeded, KindTimeout},
	}
	for _, tt := range tests {
		err := ContextError("summarize", tt.err)
		if KindOf(err) != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("ContextError(%v) = %v (kind %v), want kind %v wrapping it", tt.err, err, KindOf(err), tt.want)
		}
	}
}
