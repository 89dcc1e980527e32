package api

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// statusFor is the one place that decides the HTTP status of a summarizer
// failure, and the message a client sees (never the cause).
func statusFor(err error) (int, string) {
	switch summary.KindOf(err) {
	case summary.KindThrottled:
		return http.StatusTooManyRequests, "the LLM is throttling requests; retry later"
	case summary.KindTimeout:
		return http.StatusGatewayTimeout, "the LLM did not answer in time"
	case summary.KindUpstream:
		return http.StatusBadGateway, "the LLM failed to summarize this transcript"
	case summary.KindUnavailable:
		return http.StatusServiceUnavailable, "the LLM is unavailable; retry later"
	case summary.KindCanceled:
		return statusClientClosed, "client closed request"
	}
	if errors.Is(err, context.Canceled) {
		return statusClientClosed, "client closed request"
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return http.StatusGatewayTimeout, "the LLM did not answer in time"
	}
	return http.StatusInternalServerError, "unexpected error"
}

// statusClientClosed is the status logs and metrics give a request whose
// client went away before its answer (nginx's 499; no client sees it).
const statusClientClosed = 499

// msgShuttingDown is what a client is told when shutdown turns it away.
const msgShuttingDown = "the service is shutting down; retry on another instance"

// retryAfter is the Retry-After to send with err's status, in seconds.
func retryAfter(err error, status int) string {
	var e *summary.Error
	d := 2 * time.Second
	if errors.Is(err, ErrDrainDeadline) {
		d = 1 * time.Second // another task is already serving
	}
	if errors.As(err, &e) && e.RetryAfter > 0 {
		d = e.RetryAfter
	}
	if status != http.StatusTooManyRequests && status != http.StatusServiceUnavailable {
		return ""
	}
	return strconv.Itoa(int(math.Ceil(d.Seconds())))
}

// summarizeError logs a summarizer failure once, with its cause and the
// operator's hint, and returns the client's error: status, generic message
// and Retry-After where it applies.
func (s *service) summarizeError(ctx context.Context, err error) error {
	status, msg, err := s.failure(ctx, err)
	herr := huma.NewError(status, msg)
	if ra := retryAfter(err, status); ra != "" {
		return huma.ErrorWithHeaders(herr, http.Header{"Retry-After": {ra}})
	}
	return herr
}

// failure logs a summarizer failure once and gives the status and message
// the client is to see, and the error they are for: the drain deadline's,
// when it cut the request (the server's decision, not the client's).
func (s *service) failure(ctx context.Context, err error) (int, string, error) {
	ri := infoFrom(ctx)
	status, msg := statusFor(err)
	if errors.Is(context.Cause(ctx), ErrDrainDeadline) {
		// The server cut it, not the client: say so, and let it retry.
		status, msg, err = http.StatusServiceUnavailable, msgShuttingDown, context.Cause(ctx)
		ri.outcome = outcomeDrainDeadline
	}
	level := slog.LevelError
	switch status {
	case statusClientClosed:
		level = slog.LevelInfo
	case http.StatusTooManyRequests:
		ri.outcome = outcomeThrottled
		level = slog.LevelWarn
	case http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		level = slog.LevelWarn
	}
	attrs := []slog.Attr{slog.String("request_id", ri.id), slog.Int("status", status), slog.String("error", err.Error())}
	var e *summary.Error
	if errors.As(err, &e) && e.Hint != "" {
		attrs = append(attrs, slog.String("hint", e.Hint))
	}
	s.log.LogAttrs(ctx, level, "summarize failed", attrs...)
	return status, msg, err
}
