package main

import (
	"bufio"
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/llm-testing/llm-testing/internal/bedrock/bedrocktest"
)

// awsEnv points the AWS SDK at a local Bedrock endpoint.
func awsEnv(t *testing.T, endpoint string) { bedrocktest.PointSDK(t, endpoint) }

func post(t *testing.T, url, key, body string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-API-Key", key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// TestBedrockEndToEnd runs the program with SUMMARIZER=bedrock against the
// fake Bedrock on loopback: summarize, stream, and a throttled call.
func TestBedrockEndToEnd(t *testing.T) {
	fake, srv := bedrocktest.NewServer(t, bedrocktest.Options{})
	awsEnv(t, srv.URL)
	const key = "bedrock-e2e-key-0123456789"
	base, _, stderr, stop := startServer(t, map[string]string{
		"SUMMARIZER": "bedrock", "API_KEYS": key, "BEDROCK_MODEL_ID": "us.anthropic.claude-haiku-4-5-20251001-v1:0",
	})
	body := `{"transcript":"Agent: Thanks for calling, this is Sam. Customer: My package arrived damaged, order 88231. Agent: I will ship a replacement today. Reach me at sam@example.com.","options":{"maxLength":25,"sections":["actionItems","sentiment"]}}`

	resp := post(t, base+"/api/v1/summarize", key, body)
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("summarize: %d %s\n%s", resp.StatusCode, buf.String(), stderr)
	}
	for _, want := range []string{`"model":"us.anthropic.claude-haiku-4-5-20251001-v1:0"`, `"actionItems":`, `"sentiment":`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("summarize body lacks %s: %s", want, buf.String())
		}
	}
	calls := fake.Calls()
	if len(calls) == 0 {
		t.Fatal("the fake Bedrock saw no call")
	}
	sent := calls[0].Request.Messages[0].Content[0].Text
	if strings.Contains(sent, "sam@example.com") || !strings.Contains(sent, "[EMAIL]") || !strings.Contains(sent, "88231") {
		t.Errorf("transcript sent to Bedrock is not redacted as expected: %q", sent)
	}

	resp = post(t, base+"/api/v1/summarize/stream", key, body)
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("stream: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var events []string
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if e, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
			events = append(events, e)
		}
	}
	if len(events) < 2 || events[0] != "delta" || events[len(events)-1] != "done" {
		t.Errorf("stream events = %v, want delta... done", events)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

func TestBedrockThrottledIs429(t *testing.T) {
	script := make([]string, 20)
	for i := range script {
		script[i] = "ThrottlingException"
	}
	_, srv := bedrocktest.NewServer(t, bedrocktest.Options{Script: script})
	awsEnv(t, srv.URL)
	base, _, _, _ := startServer(t, map[string]string{"SUMMARIZER": "bedrock", "API_KEYS": "k-0123456789abcdef", "BEDROCK_TIMEOUT": "5s"})
	for _, path := range []string{"/api/v1/summarize", "/api/v1/summarize/stream"} {
		resp := post(t, base+path, "k-0123456789abcdef", `{"transcript":"Agent: hi. Customer: hello."}`)
		resp.Body.Close()
		if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
			t.Errorf("%s: status %d Retry-After %q, want 429 with Retry-After", path, resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
			t.Errorf("%s: Content-Type %q", path, ct)
		}
	}
}

func TestBedrockNeedsRegion(t *testing.T) {
	awsEnv(t, "http://127.0.0.1:1")
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	err := run(context.Background(), []string{"server"}, func(k string) string {
		return map[string]string{"SUMMARIZER": "bedrock", "API_KEYS": "k-0123456789abcdef", "PORT": "1"}[k]
	}, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "region") {
		t.Errorf("run without a region = %v, want an error about the region", err)
	}
}

// newLoopbackServer serves h on 127.0.0.1 until the test ends and returns
// its URL.
func newLoopbackServer(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestBedrockUnreachableIs503: with nothing listening at the Bedrock
// endpoint, both endpoints answer 503 with Retry-After, the LLM unavailable
// after retries, as the README documents.
func TestBedrockUnreachableIs503(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	endpoint := "http://" + ln.Addr().String()
	ln.Close() // refused from now on
	awsEnv(t, endpoint)
	const key = "bedrock-down-key-0123456789"
	base, _, _, stop := startServer(t, map[string]string{"SUMMARIZER": "bedrock", "API_KEYS": key})
	defer stop()
	for _, path := range []string{"/api/v1/summarize", "/api/v1/summarize/stream"} {
		resp := post(t, base+path, key, `{"transcript":"Agent: Hello. Customer: My bill is wrong."}`)
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
			t.Errorf("%s: %d Retry-After %q, want 503 with Retry-After", path, resp.StatusCode, resp.Header.Get("Retry-After"))
		}
	}
}
