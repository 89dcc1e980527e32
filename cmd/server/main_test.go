package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/llm-testing/llm-testing/api/client"
)

// syncBuffer is a bytes.Buffer safe to write from the server's goroutines:
// serve's lockedWriter over it, read under the same lock.
type syncBuffer struct {
	lockedWriter
	b bytes.Buffer
}

func newSyncBuffer() *syncBuffer {
	s := &syncBuffer{}
	s.w = &s.b
	return s
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func freePort(tb testing.TB) int {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startServer runs run() on a free port with env and waits for /health. The
// returned stop cancels run's context (as SIGTERM does) and returns its error.
func startServer(tb testing.TB, env map[string]string) (base string, stdout, stderr *syncBuffer, stop func() error) {
	tb.Helper()
	port := freePort(tb)
	env["PORT"] = strconv.Itoa(port)
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr = newSyncBuffer(), newSyncBuffer()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"server"}, func(k string) string { return env[k] }, stdout, stderr)
	}()
	base = fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(base + "/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		select {
		case err := <-done:
			cancel()
			tb.Fatalf("run returned before serving: %v\n%s", err, stderr)
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			tb.Fatalf("server did not become healthy: %v\n%s", err, stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
	var once sync.Once
	var runErr error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case runErr = <-done:
			case <-time.After(40 * time.Second):
				runErr = errors.New("run did not return within 40s")
			}
		})
		return runErr
	}
	tb.Cleanup(func() { _ = stop() })
	return base, stdout, stderr, stop
}

func keyEditor(key string) client.RequestEditorFn {
	return func(_ context.Context, r *http.Request) error {
		if key != "" {
			r.Header.Set("X-API-Key", key)
		}
		return nil
	}
}

// TestEndToEnd runs the real program and talks to it through the client
// generated from the spec.
func TestEndToEnd(t *testing.T) {
	const key = "e2e-key-0123456789abcdef"
	base, _, stderr, stop := startServer(t, map[string]string{"API_KEYS": `{"keys":["` + key + `"]}`, "LOG_FORMAT": "json"})
	ctx := context.Background()

	c, err := client.NewClientWithResponses(base, client.WithRequestEditorFn(keyEditor(key)))
	if err != nil {
		t.Fatal(err)
	}
	transcript := "Agent: Thank you for calling Northwind Internet, this is Priya.\n" +
		"Customer: Hi, my internet has been down since yesterday and I work from home.\n" +
		"Agent: I'm sorry about that. I see an outage in your area caused by a fiber cut.\n" +
		"Customer: When will it be fixed?\n" +
		"Agent: The repair crew expects service back by 6 pm today. I will credit two days to your account.\n" +
		"Customer: Okay, thank you. My card is 4111 1111 1111 1111 if you need it.\n"
	maxLen := int64(30)
	sections := []client.SummarizeOptionsSections{client.KeyPoints, client.Sentiment}
	res, err := c.SummarizeWithResponse(ctx, client.SummarizeRequest{
		Transcript: &transcript,
		Options:    &client.SummarizeOptions{MaxLength: &maxLen, Sections: &sections},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode() != 200 || res.JSON200 == nil {
		t.Fatalf("summarize: status %d: %s", res.StatusCode(), res.Body)
	}
	s := res.JSON200
	if n := len(strings.Fields(s.Summary)); n == 0 || int64(n) > maxLen {
		t.Errorf("summary has %d words, want 1..%d: %q", n, maxLen, s.Summary)
	}
	if s.Model != "local-extractive-v1" || s.KeyPoints == nil || s.Sentiment == nil {
		t.Errorf("summary = %+v", s)
	}
	if strings.Contains(string(res.Body), "4111") {
		t.Errorf("card number not redacted: %s", res.Body)
	}

	noKey, _ := client.NewClientWithResponses(base)
	res, err = noKey.SummarizeWithResponse(ctx, client.SummarizeRequest{Transcript: &transcript})
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode() != 401 || res.ApplicationproblemJSON401 == nil {
		t.Errorf("no key: status %d: %s", res.StatusCode(), res.Body)
	}

	res, err = c.SummarizeWithResponse(ctx, client.SummarizeRequest{Transcript: ptr("")})
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode() != 422 || res.ApplicationproblemJSON422 == nil {
		t.Errorf("empty transcript: status %d: %s", res.StatusCode(), res.Body)
	}

	res, err = c.SummarizeWithBodyWithResponse(ctx, "application/json", strings.NewReader(`{"transcript":`))
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode() != 400 {
		t.Errorf("malformed body: status %d: %s", res.StatusCode(), res.Body)
	}

	h, err := c.GetHealthWithResponse(ctx)
	if err != nil || h.JSON200 == nil || h.JSON200.Status != "ok" {
		t.Fatalf("health: %v %s", err, h.Body)
	}

	if err := stop(); err != nil {
		t.Fatalf("run returned %v after cancel", err)
	}
	logs := stderr.String()
	if strings.Contains(logs, key) || strings.Contains(logs, "Northwind") || strings.Contains(logs, "4111 1111") {
		t.Errorf("logs leak a key or transcript text:\n%s", logs)
	}
	if !strings.Contains(logs, `"msg":"stopped"`) {
		t.Errorf("no clean stop in logs:\n%s", logs)
	}
}

func TestDevelopmentKey(t *testing.T) {
	base, stdout, _, _ := startServer(t, map[string]string{})
	out := stdout.String()
	i := strings.Index(out, "X-API-Key: ")
	if i < 0 {
		t.Fatalf("no development key printed:\n%s", out)
	}
	key := strings.Fields(out[i+len("X-API-Key: "):])[0]
	key = strings.TrimSuffix(key, "'")
	c, _ := client.NewClientWithResponses(base, client.WithRequestEditorFn(keyEditor(key)))
	res, err := c.SummarizeWithResponse(context.Background(), client.SummarizeRequest{Transcript: ptr("Agent: Hello there. Customer: My order never arrived.")})
	if err != nil || res.StatusCode() != 200 {
		t.Fatalf("printed key does not work: %v %d %s", err, res.StatusCode(), res.Body)
	}
}

func TestStartupErrors(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"bad port", map[string]string{"PORT": "abc"}, "PORT"},
		{"bad keys", map[string]string{"API_KEYS": `{"keys":`}, "API_KEYS"},
		{"empty key", map[string]string{"API_KEYS": "a,,b"}, "API_KEYS"},
		{"bedrock without keys", map[string]string{"SUMMARIZER": "bedrock"}, "API_KEYS is required"},
		{"unknown summarizer", map[string]string{"SUMMARIZER": "gpt"}, "SUMMARIZER"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(context.Background(), []string{"server"}, func(k string) string { return tt.env[k] }, &bytes.Buffer{}, &bytes.Buffer{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("run = %v, want an error naming %q", err, tt.want)
			}
		})
	}
}

