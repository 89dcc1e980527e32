package summary

import (
	"context"
	"time"
)

// Deadline wraps a Summarizer so that a whole request, every call it makes
// included (the chunks of a long transcript and the call that combines
// them, and their retries), has at most d. A stream must end within d of
// its start. This is BEDROCK_TIMEOUT: it keeps a request inside the load
// balancer's idle timeout however the work is split, whatever the provider.
func Deadline(s Summarizer, d time.Duration) Summarizer { return deadline{next: s, d: d} }

type deadline struct {
	next Summarizer
	d    time.Duration
}

// Summarize implements Summarizer.
func (w deadline) Summarize(ctx context.Context, req Request) (Result, error) {
	ctx, cancel := context.WithTimeout(ctx, w.d)
	defer cancel()
	return w.next.Summarize(ctx, req)
}

// SummarizeStream implements Summarizer; the budget ends with the stream.
func (w deadline) SummarizeStream(ctx context.Context, req Request) (Stream, error) {
	ctx, cancel := context.WithTimeout(ctx, w.d)
	st, err := w.next.SummarizeStream(ctx, req)
	if err != nil {
		cancel()
		return nil, err
	}
	return &cancelOnClose{Stream: st, cancel: cancel}, nil
}

type cancelOnClose struct {
	Stream
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	err := c.Stream.Close()
	c.cancel()
	return err
}
