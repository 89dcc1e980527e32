package summary

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// readAll reads st to its end and returns the text and the final error.
func readAll(tb testing.TB, st Stream) (string, error) {
	tb.Helper()
	defer st.Close()
	var b strings.Builder
	for {
		piece, err := st.Recv()
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = nil
			}
			return b.String(), err
		}
		b.WriteString(piece)
	}
}

// TestPipelineHoldsMaxLength checks the guarantee on both halves of the
// interface, for a provider that writes more than it was asked for.
func TestPipelineHoldsMaxLength(t *testing.T) {
	long := strings.Repeat("word ", 40)
	s := NewPipeline(wholeProvider(long), Policy{})
	req := Request{MaxLength: 12, Format: FormatParagraph}

	res, err := s.Summarize(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if n := CountWords(res.Summary); n != 12 || !res.Truncated || res.ProducedWords != 40 {
		t.Errorf("Summarize: %d words, truncated %v, produced %d; want 12, true, 40", n, res.Truncated, res.ProducedWords)
	}

	st, err := s.SummarizeStream(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	text, err := readAll(t, st)
	if err != nil {
		t.Fatal(err)
	}
	r := st.Result()
	if n := CountWords(text); n != 12 || !r.Truncated || r.ProducedWords != 40 || r.Usage.InputTokens != 9 || r.Chunks != 1 {
		t.Errorf("stream: %d words, result %+v; want 12 words, truncated, 40 produced, the provider's usage", n, r)
	}
}

func TestPipelineKeepsWhatFits(t *testing.T) {
	s := NewPipeline(wholeProvider("The refund was issued."), Policy{RedactPII: true, Timeout: time.Minute})
	res, err := s.Summarize(context.Background(), Request{MaxLength: 10})
	if err != nil {
		t.Fatal(err)
	}
	if res.Summary != "The refund was issued." || res.Truncated || res.ProducedWords != 4 {
		t.Errorf("got %+v, want the text untouched, not truncated, 4 words", res)
	}
}

// TestPipelineLimitsRedactedText checks the order: the limit counts the
// words the caller gets, after redaction has shortened a card number.
func TestPipelineLimitsRedactedText(t *testing.T) {
	// 12 words as written, 9 once the card is one [CARD].
	text := "Card 4111 1111 1111 1111 was refunded to the customer today."
	s := NewPipeline(wholeProvider(text), Policy{RedactPII: true})
	for _, stream := range []bool{false, true} {
		var got string
		var res Result
		if stream {
			st, err := s.SummarizeStream(context.Background(), Request{MaxLength: 10})
			if err != nil {
				t.Fatal(err)
			}
			if got, err = readAll(t, st); err != nil {
				t.Fatal(err)
			}
			res = st.Result()
		} else {
			var err error
			if res, err = s.Summarize(context.Background(), Request{MaxLength: 10}); err != nil {
				t.Fatal(err)
			}
			got = res.Summary
		}
		if want := "Card [CARD] was refunded to the customer today."; got != want || res.Truncated {
			t.Errorf("stream %v: got %q truncated %v, want %q whole", stream, got, res.Truncated, want)
		}
	}
}

// TestPipelineTimeoutCoversEveryProvider: a provider with no budget of its
// own (the local one) still ends within the policy's.
func TestPipelineTimeoutCoversEveryProvider(t *testing.T) {
	blocked := &fakeSummarizer{
		SummarizeFunc: func(ctx context.Context, _ Request) (Result, error) {
			<-ctx.Done()
			return Result{}, ContextError("summarize", ctx.Err())
		},
		StreamFunc: func(ctx context.Context, _ Request) (Stream, error) {
			<-ctx.Done()
			return nil, ContextError("summarize", ctx.Err())
		},
	}
	s := NewPipeline(blocked, Policy{Timeout: 30 * time.Millisecond})
	// A backstop, so that a missing budget fails the test instead of
	// hanging it.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start := time.Now()
	if _, err := s.Summarize(ctx, Request{MaxLength: 10}); KindOf(err) != KindTimeout {
		t.Errorf("Summarize: %v, want a timeout", err)
	}
	if _, err := s.SummarizeStream(ctx, Request{MaxLength: 10}); KindOf(err) != KindTimeout {
		t.Errorf("SummarizeStream: %v, want a timeout", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v, want about two budgets of 30 ms", d)
	}
}

func TestPipelineChunksOnlyWhenAsked(t *testing.T) {
	tests := []struct {
		name      string
		tokens    int
		wantCalls int32 // 0: more than one
	}{
		{"off", 0, 1},
		{"on", 120, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			f := &funcSummarizer{summarize: func(context.Context, Request) (Result, error) {
				calls.Add(1)
				return Result{Summary: "Part done."}, nil
			}}
			res, err := NewPipeline(f, Policy{ChunkTokens: tt.tokens, ChunkParallel: 2}).Summarize(context.Background(),
				Request{ID: "r", Transcript: transcript(8, 90), MaxLength: 50})
			if err != nil {
				t.Fatal(err)
			}
			got := calls.Load()
			if tt.wantCalls != 0 && got != tt.wantCalls || tt.wantCalls == 0 && (got < 3 || res.Chunks < 2) {
				t.Errorf("%d calls, %d chunks", got, res.Chunks)
			}
		})
	}
}
