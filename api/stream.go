package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"path"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// heartbeatInterval is how often an idle stream sends a comment, well inside
// the ALB's 60 s idle timeout.
const heartbeatInterval = 15 * time.Second

// heartbeatComment is what a heartbeat writes: an SSE comment.
const heartbeatComment = ": heartbeat\n\n"

// StreamDelta is the data of a `delta` event: the next piece of summary text.
type StreamDelta struct {
	Text string `json:"text"`
}

// StreamDone is the data of the final `done` event.
type StreamDone struct {
	ID        string `json:"id"`
	Model     string `json:"model"`
	Usage     Usage  `json:"usage"`
	LatencyMs int64  `json:"latencyMs"`
	Truncated bool   `json:"truncated"`
	// PromptVersion names the prompt template that produced the summary.
	PromptVersion string `json:"promptVersion,omitempty" doc:"Version (a short hash) of the prompt template that produced the summary; absent for the local summarizer."`
}

// StreamError is the data of an `error` event: the LLM failed after text
// had been sent, so the status could no longer be the HTTP status.
type StreamError struct {
	Status int    `json:"status"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
}

// streamEvents names each event the stream sends and the type of its data.
var streamEvents = []struct {
	name string
	data any
}{{"delta", StreamDelta{}}, {"done", StreamDone{}}, {"error", StreamError{}}}

// streamSchema describes a text/event-stream body the way validators and
// generators understand it: a string whose pattern is the wire format
// (events and comment lines, each ending with a blank line), with each
// event's data a named component schema, listed under x-events.
func streamSchema(reg huma.Registry) *huma.Schema {
	names := make([]string, 0, len(streamEvents))
	payloads := make([]string, 0, len(streamEvents))
	events := make(map[string]any, len(streamEvents))
	for _, e := range streamEvents {
		ref := reg.Schema(reflect.TypeOf(e.data), true, "")
		names = append(names, e.name)
		payloads = append(payloads, "`"+e.name+"`: "+path.Base(ref.Ref))
		events[e.name] = ref
	}
	return &huma.Schema{
		Type: huma.TypeString,
		Description: "Server-sent events: each event is an `event: <name>` line and a `data: <JSON>` line, " +
			"then a blank line; the data's schema by event name is in x-events (" + strings.Join(payloads, ", ") +
			"). A line starting with `:` is a heartbeat comment.",
		Pattern:    `^(?:(?:event: (?:` + strings.Join(names, "|") + `)\ndata: [^\n]*|:[^\n]*)\n\n)*$`,
		Extensions: map[string]any{"x-events": events},
	}
}

func registerStream(api huma.API, s *service) {
	huma.Register(api, s.summarizeOperation(api, huma.Operation{
		OperationID: opSummarizeStream,
		Path:        pathSummarize + "/stream",
		Summary:     "Summarize a call transcript as a server-sent event stream",
		Description: "Same body as summarize. Anything that fails before the first text is an ordinary HTTP " +
			"status with problem+json. Then `delta` events with text, a comment heartbeat every 15 s, and a final " +
			"`done` event, or an `error` event if the LLM fails midway (or the server, stopping, cuts the stream: status 503). Text stops at maxLength words " +
			"(`truncated` in `done`). Structured sections are not streamed.",
		Responses: map[string]*huma.Response{
			"200": {
				Description: "A text/event-stream of delta events, then done or error.",
				Content: map[string]*huma.MediaType{"text/event-stream": {
					Schema: streamSchema(api.OpenAPI().Components.Schemas),
				}},
			},
		},
	}), s.summarizeStream)
}

func (s *service) summarizeStream(ctx context.Context, in *SummarizeInput) (*huma.StreamResponse, error) {
	ri := infoFrom(ctx)
	ri.stream = true
	req, err := domainRequest(ri.id, &in.Body)
	if err != nil {
		return nil, err
	}
	if err := s.reweigh(ri, callBytes(req)); err != nil {
		return nil, err
	}
	start := time.Now()
	st, err := s.summarizer.SummarizeStream(ctx, req)
	if err == nil {
		// The first text decides the status: a failure before it, including
		// one that a redacting stream held text back from, is an ordinary
		// error response, not a 200 with an error event.
		var text string
		text, err = st.Recv()
		if err == nil || errors.Is(err, io.EOF) {
			firstErr := err
			return &huma.StreamResponse{Body: func(hctx huma.Context) {
				defer st.Close()
				hctx.SetHeader("Content-Type", "text/event-stream")
				hctx.SetHeader("Cache-Control", "no-cache")
				hctx.SetHeader("X-Accel-Buffering", "no")
				hctx.SetStatus(http.StatusOK)
				s.pump(ctx, st, text, firstErr, start, &eventWriter{w: hctx.BodyWriter()})
			}}, nil
		}
		st.Close()
	}
	ri.llm = time.Since(start)
	return nil, s.summarizeError(ctx, err)
}

// pump forwards the stream's text as delta events, starting with what the
// first Recv gave (text, err), with heartbeats while it runs, and ends with
// a done or error event. The summarizer's stream holds the text to
// maxLength words.
//
// It reads the stream in this goroutine, one Recv after another: every
// goroutine that each delta passes through is one more wait for a CPU when
// the machine is busy, so the heartbeat is a timer, not a second reader
// with a select. So Recv must return once the request's context ends, as
// the Bedrock stream's does (its body's read ends with the call's context,
// which net/http cancels; the local summarizer's never blocks).
func (s *service) pump(ctx context.Context, st summary.Stream, text string, err error, start time.Time, sse *eventWriter) {
	stop := sse.heartbeats(s.heartbeat)
	defer stop()
	for err == nil {
		if werr := forward(sse, text); werr != nil {
			// The client is gone (the write failed before the request's
			// context ended): a 499, as when Recv sees it first.
			err = &summary.Error{Kind: summary.KindCanceled, Err: werr}
			break
		}
		text, err = st.Recv()
	}
	s.finish(ctx, st, err, start, sse)
}

// forward sends text as a delta event; an error means the client is gone.
func forward(sse *eventWriter, text string) error {
	if text == "" {
		return nil
	}
	return sse.event("delta", StreamDelta{Text: text})
}

// finish ends the stream that ended with err: done (with the result) at
// io.EOF, else an error event, but none for a client that went away (499:
// no one to read it).
func (s *service) finish(ctx context.Context, st summary.Stream, err error, start time.Time, sse *eventWriter) {
	ri := infoFrom(ctx)
	ri.llm = time.Since(start)
	if !errors.Is(err, io.EOF) {
		// The status the log and metrics count: the LLM's failure, 499 for
		// a client that went away (no one to tell), 503 for the drain
		// deadline (whose event tells the client to retry elsewhere).
		status, msg, _ := s.failure(ctx, err)
		ri.streamStatus = status
		if status != statusClientClosed {
			_ = sse.event("error", StreamError{Status: status, Title: statusTitle(status), Detail: msg})
		}
		return
	}
	r := st.Result()
	ri.model, ri.usage = r.Model, r.Usage
	s.noteCitations(ctx, r)
	_ = sse.event("done", StreamDone{
		ID: ri.id, Model: r.Model, LatencyMs: ri.llm.Milliseconds(), Truncated: r.Truncated, PromptVersion: r.PromptVersion,
		Usage: Usage{InputTokens: r.Usage.InputTokens, OutputTokens: r.Usage.OutputTokens, EstimatedCostUSD: r.Usage.EstimatedCostUSD},
	})
}

// eventWriter writes server-sent events and flushes each one. Its writes
// are serialised, so that a heartbeat's timer can write between events, and
// end with close.
type eventWriter struct {
	w      io.Writer
	mu     sync.Mutex
	closed bool
}

func (e *eventWriter) event(name string, data any) error {
	b, err := json.Marshal(data)
	if err != nil {
		return err
	}
	return e.write("event: " + name + "\ndata: " + string(b) + "\n\n")
}

// errWriterClosed is what a write after close gives.
var errWriterClosed = errors.New("event stream ended")

func (e *eventWriter) write(s string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.writeLocked(s)
}

// writeLocked writes s and flushes, with e.mu held.
func (e *eventWriter) writeLocked(s string) error {
	if e.closed {
		return errWriterClosed
	}
	if _, err := io.WriteString(e.w, s); err != nil {
		return err
	}
	e.flush()
	return nil
}

// heartbeats writes a heartbeat comment every interval until the returned
// stop is called, or a write fails (the client is gone: the request's
// context ends, and with it the stream). After stop, nothing more is
// written: the response writer is not to be used once the handler returns.
func (e *eventWriter) heartbeats(interval time.Duration) (stop func()) {
	var t *time.Timer
	e.mu.Lock() // the first beat, which takes it too, sees t set
	t = time.AfterFunc(interval, func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		// Re-armed under the lock, so that once stop has closed e no beat
		// is left to fire.
		if e.writeLocked(heartbeatComment) == nil {
			t.Reset(interval)
		}
	})
	e.mu.Unlock()
	return func() {
		t.Stop()
		e.mu.Lock()
		e.closed = true
		e.mu.Unlock()
	}
}

func (e *eventWriter) flush() {
	if f, ok := e.w.(http.Flusher); ok {
		f.Flush()
	}
}

// statusTitle is the reason phrase of status, including the 499 that logs
// use for a client that went away.
func statusTitle(status int) string {
	if status == statusClientClosed {
		return "Client Closed Request"
	}
	return http.StatusText(status)
}
