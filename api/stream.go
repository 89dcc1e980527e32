package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// heartbeatInterval is how often an idle stream sends a comment, well inside
// the ALB's 60 s idle timeout.
const heartbeatInterval = 15 * time.Second

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
}

// StreamError is the data of an `error` event: the LLM failed after text
// had been sent, so the status could no longer be the HTTP status.
type StreamError struct {
	Status int    `json:"status"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
}

func registerStream(api huma.API, s *service) {
	reg := api.OpenAPI().Components.Schemas
	event := func(name string, t any) *huma.Schema {
		return &huma.Schema{
			Type:        huma.TypeObject,
			Title:       "Event " + name,
			Description: "event: " + name,
			Properties: map[string]*huma.Schema{
				"event": {Type: huma.TypeString, Enum: []any{name}},
				"data":  reg.Schema(reflect.TypeOf(t), true, ""),
			},
			Required: []string{"event", "data"},
		}
	}
	huma.Register(api, s.summarizeOperation(api, huma.Operation{
		OperationID: opSummarizeStream,
		Path:        pathSummarize + "/stream",
		Summary:     "Summarize a call transcript as a server-sent event stream",
		Description: "Same body as summarize. Anything that fails before the first text is an ordinary HTTP " +
			"status with problem+json. Then `delta` events with text, a comment heartbeat every 15 s, and a final " +
			"`done` event, or an `error` event if the LLM fails midway. Text stops at maxLength words " +
			"(`truncated` in `done`). Structured sections are not streamed.",
		Responses: map[string]*huma.Response{
			"200": {
				Description: "A text/event-stream of delta events, then done or error.",
				Content: map[string]*huma.MediaType{"text/event-stream": {Schema: &huma.Schema{
					Type:  huma.TypeArray,
					Items: &huma.Schema{OneOf: []*huma.Schema{event("delta", StreamDelta{}), event("done", StreamDone{}), event("error", StreamError{})}},
				}}},
			},
		},
	}), s.summarizeStream)
}

func (s *service) summarizeStream(ctx context.Context, in *SummarizeInput) (*huma.StreamResponse, error) {
	ri := infoFrom(ctx)
	ri.stream = true
	req := domainRequest(ri.id, &in.Body)
	start := time.Now()
	st, err := openStream(ctx, s.summarizer, req)
	if err == nil {
		// The first text decides the status: a failure before it, including
		// one that a redacting stream held text back from, is an ordinary
		// error response, not a 200 with an error event.
		var first piece
		first.text, first.err = st.Recv()
		if first.err == nil || errors.Is(first.err, io.EOF) {
			return &huma.StreamResponse{Body: func(hctx huma.Context) {
				defer st.Close()
				hctx.SetHeader("Content-Type", "text/event-stream")
				hctx.SetHeader("Cache-Control", "no-cache")
				hctx.SetHeader("X-Accel-Buffering", "no")
				hctx.SetStatus(http.StatusOK)
				s.pump(ctx, st, first, req, start, &eventWriter{w: hctx.BodyWriter()})
			}}, nil
		}
		st.Close()
		err = first.err
	}
	ri.llm = time.Since(start)
	return nil, s.summarizeError(ctx, err)
}

// piece is what one Stream.Recv gave.
type piece struct {
	text string
	err  error
}

// pump forwards the stream's text as delta events, starting with first,
// with heartbeats while it is quiet, and ends with a done or error event.
// Text stops at maxLength words; the stream is still read to its end, so
// that done carries the final usage.
func (s *service) pump(ctx context.Context, st summary.Stream, first piece, req summary.Request, start time.Time, sse *eventWriter) {
	ri := infoFrom(ctx)
	lim := summary.NewWordLimit(req.MaxLength)
	// forward sends what fits of text; past the limit Take gives nothing.
	forward := func(text string) bool {
		out, _ := lim.Take(text)
		return out == "" || sse.event("delta", StreamDelta{Text: out}) == nil
	}
	finish := func(p piece) {
		ri.llm = time.Since(start)
		if !errors.Is(p.err, io.EOF) {
			status, msg := statusFor(p.err)
			ri.streamStatus = status
			_ = s.summarizeError(ctx, p.err)
			_ = sse.event("error", StreamError{Status: status, Title: statusTitle(status), Detail: msg})
			return
		}
		r := st.Result()
		ri.model, ri.usage = r.Model, r.Usage
		_ = sse.event("done", StreamDone{
			ID: ri.id, Model: r.Model, LatencyMs: ri.llm.Milliseconds(), Truncated: r.Truncated || lim.Cut(),
			Usage: Usage{InputTokens: r.Usage.InputTokens, OutputTokens: r.Usage.OutputTokens, EstimatedCostUSD: r.Usage.EstimatedCostUSD},
		})
	}
	if first.err != nil {
		finish(first)
		return
	}
	if !forward(first.text) {
		return
	}

	pieces := make(chan piece)
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			t, err := st.Recv()
			select {
			case pieces <- piece{t, err}:
			case <-done:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	beat := time.NewTicker(s.heartbeat)
	defer beat.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-beat.C:
			if sse.comment("heartbeat") != nil {
				return
			}
		case p := <-pieces:
			if p.err != nil {
				finish(p)
				return
			}
			// Pieces that are already waiting go out as one event: fewer
			// writes and flushes when the LLM sends many small deltas.
			text, last := p.text, (*piece)(nil)
		gather:
			for {
				select {
				case q := <-pieces:
					if q.err != nil {
						last = &q
						break gather
					}
					text += q.text
				default:
					break gather
				}
			}
			if !forward(text) {
				return
			}
			if last != nil {
				finish(*last)
				return
			}
		}
	}
}

// openStream starts a stream from s, or, for a summarizer that cannot
// stream, runs it and streams its whole text at once.
func openStream(ctx context.Context, s summary.Summarizer, req summary.Request) (summary.Stream, error) {
	if st, ok := s.(summary.Streamer); ok {
		return st.SummarizeStream(ctx, req)
	}
	r, err := s.Summarize(ctx, req)
	if err != nil {
		return nil, err
	}
	return &wholeStream{r: r}, nil
}

type wholeStream struct {
	r    summary.Result
	sent bool
}

func (w *wholeStream) Recv() (string, error) {
	if w.sent {
		return "", io.EOF
	}
	w.sent = true
	return w.r.Summary, nil
}
func (w *wholeStream) Result() summary.Result { r := w.r; r.Summary = ""; return r }
func (w *wholeStream) Close() error           { return nil }

// eventWriter writes server-sent events and flushes each one.
type eventWriter struct {
	w io.Writer
}

func (e *eventWriter) event(name string, data any) error {
	b, err := json.Marshal(data)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(e.w, "event: "+name+"\ndata: "+string(b)+"\n\n"); err != nil {
		return err
	}
	e.flush()
	return nil
}

func (e *eventWriter) comment(text string) error {
	if _, err := io.WriteString(e.w, ": "+text+"\n\n"); err != nil {
		return err
	}
	e.flush()
	return nil
}

func (e *eventWriter) flush() {
	if f, ok := e.w.(http.Flusher); ok {
		f.Flush()
	}
}

// statusTitle is the reason phrase of status, including the 499 that logs
// use for a client that went away.
func statusTitle(status int) string {
	if status == 499 {
		return "Client Closed Request"
	}
	return http.StatusText(status)
}
