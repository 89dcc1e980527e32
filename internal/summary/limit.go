package summary

import "context"

// Limit wraps a Summarizer with the promise the service makes whatever the
// provider: a summary never has more than MaxLength words (CountWords), cut
// at a sentence end where possible (Enforce), streamed bullets are laid out
// as bullets, and Chunks is at least 1. It records the words the provider
// wrote in ProducedWords and whether it cut in Truncated.
func Limit(s Summarizer) Summarizer { return limit{next: s} }

// Limit is the most words the summary of r may have: MaxLength, or
// DefaultMaxLength when it is not positive.
func (r Request) Limit() int {
	if r.MaxLength <= 0 {
		return DefaultMaxLength
	}
	return r.MaxLength
}

type limit struct{ next Summarizer }

// Summarize implements Summarizer.
func (l limit) Summarize(ctx context.Context, req Request) (Result, error) {
	r, err := l.next.Summarize(ctx, req)
	if err != nil {
		return Result{}, err
	}
	r.ProducedWords = CountWords(r.Summary)
	r.Summary, r.Truncated = Enforce(r.Summary, req.Limit(), req.Format)
	r.Chunks = max(r.Chunks, 1)
	return r, nil
}

// SummarizeStream implements Summarizer. The stream stops forwarding text at
// MaxLength words and reads the rest of the provider's stream, for its usage
// and its word count, without forwarding it.
func (l limit) SummarizeStream(ctx context.Context, req Request) (Stream, error) {
	st, err := l.next.SummarizeStream(ctx, req)
	if err != nil {
		return nil, err
	}
	if req.Format == FormatBullets {
		st = newBulletStream(st)
	}
	return &limitedStream{next: st, lim: newWordLimit(req.Limit())}, nil
}

type limitedStream struct {
	next Stream
	lim  *wordLimit
}

// Recv implements Stream: the next piece that fits, or, past the limit,
// nothing more until the provider's stream ends.
func (s *limitedStream) Recv() (string, error) {
	for {
		text, err := s.next.Recv()
		if err != nil {
			return "", err
		}
		if out := s.lim.take(text); out != "" {
			return out, nil
		}
	}
}

// Result implements Stream.
func (s *limitedStream) Result() Result {
	r := s.next.Result()
	r.Truncated = s.lim.cut
	r.ProducedWords = s.lim.words()
	r.Chunks = max(r.Chunks, 1)
	return r
}

// Close implements Stream.
func (s *limitedStream) Close() error { return s.next.Close() }
