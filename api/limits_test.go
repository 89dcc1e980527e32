package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/llm-testing/llm-testing/internal/config"
	"github.com/llm-testing/llm-testing/internal/summary"
)

func TestRateLimitPerKey(t *testing.T) {
	ts := newTestServer(t, &fakeSummarizer{}, func(c *config.Config) { c.RateLimitRPS, c.RateLimitBurst = 0.5, 3 })
	for i := range 3 {
		if rec := ts.do(t, "POST", "/api/v1/summarize", okBody, withKey()); rec.Code != 200 {
			t.Fatalf("request %d within burst: %d", i, rec.Code)
		}
	}
	rec := ts.do(t, "POST", "/api/v1/summarize", okBody, withKey())
	if rec.Code != http.StatusTooManyRequests {
		t.Fatalf("request past burst: %d, want 429", rec.Code)
	}
	ra, err := strconv.Atoi(rec.Header().Get("Retry-After"))
	if err != nil || ra < 1 || ra > 2 {
		t.Errorf("Retry-After = %q, want 1..2 s at 0.5 rps", rec.Header().Get("Retry-After"))
	}
	// Another key has its own bucket.
	if rec := ts.do(t, "POST", "/api/v1/summarize", okBody, map[string]string{"X-API-Key": "other-key-0123456789"}); rec.Code != 200 {
		t.Errorf("other key: %d, want 200", rec.Code)
	}
	if !strings.Contains(ts.logs.String(), `"RateLimited":1`) {
		t.Error("rate-limited request not counted in the metrics line")
	}
}

func TestKeyLimiterBounded(t *testing.T) {
	l := newKeyLimiter(1, 1, 100)
	for i := range 10000 {
		l.allow(fmt.Sprintf("key-%d", i))
		if n := l.size(); n > 100 {
			t.Fatalf("after %d keys the limiter holds %d buckets, bound 100", i+1, n)
		}
	}
}

// TestKeyLimiterKeepsBusyKeys fills the limiter and brings a new key: the
// bucket forgotten must be an idle one, never that of a key that has used
// its burst (forgetting it would hand that key a fresh burst).
func TestKeyLimiterKeepsBusyKeys(t *testing.T) {
	tests := []struct {
		name string
		// idle prepares the key that should be forgotten.
		idle func(l *keyLimiter)
	}{
		{"idle bucket full again", func(l *keyLimiter) { l.mu.Lock(); l.buckets["idle"] = rate.NewLimiter(l.rps, l.burst); l.mu.Unlock() }},
		{"no bucket full, idle one fuller", func(l *keyLimiter) { l.allow("idle") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newKeyLimiter(0.001, 2, 2) // no refill within the test
			l.allow("busy")
			l.allow("busy")
			if _, ok := l.allow("busy"); ok {
				t.Fatal("third request passed a burst of 2")
			}
			tt.idle(l)
			if _, ok := l.allow("new"); !ok {
				t.Fatal("a new key was limited")
			}
			if n := l.size(); n > 2 {
				t.Fatalf("limiter holds %d buckets, bound 2", n)
			}
			if _, ok := l.allow("busy"); ok {
				t.Error("the busy key was forgotten: it got a fresh burst when a new key arrived")
			}
		})
	}
}

func TestShedding(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{}, 10)
	ts := newTestServer(t, &fakeSummarizer{summarize: func(ctx context.Context, r summary.Request) (summary.Result, error) {
		started <- struct{}{}
		<-release
		return summary.Result{Summary: "ok", Model: "m"}, nil
	}}, func(c *config.Config) { c.MaxInflight = 2 })
	var wg sync.WaitGroup
	codes := make(chan int, 2)
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes <- ts.do(t, "POST", "/api/v1/summarize", okBody, withKey()).Code
		}()
	}
	<-started
	<-started
	// The third request must be answered at once: were it admitted, it
	// would wait on release like the other two.
	third := make(chan *httptest.ResponseRecorder, 1)
	go func() { third <- ts.do(t, "POST", "/api/v1/summarize", okBody, withKey()) }()
	select {
	case rec := <-third:
		if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
			t.Errorf("third request: %d Retry-After %q, want 503 with Retry-After", rec.Code, rec.Header().Get("Retry-After"))
		}
	case <-time.After(5 * time.Second):
		t.Error("third request past MAX_INFLIGHT was admitted (or queued), not shed")
		close(release)
		<-third
	}
	if rec := ts.do(t, "GET", "/health", "", nil); rec.Code != 200 {
		t.Errorf("health while at capacity: %d", rec.Code)
	}
	select {
	case <-release:
	default:
		close(release)
	}
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != 200 {
			t.Errorf("in-flight request: %d", c)
		}
	}
	if got := ts.state.Inflight(); got != 0 {
		t.Errorf("inflight after all finished = %d", got)
	}
	if rec := ts.do(t, "POST", "/api/v1/summarize", okBody, withKey()); rec.Code != 200 {
		t.Errorf("after load: %d", rec.Code)
	}
	if !strings.Contains(ts.logs.String(), `"Shed":1`) {
		t.Error("shed request not counted in the metrics line")
	}
}

