package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// reqInfo is what the middleware learns about a request as it runs, for the
// access log, the metrics line and Server-Timing. Only the request's own
// goroutine touches it.
type reqInfo struct {
	id      string
	start   time.Time
	keyID   string
	llm     time.Duration
	model   string
	usage   summary.Usage
	outcome outcome
	stream  bool
	// streamStatus is the status of a failure that ended a stream after
	// its 200 had gone out: that of its error event, or 499 for a client
	// that went away (no event).
	streamStatus int
	// droppedCitations counts the turn ids the summarizer cited that named
	// no turn of the call (summary.Grounded dropped them).
	droppedCitations int
	// reserved is the memory budget the request holds (admission.go).
	reserved int64
}

// outcome is why a summarize request was refused without an answer from
// the LLM, or "" when it was not; each has a metric (metrics.go).
type outcome string

// The outcomes.
const (
	outcomeShed        outcome = "shed"
	outcomeRateLimited outcome = "rate_limited"
	outcomeThrottled   outcome = "throttled"
	// outcomeDrainDeadline: still in flight when DRAIN_TIMEOUT ran out, and
	// ended by the server (api.ErrDrainDeadline), not by the client.
	outcomeDrainDeadline outcome = "drain_deadline"
)

type infoKey struct{}

// infoFrom returns the request's reqInfo; a fresh one outside the middleware
// (as in spec generation).
func infoFrom(ctx context.Context) *reqInfo {
	if ri, ok := ctx.Value(infoKey{}).(*reqInfo); ok {
		return ri
	}
	return &reqInfo{start: time.Now()}
}

// route is a method and path that an operation is registered at.
type route struct{ method, path string }

// meteredRoutes are the routes of the operations that take a summarize body
// (those with body rules): their responses are held for Server-Timing and
// their log lines carry metrics.
func meteredRoutes(oapi *huma.OpenAPI) map[route]bool {
	out := map[route]bool{}
	for path, item := range oapi.Paths {
		for method, op := range operationsOf(item) {
			if op != nil && op.Metadata[bodyRulesKey] != nil {
				out[route{method, path}] = true
			}
		}
	}
	return out
}

// middleware wraps the mux with what every request gets: a request id, panic
// recovery, Server-Timing, an access log line (and, for a metered route, its
// metrics).
func (s *service) middleware(next http.Handler, metered map[route]bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ri := &reqInfo{start: time.Now(), id: requestID(r.Header.Get("X-Request-Id"))}
		summarize := metered[route{r.Method, r.URL.Path}]
		rw := &responseWriter{ResponseWriter: w, info: ri, status: http.StatusOK, hold: summarize}
		rw.Header().Set("X-Request-Id", ri.id)
		r = r.WithContext(context.WithValue(r.Context(), infoKey{}, ri))
		body := &countingReader{ReadCloser: r.Body}
		r.Body = body
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic serving request", "request_id", ri.id, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				if !rw.sent {
					rw.buf, rw.wroteHeader, rw.hold = nil, false, false
					rw.Header().Set("Content-Type", "application/problem+json")
					rw.WriteHeader(http.StatusInternalServerError)
					fmt.Fprintf(rw, `{"title":"Internal Server Error","status":500,"detail":"unexpected error, request id %s"}`+"\n", ri.id)
				}
			}
			rw.finish()
			s.logRequest(r, rw, body.n, summarize)
		}()
		next.ServeHTTP(rw, r)
	})
}

func (s *service) logRequest(r *http.Request, rw *responseWriter, bytesIn int64, metered bool) {
	ri := rw.info
	latency := time.Since(ri.start)
	attrs := make([]slog.Attr, 0, 16)
	attrs = append(attrs,
		slog.String("request_id", ri.id),
		slog.String("method", r.Method),
		slog.String("route", routeOf(r)),
		slog.Int("status", rw.status),
		slog.Float64("latency_ms", ms(latency)),
		slog.Int64("bytes_in", bytesIn),
		slog.Int64("bytes_out", rw.written),
	)
	if ri.keyID != "" {
		attrs = append(attrs, slog.String("key_id", ri.keyID))
	}
	if ri.model != "" {
		attrs = append(attrs, slog.String("model", ri.model))
	}
	if ri.outcome != "" {
		attrs = append(attrs, slog.String("outcome", string(ri.outcome)))
	}
	status := rw.status
	if ri.streamStatus != 0 {
		status = ri.streamStatus
		attrs = append(attrs, slog.Int("stream_error_status", status))
	}
	if metered {
		attrs = append(attrs, s.metrics.attrs(ri, status, latency)...)
	}
	s.access.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
}

func routeOf(r *http.Request) string {
	if r.Pattern != "" && r.Pattern != "/" { // "/" is the not-found handler
		return r.Pattern
	}
	return "unmatched"
}

// requestID accepts a caller's X-Request-Id when it is short printable ASCII,
// and otherwise makes one.
func requestID(given string) string {
	if n := len(given); n > 0 && n <= 128 {
		ok := true
		for i := 0; i < n; i++ {
			if c := given[i]; c < 0x21 || c > 0x7e {
				ok = false
				break
			}
		}
		if ok {
			return given
		}
	}
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// responseWriter records the status and size and adds Server-Timing. A
// summarize response is held until the handler is done (it is a few KB), so
// that Server-Timing's total covers the encoded body; other responses get it
// as their headers go out, and streams not at all.
type responseWriter struct {
	http.ResponseWriter
	info        *reqInfo
	status      int
	written     int64
	wroteHeader bool // the handler has set the status
	sent        bool // the status has gone to the client
	hold        bool // buffer the body until finish
	buf         []byte
}

func (w *responseWriter) WriteHeader(code int) {
	if w.wroteHeader {
		return
	}
	w.wroteHeader = true
	w.status = code
	if w.hold && !w.info.stream {
		return
	}
	w.send()
}

// send writes the status line and headers, with Server-Timing unless this
// is a stream.
func (w *responseWriter) send() {
	w.sent = true
	if !w.info.stream {
		v := "total;dur=" + strconv.FormatFloat(ms(time.Since(w.info.start)), 'f', 2, 64)
		if w.info.llm > 0 {
			v += ", llm;dur=" + strconv.FormatFloat(ms(w.info.llm), 'f', 2, 64)
		}
		w.Header().Set("Server-Timing", v)
	}
	w.ResponseWriter.WriteHeader(w.status)
}

func (w *responseWriter) Write(p []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if !w.sent {
		w.buf = append(w.buf, p...)
		return len(p), nil
	}
	n, err := w.ResponseWriter.Write(p)
	w.written += int64(n)
	return n, err
}

// finish sends a held response.
func (w *responseWriter) finish() {
	if w.sent || !w.wroteHeader {
		return
	}
	w.send()
	n, _ := w.ResponseWriter.Write(w.buf)
	w.written += int64(n)
	w.buf = nil
}

// Flush lets streaming responses reach the client as they are written.
func (w *responseWriter) Flush() {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if !w.sent {
		return
	}
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection (deadlines).
func (w *responseWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// countingReader counts the bytes of a request body as they are read, so
// that the access log has the real size of a chunked body too.
type countingReader struct {
	io.ReadCloser
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	c.n += int64(n)
	return n, err
}
