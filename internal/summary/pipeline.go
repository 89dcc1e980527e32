package summary

import "time"

// Policy is what NewPipeline guarantees around a provider. The binaries fill
// it from internal/config; zero fields turn a guarantee off, so that a test
// can ask for exactly the ones it checks.
type Policy struct {
	// Timeout is the whole budget of a request, every call it makes included
	// (BEDROCK_TIMEOUT); 0 sets none.
	Timeout time.Duration
	// RedactPII redacts the transcript before the provider sees it and the
	// text and sections it returns (REDACT_PII).
	RedactPII bool
	// ChunkTokens is the input budget of one provider call before a
	// transcript is split (CHUNK_TOKENS); 0 never splits, for providers that
	// take any length.
	ChunkTokens int
	// ChunkParallel is how many chunks are summarized at once (at least 1).
	ChunkParallel int
}

// NewPipeline wraps provider p with everything the service guarantees,
// for whole and streamed answers alike: one time budget for the request
// (Deadline), the maxLength word limit and the bullet layout (Limit), PII
// redaction (Redacting), long transcripts summarized in chunks (Chunked)
// and citations that name only turns of the call (Grounded), in that order
// from the outside in. The limit sees redacted text, so it
// counts the words the caller gets.
func NewPipeline(p Summarizer, pol Policy) Summarizer {
	s := Grounded(p)
	if pol.ChunkTokens > 0 {
		s = Chunked(s, pol.ChunkTokens, pol.ChunkParallel)
	}
	if pol.RedactPII {
		s = Redacting(s)
	}
	s = Limit(s)
	if pol.Timeout > 0 {
		s = Deadline(s, pol.Timeout)
	}
	return s
}
