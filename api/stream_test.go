package api

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/llm-testing/llm-testing/internal/summary"
)

type sseEvent struct {
	name, data string
}

func parseSSE(tb testing.TB, body string) (events []sseEvent, comments int) {
	tb.Helper()
	sc := bufio.NewScanner(strings.NewReader(body))
	var cur sseEvent
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, ":"):
			comments++
		case strings.HasPrefix(line, "event: "):
			cur.name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			cur.data = strings.TrimPrefix(line, "data: ")
		case line == "" && cur.name != "":
			events = append(events, cur)
			cur = sseEvent{}
		}
	}
	return events, comments
}

func TestStreamOK(t *testing.T) {
	st := &sliceStream{pieces: []string{"The customer ", "was refunded ", "in full."},
		result: summary.Result{Model: "m1", Usage: summary.Usage{InputTokens: 7, OutputTokens: 5}}}
	ts := newTestServer(t, &fakeSummarizer{stream: func(context.Context, summary.Request) (summary.Stream, error) { return st, nil }}, nil)
	rec := ts.do(t, "POST", "/api/v1/summarize/stream", okBody, withKey("X-Request-Id", "s-1"))
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "text/event-stream" {
		t.Fatalf("status %d type %q: %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	events, _ := parseSSE(t, rec.Body.String())
	var text strings.Builder
	for _, e := range events[:len(events)-1] {
		if e.name != "delta" {
			t.Fatalf("event %q before done", e.name)
		}
		text.WriteString(decode[StreamDelta](t, []byte(e.data)).Text)
	}
	if got, want := text.String(), "The customer was refunded in full."; got != want {
		t.Errorf("text = %q, want %q", got, want)
	}
	last := events[len(events)-1]
	done := decode[StreamDone](t, []byte(last.data))
	if last.name != "done" || done.ID != "s-1" || done.Model != "m1" || done.Usage.InputTokens != 7 || done.Truncated {
		t.Errorf("done = %s %+v", last.name, done)
	}
	if !st.closed {
		t.Error("stream not closed")
	}
}

func TestStreamTruncatesAtMaxLength(t *testing.T) {
	words := strings.Repeat("word ", 40)
	st := &sliceStream{pieces: []string{words[:50], words[50:120], words[120:]}, result: summary.Result{Model: "m"}}
	// The limit is the pipeline's, which the server is given.
	fake := &fakeSummarizer{stream: func(context.Context, summary.Request) (summary.Stream, error) { return st, nil }}
	ts := newTestServer(t, summary.NewPipeline(fake, summary.Policy{}), nil)
	rec := ts.do(t, "POST", "/api/v1/summarize/stream", `{"transcript":"x","options":{"maxLength":12}}`, withKey())
	events, _ := parseSSE(t, rec.Body.String())
	var text strings.Builder
	for _, e := range events {
		if e.name == "delta" {
			text.WriteString(decode[StreamDelta](t, []byte(e.data)).Text)
		}
	}
	if n := summary.CountWords(text.String()); n != 12 {
		t.Errorf("streamed %d words, want 12: %q", n, text.String())
	}
	last := events[len(events)-1]
	if last.name != "done" || !decode[StreamDone](t, []byte(last.data)).Truncated {
		t.Errorf("last event %s %s, want done with truncated", last.name, last.data)
	}
}

func TestStreamFailsBeforeFirstText(t *testing.T) {
	ts := newTestServer(t, &fakeSummarizer{stream: func(context.Context, summary.Request) (summary.Stream, error) {
		return nil, &summary.Error{Kind: summary.KindUnavailable, Err: io.ErrUnexpectedEOF}
	}}, nil)
	rec := ts.do(t, "POST", "/api/v1/summarize/stream", okBody, withKey())
	if rec.Code != 503 || rec.Header().Get("Content-Type") != "application/problem+json" || rec.Header().Get("Retry-After") == "" {
		t.Errorf("got %d %q Retry-After %q, want 503 problem+json with Retry-After", rec.Code, rec.Header().Get("Content-Type"), rec.Header().Get("Retry-After"))
	}
}

func TestStreamFailsMidway(t *testing.T) {
	st := &sliceStream{pieces: []string{"Partial "}, err: &summary.Error{Kind: summary.KindUpstream, Err: io.ErrUnexpectedEOF}}
	ts := newTestServer(t, &fakeSummarizer{stream: func(context.Context, summary.Request) (summary.Stream, error) { return st, nil }}, nil)
	rec := ts.do(t, "POST", "/api/v1/summarize/stream", okBody, withKey())
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	events, _ := parseSSE(t, rec.Body.String())
	if len(events) != 2 || events[0].name != "delta" || events[1].name != "error" {
		t.Fatalf("events = %+v", events)
	}
	var e StreamError
	if err := json.Unmarshal([]byte(events[1].data), &e); err != nil || e.Status != 502 || e.Title == "" || strings.Contains(events[1].data, "unexpected EOF") {
		t.Errorf("error event = %s", events[1].data)
	}
}

// plainSummarizer cannot stream; the endpoint streams its whole text.
type plainSummarizer struct{}

func (plainSummarizer) Summarize(context.Context, summary.Request) (summary.Result, error) {
	return summary.Result{Summary: "All of it.", Model: "plain"}, nil
}

func (p plainSummarizer) SummarizeStream(ctx context.Context, r summary.Request) (summary.Stream, error) {
	return summary.StreamWhole(ctx, r, p.Summarize)
}

func TestStreamFromPlainSummarizer(t *testing.T) {
	ts := newTestServer(t, plainSummarizer{}, nil)
	rec := ts.do(t, "POST", "/api/v1/summarize/stream", okBody, withKey())
	events, _ := parseSSE(t, rec.Body.String())
	if len(events) != 2 || events[0].data != `{"text":"All of it."}` || events[1].name != "done" {
		t.Errorf("events = %+v", events)
	}
}

// slowStream sends one piece, then waits until released.
type slowStream struct {
	sent    bool
	release chan struct{}
}

func (s *slowStream) Recv() (string, error) {
	if !s.sent {
		s.sent = true
		return "First words.", nil
	}
	<-s.release
	return "", io.EOF
}
func (s *slowStream) Result() summary.Result { return summary.Result{Model: "m"} }
func (s *slowStream) Close() error           { return nil }

func TestStreamHeartbeat(t *testing.T) {
	st := &slowStream{release: make(chan struct{})}
	ts := newTestServer(t, &fakeSummarizer{stream: func(context.Context, summary.Request) (summary.Stream, error) { return st, nil }}, nil)
	svc := newService(Deps{Config: ts.cfg, Summarizer: &fakeSummarizer{stream: func(context.Context, summary.Request) (summary.Stream, error) { return st, nil }}, Keys: ts.keys})
	svc.heartbeat = 10 * time.Millisecond
	ts.handler = svc.handler()
	go func() {
		time.Sleep(80 * time.Millisecond)
		close(st.release)
	}()
	rec := ts.do(t, "POST", "/api/v1/summarize/stream", okBody, withKey())
	events, comments := parseSSE(t, rec.Body.String())
	if comments < 2 {
		t.Errorf("%d heartbeats in 80 ms at a 10 ms interval", comments)
	}
	if len(events) != 2 || events[1].name != "done" {
		t.Errorf("events = %+v", events)
	}
}

// TestStreamFailsBeforeAnyText: a stream that opens but fails before its
// first text (as a redacting stream that held text back does) is an
// ordinary error status, and the metrics line counts it as a 5xx.
func TestStreamFailsBeforeAnyText(t *testing.T) {
	st := &sliceStream{err: &summary.Error{Kind: summary.KindUpstream, Err: io.ErrUnexpectedEOF}}
	ts := newTestServer(t, &fakeSummarizer{stream: func(context.Context, summary.Request) (summary.Stream, error) { return st, nil }}, nil)
	rec := ts.do(t, "POST", "/api/v1/summarize/stream", okBody, withKey())
	if rec.Code != 502 || rec.Header().Get("Content-Type") != "application/problem+json" {
		t.Errorf("got %d %q, want 502 problem+json", rec.Code, rec.Header().Get("Content-Type"))
	}
	if !st.closed {
		t.Error("stream not closed")
	}
}

func TestStreamMidwayFailureCountsAsError(t *testing.T) {
	st := &sliceStream{pieces: []string{"Partial "}, err: &summary.Error{Kind: summary.KindUnavailable, Err: io.ErrUnexpectedEOF}}
	ts := newTestServer(t, &fakeSummarizer{stream: func(context.Context, summary.Request) (summary.Stream, error) { return st, nil }}, nil)
	if rec := ts.do(t, "POST", "/api/v1/summarize/stream", okBody, withKey()); rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	logs := ts.logs.String()
	if !strings.Contains(logs, `"stream_error_status":503`) || !strings.Contains(logs, `"StatusClass":"5xx"`) || !strings.Contains(logs, `"Errors":1`) {
		t.Errorf("a stream that failed midway is not logged as a failure:\n%s", logs)
	}
}

// countingWriter counts the writes made to it.
type countingWriter struct {
	mu     sync.Mutex
	writes int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.writes++
	return len(p), nil
}

func (c *countingWriter) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.writes
}

// TestHeartbeatsStop: heartbeats are written while the stream runs and not
// once it has ended, when the response writer is no longer the handler's.
func TestHeartbeatsStop(t *testing.T) {
	w := &countingWriter{}
	sse := &eventWriter{w: w}
	stop := sse.heartbeats(time.Millisecond)
	for deadline := time.Now().Add(5 * time.Second); w.count() < 3; {
		if time.Now().After(deadline) {
			t.Fatalf("%d heartbeats in 5 s at a 1 ms interval", w.count())
		}
		time.Sleep(time.Millisecond)
	}
	stop()
	after := w.count()
	time.Sleep(20 * time.Millisecond)
	if got := w.count(); got != after {
		t.Errorf("%d writes after the stream ended", got-after)
	}
	if err := sse.event("delta", StreamDelta{Text: "late"}); !errors.Is(err, errWriterClosed) {
		t.Errorf("event after the end: %v, want errWriterClosed", err)
	}
}

// ctxStream gives one piece, then waits for its context to end, as the
// Bedrock stream does while the model is quiet.
type ctxStream struct {
	ctx    context.Context
	sent   bool
	closed chan struct{}
}

func (s *ctxStream) Recv() (string, error) {
	if !s.sent {
		s.sent = true
		return "The customer ", nil
	}
	<-s.ctx.Done()
	return "", &summary.Error{Kind: summary.KindCanceled, Err: s.ctx.Err()}
}
func (s *ctxStream) Result() summary.Result { return summary.Result{} }
func (s *ctxStream) Close() error           { close(s.closed); return nil }

// TestStreamCutMidway: a stream cut after its first text ends the handler
// and closes the stream, and is logged with who cut it. A client that went
// away is a 499, with no event written for it; the drain deadline is the
// server's decision, a 503 whose error event tells the client to retry.
func TestStreamCutMidway(t *testing.T) {
	t.Run("client gone", func(t *testing.T) {
		rec, logs := cutStream(t, context.Canceled)
		if events, _ := parseSSE(t, rec.Body.String()); len(events) != 1 || events[0].name != "delta" {
			t.Errorf("events %+v, want the one delta sent before the client left", events)
		}
		if !strings.Contains(logs, `"status":499`) || !strings.Contains(logs, `"stream_error_status":499`) {
			t.Errorf("not logged as the client's going:\n%s", logs)
		}
	})
	t.Run("drain deadline", func(t *testing.T) {
		rec, logs := cutStream(t, ErrDrainDeadline)
		events, _ := parseSSE(t, rec.Body.String())
		if len(events) != 2 || events[1].name != "error" {
			t.Fatalf("events %+v, want the delta and an error event", events)
		}
		if e := decode[StreamError](t, []byte(events[1].data)); e.Status != 503 || e.Detail != msgShuttingDown {
			t.Errorf("error event %+v, want 503 %q", e, msgShuttingDown)
		}
		if !strings.Contains(logs, `"stream_error_status":503`) || !strings.Contains(logs, `"outcome":"drain_deadline"`) {
			t.Errorf("not logged as the server's decision:\n%s", logs)
		}
	})
}

// cutStream serves a stream whose request context ends with cause after
// its first text, and returns the response and the logs.
func cutStream(t *testing.T, cause error) (*httptest.ResponseRecorder, string) {
	t.Helper()
	st := &ctxStream{closed: make(chan struct{})}
	ts := newTestServer(t, &fakeSummarizer{stream: func(ctx context.Context, _ summary.Request) (summary.Stream, error) {
		st.ctx = ctx
		return st, nil
	}}, nil)
	ctx, cancel := context.WithCancelCause(context.Background())
	req := httptest.NewRequestWithContext(ctx, "POST", "/api/v1/summarize/stream", strings.NewReader(okBody))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-API-Key", testKey)
	rec := httptest.NewRecorder()
	served := make(chan struct{})
	go func() {
		ts.handler.ServeHTTP(rec, req)
		close(served)
	}()
	time.Sleep(20 * time.Millisecond)
	cancel(cause)
	select {
	case <-served:
	case <-time.After(5 * time.Second):
		t.Fatal("the handler did not return after the client went away")
	}
	select {
	case <-st.closed:
	default:
		t.Error("stream not closed")
	}
	return rec, ts.logs.String()
}

// failingWriter is a ResponseWriter whose writes fail after the first ok
// ones, as a connection whose client has gone.
type failingWriter struct {
	header http.Header
	ok     int
}

func (w *failingWriter) Header() http.Header { return w.header }
func (w *failingWriter) WriteHeader(int)     {}
func (w *failingWriter) Flush()              {}
func (w *failingWriter) Write(p []byte) (int, error) {
	if w.ok == 0 {
		return 0, syscall.EPIPE
	}
	w.ok--
	return len(p), nil
}

// TestStreamWriteFailsMidway: a client noticed gone by a failed write, not
// by the request's context, is logged as gone too (499), with the stream
// closed.
func TestStreamWriteFailsMidway(t *testing.T) {
	st := &sliceStream{pieces: []string{"The customer ", "was refunded ", "in full."}}
	ts := newTestServer(t, &fakeSummarizer{stream: func(context.Context, summary.Request) (summary.Stream, error) { return st, nil }}, nil)
	req := httptest.NewRequest("POST", "/api/v1/summarize/stream", strings.NewReader(okBody))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-API-Key", testKey)
	ts.handler.ServeHTTP(&failingWriter{header: http.Header{}, ok: 1}, req)
	if logs := ts.logs.String(); !strings.Contains(logs, `"stream_error_status":499`) {
		t.Errorf("a failed write is not logged as the client's going:\n%s", logs)
	}
	if !st.closed {
		t.Error("stream not closed")
	}
}
