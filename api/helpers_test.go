package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/llm-testing/llm-testing/internal/auth"
	"github.com/llm-testing/llm-testing/internal/config"
	"github.com/llm-testing/llm-testing/internal/summary"
)

const testKey = "test-key-0123456789"

// fakeSummarizer is a summary.Summarizer and summary.Streamer whose behaviour
// each test sets.
type fakeSummarizer struct {
	summarize func(context.Context, summary.Request) (summary.Result, error)
	stream    func(context.Context, summary.Request) (summary.Stream, error)
}

var (
	_ summary.Summarizer = (*fakeSummarizer)(nil)
	_ summary.Streamer   = (*fakeSummarizer)(nil)
)

func (f *fakeSummarizer) Summarize(ctx context.Context, r summary.Request) (summary.Result, error) {
	if f.summarize == nil {
		return summary.Result{Summary: "The customer was refunded.", Model: "fake-model",
			Usage: summary.Usage{InputTokens: 10, OutputTokens: 4}, Chunks: 1}, nil
	}
	return f.summarize(ctx, r)
}

func (f *fakeSummarizer) SummarizeStream(ctx context.Context, r summary.Request) (summary.Stream, error) {
	if f.stream == nil {
		return &sliceStream{pieces: []string{"The customer ", "was refunded."}, result: summary.Result{Model: "fake-model"}}, nil
	}
	return f.stream(ctx, r)
}

// sliceStream yields pieces, then err (io.EOF when nil).
type sliceStream struct {
	pieces []string
	err    error
	result summary.Result
	closed bool
}

func (s *sliceStream) Recv() (string, error) {
	if len(s.pieces) == 0 {
		if s.err != nil {
			return "", s.err
		}
		return "", io.EOF
	}
	p := s.pieces[0]
	s.pieces = s.pieces[1:]
	return p, nil
}
func (s *sliceStream) Result() summary.Result { return s.result }
func (s *sliceStream) Close() error           { s.closed = true; return nil }

// logBuffer collects log lines safely across goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

type testServer struct {
	handler http.Handler
	logs    *logBuffer
	state   *State
	cfg     config.Config
	keys    *auth.KeySet
}

func newTestServer(tb testing.TB, s summary.Summarizer, mod func(*config.Config)) *testServer {
	tb.Helper()
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		tb.Fatal(err)
	}
	if mod != nil {
		mod(&cfg)
	}
	keys, err := auth.Parse(testKey + ",other-key-0123456789")
	if err != nil {
		tb.Fatal(err)
	}
	logs := &logBuffer{}
	state := new(State)
	h := NewServer(Deps{
		Logger: slog.New(slog.NewJSONHandler(logs, nil)), Config: cfg, Summarizer: s,
		SummarizerName: "local", Keys: keys, Version: "test", State: state,
	})
	return &testServer{handler: h, logs: logs, state: state, cfg: cfg, keys: keys}
}

// do sends a request and returns the recorded response.
func (ts *testServer) do(tb testing.TB, method, path, body string, headers map[string]string) *httptest.ResponseRecorder {
	tb.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		if v == "" {
			req.Header.Del(k)
			continue
		}
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	ts.handler.ServeHTTP(rec, req)
	return rec
}

func withKey(extra ...string) map[string]string {
	h := map[string]string{"X-API-Key": testKey}
	for i := 0; i+1 < len(extra); i += 2 {
		h[extra[i]] = extra[i+1]
	}
	return h
}

func decode[T any](tb testing.TB, b []byte) T {
	tb.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		tb.Fatalf("decode %s: %v", b, err)
	}
	return v
}

type problem struct {
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Errors []struct {
		Location string `json:"location"`
		Message  string `json:"message"`
	} `json:"errors"`
}
