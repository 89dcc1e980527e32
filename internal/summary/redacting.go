package summary

import "context"

// Redacting wraps s so that the call (its turns, or its transcript when it
// has none) is redacted (Redact) before s sees it and the summary, key
// points and action items are redacted on the way out, whole or streamed.
// Turns are
// redacted in place, in the request's own slice, so that a caller that
// returns them (options.includeTurns) returns what the provider saw and no
// copy of a long call is made.
func Redacting(s Summarizer) Summarizer { return redacting{next: s} }

type redacting struct{ next Summarizer }

// Summarize implements Summarizer.
func (r redacting) Summarize(ctx context.Context, req Request) (Result, error) {
	redactRequest(&req)
	res, err := r.next.Summarize(ctx, req)
	if err != nil {
		return res, err
	}
	res.Summary = Redact(res.Summary)
	for i := range res.KeyPoints {
		res.KeyPoints[i] = Redact(res.KeyPoints[i])
	}
	for i := range res.ActionItems {
		res.ActionItems[i].Description = Redact(res.ActionItems[i].Description)
	}
	return res, nil
}

// SummarizeStream implements Summarizer.
func (r redacting) SummarizeStream(ctx context.Context, req Request) (Stream, error) {
	redactRequest(&req)
	st, err := r.next.SummarizeStream(ctx, req)
	if err != nil {
		return nil, err
	}
	return &redactedStream{next: st}, nil
}

// redactRequest redacts req's turns in place when it has them, else its
// transcript. The text turns were read from is dropped rather than redacted
// a second time: from here on the turns are the call (Request.Text).
func redactRequest(req *Request) {
	if req.Turns == nil {
		req.Transcript = Redact(req.Transcript)
		return
	}
	req.Transcript = ""
	for i := range req.Turns {
		req.Turns[i].Text = Redact(req.Turns[i].Text)
		req.Turns[i].Speaker = Redact(req.Turns[i].Speaker)
	}
}

// holdTokens is how many trailing tokens a redacted stream keeps back: the
// longest piece of personal data it must see whole ("4111 1111 1111 1111
// 123", "+44 20 7946 0958") has fewer.
const holdTokens = 6

// redactedStream redacts streamed text. Personal data can straddle two
// deltas, so it forwards text only once holdTokens more tokens have followed,
// redacting with that context, and flushes the rest at the end.
type redactedStream struct {
	next    Stream
	pending string
	done    bool
}

func (s *redactedStream) Recv() (string, error) {
	for {
		if s.done {
			if s.pending == "" {
				return "", EOF
			}
			out := Redact(s.pending)
			s.pending = ""
			return out, nil
		}
		delta, err := s.next.Recv()
		if err == EOF {
			s.done = true
			continue
		}
		if err != nil {
			return "", err
		}
		s.pending = Redact(s.pending + delta)
		if cut := holdBackCut(s.pending, holdTokens); cut > 0 {
			out := s.pending[:cut]
			s.pending = s.pending[cut:]
			return out, nil
		}
	}
}

func (s *redactedStream) Result() Result { return s.next.Result() }
func (s *redactedStream) Close() error   { return s.next.Close() }

// holdBackCut returns the index in text just before its last n tokens (at
// the whitespace that precedes them), or 0 when text has no more than n.
func holdBackCut(text string, n int) int {
	i := len(text)
	// A token still being written (no trailing space) counts as one.
	for seen := 0; i > 0; {
		for i > 0 && isSpaceByte(text[i-1]) {
			i--
		}
		if i == 0 {
			return 0
		}
		for i > 0 && !isSpaceByte(text[i-1]) {
			i--
		}
		seen++
		if seen == n {
			break
		}
	}
	// Cut after the whitespace that separates the kept text from the tail.
	for i > 0 && isSpaceByte(text[i-1]) {
		i--
	}
	if i == 0 {
		return 0
	}
	j := i
	for j < len(text) && isSpaceByte(text[j]) {
		j++
	}
	return j
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }
