package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/llm-testing/llm-testing/internal/bedrock/bedrocktest"
	"github.com/llm-testing/llm-testing/internal/prompt"
)

// TestPromptFileEndToEnd serves with PROMPT_FILE against the fake Bedrock:
// the fake receives the file's text, and the response, the stream's done
// event and every log line name the prompt's version.
func TestPromptFileEndToEnd(t *testing.T) {
	text := "=== system ===\nCUSTOM PROMPT: at most {{maxLength}} words. {{answer}}\n=== user ===\n{{transcript}}"
	path := filepath.Join(t.TempDir(), "prompt.txt")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	tpl, err := prompt.Parse(text, prompt.SummarySpec)
	if err != nil {
		t.Fatal(err)
	}
	fake, srv := bedrocktest.NewServer(t, bedrocktest.Options{})
	awsEnv(t, srv.URL)
	const key = "prompt-e2e-key-0123456789"
	base, _, stderr, stop := startServer(t, map[string]string{"SUMMARIZER": "bedrock", "API_KEYS": key, "PROMPT_FILE": path})
	body := `{"transcript":"Agent: Hello. Customer: My bill is wrong by $20. Agent: I refunded it."}`
	resp := post(t, base+"/api/v1/summarize", key, body)
	var got struct {
		PromptVersion string `json:"promptVersion"`
	}
	err = json.NewDecoder(resp.Body).Decode(&got)
	resp.Body.Close()
	if err != nil || got.PromptVersion != tpl.Version() {
		t.Errorf("summarize promptVersion = %q (%v), want %q", got.PromptVersion, err, tpl.Version())
	}
	if sys := fake.Calls()[0].Request.SystemText(); !strings.HasPrefix(sys, "CUSTOM PROMPT: at most 150 words.") {
		t.Errorf("Bedrock got system prompt %q, want PROMPT_FILE's", sys)
	}
	resp = post(t, base+"/api/v1/summarize/stream", key, body)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), `"promptVersion":"`+tpl.Version()+`"`) {
		t.Errorf("stream lacks the prompt version in done:\n%s", b)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
		if !strings.Contains(line, `"promptVersion":"`+tpl.Version()+`"`) {
			t.Errorf("log line without the prompt version: %s", line)
		}
	}
}

// TestBadPromptFileStopsStartup: an invalid PROMPT_FILE is a startup error
// that names the variable.
func TestBadPromptFileStopsStartup(t *testing.T) {
	path := filepath.Join(t.TempDir(), "prompt.txt")
	if err := os.WriteFile(path, []byte("=== system ===\nHi {{name}}\n=== user ===\nno slot"), 0o600); err != nil {
		t.Fatal(err)
	}
	// Should it start anyway, it serves until the deadline and returns nil.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := run(ctx, []string{"server"}, func(k string) string {
		return map[string]string{"PROMPT_FILE": path, "PORT": strconv.Itoa(freePort(t))}[k]
	}, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "PROMPT_FILE") || !strings.Contains(err.Error(), "{{name}}") ||
		!strings.Contains(err.Error(), "{{transcript}}") {
		t.Errorf("run = %v, want a PROMPT_FILE error naming the unknown placeholder and the missing slot", err)
	}
}
