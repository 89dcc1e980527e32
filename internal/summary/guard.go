package summary

import "context"

// Guard wraps a Summarizer with the promise the service makes whatever the
// summarizer: a summary never has more than MaxLength words (CountWords), cut
// at a sentence end where possible, and Chunks is at least 1. Streamed
// bullets get their "- " markers here; the API holds streamed text to the
// word limit as it forwards it.
func Guard(s Summarizer) Summarizer {
	g := guard{next: s}
	if st, ok := s.(Streamer); ok {
		return guardStreamer{guard: g, st: st}
	}
	return g
}

type guard struct{ next Summarizer }

// Summarize implements Summarizer.
func (g guard) Summarize(ctx context.Context, req Request) (Result, error) {
	r, err := g.next.Summarize(ctx, req)
	if err != nil {
		return Result{}, err
	}
	text, cut := Enforce(r.Summary, req.MaxLength, req.Format)
	r.Summary = text
	r.Truncated = r.Truncated || cut
	if r.Chunks < 1 {
		r.Chunks = 1
	}
	return r, nil
}

type guardStreamer struct {
	guard
	st Streamer
}

// SummarizeStream implements Streamer. Bullets are laid out as they stream,
// whatever the summarizer sends.
func (g guardStreamer) SummarizeStream(ctx context.Context, req Request) (Stream, error) {
	st, err := g.st.SummarizeStream(ctx, req)
	if err != nil || req.Format != FormatBullets {
		return st, err
	}
	return newBulletStream(st), nil
}

// WithGuarantees wraps s with what the service promises of every
// summarizer: PII redaction when redactPII is set (REDACT_PII), then the
// maxLength limit (Guard).
func WithGuarantees(s Summarizer, redactPII bool) Summarizer {
	if redactPII {
		s = Redacting(s)
	}
	return Guard(s)
}
