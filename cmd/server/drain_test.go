package main

import (
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/llm-testing/llm-testing/internal/bedrock/bedrocktest"
)

// TestDrainWithRequestsInFlight cancels run's context, as SIGTERM does,
// with hundreds of requests waiting on a slow LLM: each of them completes
// with 200, /health and new summarize requests get 503 meanwhile, and run
// returns nil within the drain timeout. 300 requests hold about 1,200 open
// files in this process (client, server and both ends of the LLM call),
// well inside the 20,000 limit.
func TestDrainWithRequestsInFlight(t *testing.T) {
	const inflight = 300
	fake := bedrocktest.New(bedrocktest.Options{Latency: 1500 * time.Millisecond})
	srv := newLoopbackServer(t, fake)
	awsEnv(t, srv)
	const key = "drain-key-0123456789"
	base, _, _, stop := startServer(t, map[string]string{
		"SUMMARIZER": "bedrock", "API_KEYS": key, "DRAIN_TIMEOUT": "10s",
		"RATE_LIMIT_RPS": "100000", "RATE_LIMIT_BURST": "100000", "LOG_LEVEL": "warn",
	})
	tr := &http.Transport{MaxIdleConnsPerHost: inflight, MaxConnsPerHost: 0}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	send := func(path string) (int, string) {
		req, _ := http.NewRequest("POST", base+path, strings.NewReader(`{"transcript":"Agent: Hello. Customer: My bill is wrong this month.","options":{"maxLength":20}}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-API-Key", key)
		resp, err := c.Do(req)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}

	var wg sync.WaitGroup
	codes := make([]int, inflight)
	bodies := make([]string, inflight)
	for i := range inflight {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], bodies[i] = send("/api/v1/summarize")
		}()
	}
	deadline := time.Now().Add(10 * time.Second)
	for fake.Count() < inflight {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d requests reached the LLM", fake.Count(), inflight)
		}
		time.Sleep(5 * time.Millisecond)
	}

	stopped := make(chan error, 1)
	start := time.Now()
	go func() { stopped <- stop() }()
	time.Sleep(50 * time.Millisecond) // let the drain begin

	resp, err := c.Get(base + "/health")
	if err != nil {
		t.Fatalf("health while draining: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 {
		t.Errorf("health while draining: %d, want 503", resp.StatusCode)
	}
	if code, body := send("/api/v1/summarize"); code != 503 {
		t.Errorf("new summarize while draining: %d %s, want 503", code, body)
	}

	wg.Wait()
	for i, code := range codes {
		if code != 200 {
			t.Fatalf("in-flight request %d: %d %s", i, code, bodies[i])
		}
	}
	if err := <-stopped; err != nil {
		t.Fatalf("run returned %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("run took %v to return, drain timeout 10s", d)
	}
}

// TestDrainDeadlineAnswers503: requests still waiting on the LLM when
// DRAIN_TIMEOUT runs out are answered 503 with Retry-After, and logged as
// the server's decision (drain_deadline), never as a client that went away.
func TestDrainDeadlineAnswers503(t *testing.T) {
	const inflight = 20
	fake := bedrocktest.New(bedrocktest.Options{Latency: 20 * time.Second})
	awsEnv(t, newLoopbackServer(t, fake))
	const key = "drain-key-0123456789"
	base, _, stderr, stop := startServer(t, map[string]string{
		"SUMMARIZER": "bedrock", "API_KEYS": key, "DRAIN_TIMEOUT": "500ms",
		"RATE_LIMIT_RPS": "1000", "RATE_LIMIT_BURST": "1000",
	})
	c := &http.Client{Timeout: 15 * time.Second}
	type answer struct {
		code       int
		retryAfter string
		err        error
	}
	answers := make(chan answer, inflight)
	for range inflight {
		go func() {
			req, _ := http.NewRequest("POST", base+"/api/v1/summarize", strings.NewReader(`{"transcript":"Agent: Hello. Customer: My bill is wrong."}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-API-Key", key)
			resp, err := c.Do(req)
			if err != nil {
				answers <- answer{err: err}
				return
			}
			resp.Body.Close()
			answers <- answer{code: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After")}
		}()
	}
	deadline := time.Now().Add(10 * time.Second)
	for fake.Count() < inflight {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d requests reached the LLM", fake.Count(), inflight)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := stop(); err != nil {
		t.Fatalf("run returned %v", err)
	}
	for range inflight {
		a := <-answers
		if a.err != nil || a.code != http.StatusServiceUnavailable || a.retryAfter == "" {
			t.Errorf("cut request: %d Retry-After %q err %v; want 503 with Retry-After", a.code, a.retryAfter, a.err)
		}
	}
	logs := stderr.String()
	if strings.Contains(logs, `"status":499`) {
		t.Errorf("a request cut by the drain was logged as 499:\n%s", logs)
	}
	if got := strings.Count(logs, `"outcome":"drain_deadline"`); got != inflight {
		t.Errorf("%d access lines say drain_deadline, want %d", got, inflight)
	}
}
