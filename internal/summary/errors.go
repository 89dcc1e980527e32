package summary

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Kind classifies why a summarizer failed, so that the API can answer each
// failure with one status, decided in one place.
type Kind int

// The kinds of failure. The comment names the HTTP status the API gives.
const (
	// KindInternal is a bug or an unexpected failure (500).
	KindInternal Kind = iota
	// KindThrottled: the LLM refused for rate or quota (429, Retry-After).
	KindThrottled
	// KindTimeout: the LLM or our own deadline ran out (504).
	KindTimeout
	// KindUpstream: the LLM failed or refused the call: misconfiguration,
	// access, bad answer, server error after retries (502).
	KindUpstream
	// KindUnavailable: the LLM is unavailable or not ready after retries
	// (503, Retry-After).
	KindUnavailable
	// KindCanceled: the caller went away.
	KindCanceled
)

func (k Kind) String() string {
	switch k {
	case KindThrottled:
		return "throttled"
	case KindTimeout:
		return "timeout"
	case KindUpstream:
		return "upstream"
	case KindUnavailable:
		return "unavailable"
	case KindCanceled:
		return "canceled"
	default:
		return "internal"
	}
}

// Error is a summarizer failure with its Kind. Hint is a message for the
// operator's log (never sent to a client), for example "model access not
// enabled for <id> in <region>".
type Error struct {
	Kind       Kind
	RetryAfter time.Duration
	Hint       string
	Err        error
}

func (e *Error) Error() string {
	if e.Hint != "" {
		return fmt.Sprintf("%s: %s: %v", e.Kind, e.Hint, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Kind, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the Kind of err: that of the first *Error in its chain, or
// KindInternal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// ContextError wraps the error of a done context, met while doing op, with
// the Kind the API answers it with: a deadline is a timeout, anything else
// the caller going away.
func ContextError(op string, err error) error {
	kind := KindCanceled
	if errors.Is(err, context.DeadlineExceeded) {
		kind = KindTimeout
	}
	return &Error{Kind: kind, Err: fmt.Errorf("%s: %w", op, err)}
}
