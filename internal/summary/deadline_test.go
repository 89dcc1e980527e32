package summary

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestDeadlineCoversChunks checks that one budget covers all the calls of a
// chunked request: each call alone is shorter than the budget, their sum is
// not.
func TestDeadlineCoversChunks(t *testing.T) {
	var calls atomic.Int32
	slow := &funcSummarizer{summarize: func(ctx context.Context, r Request) (Result, error) {
		calls.Add(1)
		select {
		case <-time.After(60 * time.Millisecond):
			return Result{Summary: "part."}, nil
		case <-ctx.Done():
			return Result{}, ctx.Err()
		}
	}}
	s := Deadline(Chunked(slow, 1000, 4), 100*time.Millisecond)
	transcript := strings.Repeat("Agent: "+strings.Repeat("word ", 400)+"\nCustomer: "+strings.Repeat("text ", 400)+"\n", 6)
	start := time.Now()
	_, err := s.Summarize(context.Background(), Request{Transcript: transcript, MaxLength: 50})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the deadline exceeded (chunks then a combine call, 60 ms each, within 100 ms)", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v", d)
	}
	if calls.Load() < 2 {
		t.Errorf("only %d calls: the transcript was not chunked", calls.Load())
	}
}