func TestDraining(t *testing.T) {
	ts := newTestServer(t, &fakeSummarizer{}, nil)
	if rec := ts.do(t, "GET", "/health", "", nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"status":"ok"`) {
		t.Fatalf("health: %d %s", rec.Code, rec.Body)
	}
	ts.state.StartDrain()
	rec := ts.do(t, "GET", "/health", "", nil)
	if rec.Code != 503 || strings.TrimSpace(rec.Body.String()) != `{"status":"draining"}` {
		t.Errorf("health while draining: %d %s", rec.Code, rec.Body)
	}
	for _, path := range []string{"/api/v1/summarize", "/api/v1/summarize/stream"} {
		rec = ts.do(t, "POST", path, okBody, withKey())
		if rec.Code != 503 || rec.Header().Get("Retry-After") == "" {
			t.Errorf("%s while draining: %d, want 503 with Retry-After", path, rec.Code)
		}
	}
}

// TestMetricsLine checks each summarize request's log line against the
// CloudWatch Embedded Metric Format specification: an _aws object with a
// millisecond Timestamp and CloudWatchMetrics directives, each naming a
// namespace, dimension sets whose keys are top-level strings, and metrics
// whose names are top-level numbers.
func TestMetricsLine(t *testing.T) {
	cost := 0.5
	ts := newTestServer(t, &fakeSummarizer{summarize: func(context.Context, summary.Request) (summary.Result, error) {
		return summary.Result{Summary: "ok", Model: "claude-x", Usage: summary.Usage{InputTokens: 100, OutputTokens: 20, EstimatedCostUSD: &cost}}, nil
	}}, nil)
	ts.do(t, "POST", "/api/v1/summarize", okBody, withKey())
	ts.do(t, "POST", "/api/v1/summarize", okBody, nil) // 401
	ts.do(t, "GET", "/health", "", nil)

	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(ts.logs.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line is not JSON: %s", l)
		}
		if m["msg"] == "request" {
			lines = append(lines, m)
		}
	}
	if len(lines) != 3 {
		t.Fatalf("got %d request lines, want 3", len(lines))
	}
	if _, ok := lines[2]["_aws"]; ok {
		t.Error("health request carries metrics")
	}
	for _, m := range lines[:2] {
		checkEMF(t, m)
	}
	ok := lines[0]
	if ok["StatusClass"] != "2xx" || ok["Model"] != "claude-x" || ok["InputTokens"] != 100.0 || ok["EstimatedCostUSD"] != 0.5 || ok["Summarizer"] != "local" {
		t.Errorf("200 line = %v", ok)
	}
	if lines[1]["StatusClass"] != "4xx" || lines[1]["key_id"] != nil {
		t.Errorf("401 line = %v", lines[1])
	}
	if strings.Contains(ts.logs.String(), testKey) || strings.Contains(ts.logs.String(), "double charged") {
		t.Error("logs contain a key or transcript text")
	}
}

// checkEMF checks one log line against the Embedded Metric Format: an _aws
// object with a millisecond Timestamp and CloudWatchMetrics directives,
// each naming a namespace, dimension sets whose keys are top-level strings,
// and metrics whose names are top-level numbers.
func checkEMF(t *testing.T, m map[string]any) {
	t.Helper()
	aws, ok := m["_aws"].(map[string]any)
	if !ok {
		t.Fatalf("line has no _aws object: %v", m)
	}
	if ts, ok := aws["Timestamp"].(float64); !ok || ts < 1.7e12 {
		t.Errorf("Timestamp = %v, want epoch milliseconds", aws["Timestamp"])
	}
	dirs, ok := aws["CloudWatchMetrics"].([]any)
	if !ok || len(dirs) == 0 {
		t.Fatalf("CloudWatchMetrics = %v", aws["CloudWatchMetrics"])
	}
	for _, d := range dirs {
		dir := d.(map[string]any)
		if dir["Namespace"] != "llm-testing" {
			t.Errorf("Namespace = %v", dir["Namespace"])
		}
		for _, set := range dir["Dimensions"].([]any) {
			keys := set.([]any)
			if len(keys) == 0 || len(keys) > 30 {
				t.Errorf("dimension set size %d", len(keys))
			}
			for _, k := range keys {
				if _, ok := m[k.(string)].(string); !ok {
					t.Errorf("dimension %v is not a top-level string", k)
				}
			}
		}
		metrics := dir["Metrics"].([]any)
		if len(metrics) > 100 {
			t.Errorf("%d metrics in one directive, limit 100", len(metrics))
		}
		for _, mt := range metrics {
			name := mt.(map[string]any)["Name"].(string)
			if _, ok := m[name].(float64); !ok {
				t.Errorf("metric %s is not a top-level number", name)
			}
		}
	}
}
