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