func TestHealthcheckCommand(t *testing.T) {
	base, _, _, stop := startServer(t, map[string]string{"API_KEYS": "k-0123456789abcdef"})
	port := strings.TrimPrefix(base, "http://127.0.0.1:")
	env := func(k string) string {
		if k == "PORT" {
			return port
		}
		return ""
	}
	if err := run(context.Background(), []string{"server", "healthcheck"}, env, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Errorf("healthcheck against a healthy server: %v", err)
	}
	_ = stop()
	if err := run(context.Background(), []string{"server", "healthcheck"}, env, &bytes.Buffer{}, &bytes.Buffer{}); err == nil {
		t.Error("healthcheck against a stopped server succeeded")
	}
}

func TestUnknownCommand(t *testing.T) {
	err := run(context.Background(), []string{"server", "frobnicate"}, func(string) string { return "" }, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "usage") {
		t.Errorf("run frobnicate = %v", err)
	}
}

// TestMetricsAtAnyLogLevel: LOG_LEVEL=error silences ordinary logs, but not
// the per-request line that carries the metrics.
func TestMetricsAtAnyLogLevel(t *testing.T) {
	const key = "level-key-0123456789"
	base, _, stderr, stop := startServer(t, map[string]string{"API_KEYS": key, "LOG_LEVEL": "error"})
	c, _ := client.NewClientWithResponses(base, client.WithRequestEditorFn(keyEditor(key)))
	if res, err := c.SummarizeWithResponse(context.Background(), client.SummarizeRequest{Transcript: ptr("Agent: Hi. Customer: My bill is wrong.")}); err != nil || res.StatusCode() != 200 {
		t.Fatalf("summarize: %v", err)
	}
	_ = stop()
	logs := stderr.String()
	if !strings.Contains(logs, `"CloudWatchMetrics"`) {
		t.Errorf("no metrics line at LOG_LEVEL=error:\n%s", logs)
	}
	if strings.Contains(logs, `"msg":"serving"`) {
		t.Errorf("info lines written at LOG_LEVEL=error:\n%s", logs)
	}
}

func ptr[T any](v T) *T { return &v }
