package summary

import (
	"context"
	"time"
)

// Deadline wraps a Summarizer so that a whole request, every call it makes
// included (the chunks of a long transcript and the call that combines
// them, and their retries), has at most d. A stream must end within d of
// its start. This is BEDROCK_TIMEOUT: it keeps a request inside the load
// balancer's idle timeout however the work is split.
func Deadline(s Summarizer, d time.Duration) Summarizer {
	base := deadline{next: s, d: d}
	if st, ok := s.(Streamer); ok {
		return deadlineStreamer{deadline: base, st: st}
	}
	return base
}

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

type deadlineStreamer struct {
	deadline
	st Streamer
}

// SummarizeStream implements Streamer.
func (w deadlineStreamer) SummarizeStream(ctx context.Context, req Request) (Stream, error) {
	ctx, cancel := context.WithTimeout(ctx, w.d)
	st, err := w.st.SummarizeStream(ctx, req)
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
