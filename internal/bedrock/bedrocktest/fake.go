// Package bedrocktest is a local Amazon Bedrock Runtime endpoint for tests,
// development and load tests. It speaks the real wire format, so the real
// aws-sdk-go-v2 client talks to it: Converse JSON on
// POST /model/{modelId}/converse, ConverseStream on
// POST /model/{modelId}/converse-stream framed with the SDK's own event
// stream encoder, and errors shaped as AWS sends them (status code,
// X-Amzn-Errortype header, JSON body with __type and message).
package bedrocktest

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Reset is a Script entry that drops the connection without an answer, as a
// connection reset would.
const Reset = "reset"

// Options shape how the fake behaves.
type Options struct {
	// Latency is how long each call takes before it answers.
	Latency time.Duration
	// ThrottleRate is the probability, 0..1, that a call fails with
	// ThrottlingException.
	ThrottleRate float64
	// ErrorRate is the probability, 0..1, that a call fails with ErrorType.
	ErrorRate float64
	// ErrorType is the exception ErrorRate produces; ServiceUnavailableException
	// when empty.
	ErrorType string
	// Script makes the first len(Script) calls fail: entry i names the
	// exception call i gets, optionally with its message ("ThrottlingException"
	// or "ValidationException: The provided model identifier is invalid."),
	// Reset drops the connection, and "" lets the call succeed.
	Script []string
	// Answer produces the model's answer to a request; DefaultAnswer when nil.
	Answer func(Request) Answer
	// MidStreamException, when set, ends every ConverseStream after its first
	// text delta with this exception (for example "ModelStreamErrorException").
	MidStreamException string
	// StreamChunkWords is how many words each streamed text delta carries;
	// 3 when zero.
	StreamChunkWords int
	// StreamAtOnce writes a stream's events in one write, as a connection
	// delivers events that queued while their reader was busy, instead of
	// one write and flush for each.
	StreamAtOnce bool
	// Record keeps every request received, for Calls. Leave it off in load
	// tests.
	Record bool
	// Memo answers a request body seen before from memory, without parsing
	// it or working out the answer again, so that a load test sending one
	// body over and over measures the service and not the fake. Answer must
	// then depend on the request alone. It remembers up to memoEntries
	// bodies of at most memoMaxBody bytes.
	Memo bool
}

// What Options.Memo remembers: this many bodies, each at most this long.
const (
	memoEntries = 64
	memoMaxBody = 1 << 20
)

// Call is a request the fake received.
type Call struct {
	ModelID string
	Stream  bool
	Request Request
}

// Fake is the fake Bedrock Runtime endpoint, an http.Handler.
type Fake struct {
	opts     Options
	n        atomic.Int64
	canceled atomic.Int64
	mu       sync.Mutex
	calls    []Call
	memo     sync.Map // memoKey -> *reply, with Options.Memo
	memoLen  atomic.Int64
}

// New returns a Fake with opts.
func New(opts Options) *Fake {
	if opts.Answer == nil {
		opts.Answer = DefaultAnswer
	}
	if opts.ErrorType == "" {
		opts.ErrorType = "ServiceUnavailableException"
	}
	if opts.StreamChunkWords <= 0 {
		opts.StreamChunkWords = 3
	}
	return &Fake{opts: opts}
}

// NewServer starts a Fake that records its calls on a loopback port, closed
// when the test ends.
func NewServer(tb testing.TB, opts Options) (*Fake, *httptest.Server) {
	tb.Helper()
	opts.Record = true
	f := New(opts)
	srv := httptest.NewServer(f)
	tb.Cleanup(srv.Close)
	return f, srv
}

// Calls returns the requests received so far (with Options.Record).
func (f *Fake) Calls() []Call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Call(nil), f.calls...)
}

// Count is how many model calls arrived, failed ones included.
func (f *Fake) Count() int { return int(f.n.Load()) }

// Canceled is how many calls the client abandoned while the fake was still
// working on them.
func (f *Fake) Canceled() int { return int(f.canceled.Load()) }

// exceptionStatus is the HTTP status Bedrock Runtime gives each exception.
var exceptionStatus = map[string]int{
	"AccessDeniedException":         http.StatusForbidden,
	"InternalServerException":       http.StatusInternalServerError,
	"ModelErrorException":           http.StatusFailedDependency,
	"ModelNotReadyException":        http.StatusTooManyRequests,
	"ModelTimeoutException":         http.StatusRequestTimeout,
	"ResourceNotFoundException":     http.StatusNotFound,
	"ServiceQuotaExceededException": http.StatusBadRequest,
	"ServiceUnavailableException":   http.StatusServiceUnavailable,
	"ThrottlingException":           http.StatusTooManyRequests,
	"ValidationException":           http.StatusBadRequest,
	"ModelStreamErrorException":     http.StatusFailedDependency,
}

// ServeHTTP answers POST /model/{modelId}/converse and /converse-stream.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	modelID, op, ok := parsePath(r.URL)
	if !ok || r.Method != http.MethodPost {
		writeException(w, "UnknownOperationException", "no such operation: "+r.Method+" "+r.URL.Path, http.StatusNotFound)
		return
	}
	// Read the whole body before answering, as Bedrock does: answering
	// while the client is still sending makes its transport drop the
	// connection.
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 8<<20))
	if err != nil {
		writeException(w, "ValidationException", "read request body: "+err.Error(), http.StatusBadRequest)
		return
	}
	stream := op == "converse-stream"
	rep, err := f.reply(memoKey{modelID: modelID, op: op, body: string(body)}, stream)
	if err != nil {
		writeException(w, "ValidationException", "malformed request body: "+err.Error(), http.StatusBadRequest)
		return
	}
	n := f.n.Add(1) - 1
	if f.opts.Record {
		f.mu.Lock()
		f.calls = append(f.calls, Call{ModelID: modelID, Stream: stream, Request: rep.req})
		f.mu.Unlock()
	}
	if f.opts.Latency > 0 {
		t := time.NewTimer(f.opts.Latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			f.canceled.Add(1)
			return
		}
	}
	if ex := f.failure(n); ex != "" {
		if ex == Reset {
			resetConnection(w)
			return
		}
		name, msg, found := strings.Cut(ex, ": ")
		if !found {
			msg = fmt.Sprintf("fake %s for call %d", name, n)
		}
		writeException(w, name, msg, 0)
		return
	}
	if rep.invalid != nil {
		writeException(w, "ValidationException", rep.invalid.Error(), 0)
		return
	}
	if stream {
		f.writeStream(w, r, rep)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-Requestid", "fake-request-id")
	_, _ = w.Write(rep.converse)
}

// failure returns the exception call n gets, if any.
func (f *Fake) failure(n int64) string {
	if n < int64(len(f.opts.Script)) {
		return f.opts.Script[n]
	}
	if f.opts.ThrottleRate > 0 && rand.Float64() < f.opts.ThrottleRate {
		return "ThrottlingException"
	}
	if f.opts.ErrorRate > 0 && rand.Float64() < f.opts.ErrorRate {
		return f.opts.ErrorType
	}
	return ""
}

func parsePath(u *url.URL) (modelID, op string, ok bool) {
	path := u.EscapedPath()
	rest, found := strings.CutPrefix(path, "/model/")
	if !found {
		return "", "", false
	}
	i := strings.LastIndexByte(rest, '/')
	if i <= 0 {
		return "", "", false
	}
	op = rest[i+1:]
	if op != "converse" && op != "converse-stream" {
		return "", "", false
	}
	id, err := url.PathUnescape(rest[:i])
	if err != nil {
		return "", "", false
	}
	return id, op, true
}

// writeException writes an error as Bedrock does; status 0 takes the
// exception's own.
func writeException(w http.ResponseWriter, ex, msg string, status int) {
	if status == 0 {
		status = exceptionStatus[ex]
		if status == 0 {
			status = http.StatusInternalServerError
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-Errortype", ex+":http://internal.amazon.com/coral/com.amazon.bedrock/")
	w.Header().Set("X-Amzn-Requestid", "fake-request-id")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": ex, "message": msg})
}

// resetConnection drops the connection without writing a response.
func resetConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// PointSDK points the AWS SDK, which reads the process environment, at the
// endpoint with dummy credentials and no profile of the user's, for the
// rest of the test.
func PointSDK(tb testing.TB, endpoint string) {
	tb.Helper()
	dir := tb.TempDir()
	for k, v := range map[string]string{
		"AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "y",
		"AWS_SESSION_TOKEN": "", "AWS_PROFILE": "", "AWS_ENDPOINT_URL": "",
		"AWS_ENDPOINT_URL_BEDROCK_RUNTIME": endpoint, "AWS_EC2_METADATA_DISABLED": "true",
		"AWS_CONFIG_FILE": dir + "/config", "AWS_SHARED_CREDENTIALS_FILE": dir + "/credentials",
	} {
		tb.Setenv(k, v)
	}
}
