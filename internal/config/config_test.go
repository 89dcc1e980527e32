package config

import (
	"log/slog"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/llm-testing/llm-testing/internal/prompt"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadDefaults(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Port, 3000; got != want {
		t.Errorf("Port = %d, want %d", got, want)
	}
	if got, want := c.Summarizer, SummarizerLocal; got != want {
		t.Errorf("Summarizer = %q, want %q", got, want)
	}
	if got, want := c.BedrockModelID, DefaultModelID; got != want {
		t.Errorf("BedrockModelID = %q, want %q", got, want)
	}
	if got, want := c.BedrockTimeout, 45*time.Second; got != want {
		t.Errorf("BedrockTimeout = %v, want %v", got, want)
	}
	if got, want := c.DrainTimeout, 25*time.Second; got != want {
		t.Errorf("DrainTimeout = %v, want %v", got, want)
	}
	if got, want := c.MaxBodyBytes, int64(4<<20); got != want {
		t.Errorf("MaxBodyBytes = %d, want %d", got, want)
	}
	if !c.RedactPII {
		t.Error("RedactPII default is false, want true")
	}
	if c.RateLimitRPS != 10 || c.RateLimitBurst != 20 {
		t.Errorf("rate limit = %v/%d, want 10/20", c.RateLimitRPS, c.RateLimitBurst)
	}
	if c.LogLevel != slog.LevelInfo || c.LogFormat != "json" {
		t.Errorf("log = %v/%s, want info/json", c.LogLevel, c.LogFormat)
	}
}

func TestLoadValues(t *testing.T) {
	c, err := Load(env(map[string]string{
		"PORT": "8080", "SUMMARIZER": "Bedrock", "BEDROCK_TIMEOUT": "30s", "REDACT_PII": "false",
		"LOG_LEVEL": "debug", "LOG_FORMAT": "text", "MAX_INFLIGHT": "50", "RATE_LIMIT_RPS": "0.5",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Port != 8080 || c.Summarizer != SummarizerBedrock || c.BedrockTimeout != 30*time.Second ||
		c.RedactPII || c.LogLevel != slog.LevelDebug || c.LogFormat != "text" || c.MaxInflight != 50 || c.RateLimitRPS != 0.5 {
		t.Errorf("Load = %+v", c)
	}
}

func TestLoadInvalid(t *testing.T) {
	tests := []struct {
		name, key, value, want string
	}{
		{"port not a number", "PORT", "http", "PORT"},
		{"port out of range", "PORT", "70000", "from 1 to 65535"},
		{"unknown summarizer", "SUMMARIZER", "openai", "one of local, bedrock"},
		{"bad duration", "BEDROCK_TIMEOUT", "45", "duration"},
		{"bad bool", "REDACT_PII", "maybe", "true or false"},
		{"bad level", "LOG_LEVEL", "verbose", "LOG_LEVEL"},
		{"bad format", "LOG_FORMAT", "xml", "json, text"},
		{"negative body", "MAX_BODY_BYTES", "-1", "MAX_BODY_BYTES"},
		{"zero inflight", "MAX_INFLIGHT", "0", "MAX_INFLIGHT"},
		{"bad rps", "RATE_LIMIT_RPS", "fast", "RATE_LIMIT_RPS"},
		{"NaN rps", "RATE_LIMIT_RPS", "NaN", "a number from"},
		{"infinite rps", "RATE_LIMIT_RPS", "+Inf", "a number from"},
		{"negative infinite rps", "RATE_LIMIT_RPS", "-inf", "a number from"},
		{"bad level name", "LOG_LEVEL", "INFO+2", "one of debug, info, warn, error"},
		{"model with spaces", "BEDROCK_MODEL_ID", "claude sonnet", "BEDROCK_MODEL_ID"},
		{"budget not a size", "MEMORY_BUDGET", "lots", "a size in bytes"},
		{"budget unknown unit", "MEMORY_BUDGET", "600MB", "a size in bytes"},
		{"budget negative", "MEMORY_BUDGET", "-1MiB", "a size in bytes"},
		{"budget fractional", "MEMORY_BUDGET", "0.5GiB", "a size in bytes"},
		{"budget too large", "MEMORY_BUDGET", "2048GiB", "a size in bytes"},
		{"budget overflows", "MEMORY_BUDGET", "9223372036854775807KiB", "a size in bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(env(map[string]string{tt.key: tt.value}))
			if err == nil {
				t.Fatalf("Load(%s=%q) = nil error", tt.key, tt.value)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tt.key) {
				t.Errorf("error %q does not name %s and %q", err, tt.key, tt.want)
			}
		})
	}
}

// TestLoadEmptyIsDefault: an empty environment gives exactly Default, so
// code that starts from Default behaves as the deployed server does.
func TestLoadEmptyIsDefault(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c, Default(); !reflect.DeepEqual(got, want) {
		t.Errorf("Load(empty) = %+v\nDefault() = %+v", got, want)
	}
}

func TestLoadLevels(t *testing.T) {
	for name, want := range map[string]slog.Level{"debug": slog.LevelDebug, "INFO": slog.LevelInfo, "Warn": slog.LevelWarn, "error": slog.LevelError} {
		c, err := Load(env(map[string]string{"LOG_LEVEL": name}))
		if err != nil {
			t.Fatalf("LOG_LEVEL=%s: %v", name, err)
		}
		if c.LogLevel != want {
			t.Errorf("LOG_LEVEL=%s: level %v, want %v", name, c.LogLevel, want)
		}
	}
}

func TestLoadReportsEveryError(t *testing.T) {
	_, err := Load(env(map[string]string{"PORT": "x", "LOG_FORMAT": "xml"}))
	if err == nil || !strings.Contains(err.Error(), "PORT") || !strings.Contains(err.Error(), "LOG_FORMAT") {
		t.Errorf("error %v should name both PORT and LOG_FORMAT", err)
	}
}

func TestConnLimit(t *testing.T) {
	tests := []struct {
		name             string
		maxConns, flight int
		nofile           uint64
		want             int
	}{
		{"derived", 0, 4000, 20000, 20000 - 4000 - connReserve},
		{"set", 500, 4000, 20000, 500},
		{"tiny limit keeps a floor", 0, 4000, 1024, connReserve},
		{"unlimited", 0, 4000, ^uint64(0), 1<<30 - 4000 - connReserve},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			c.MaxConns, c.MaxInflight = tt.maxConns, tt.flight
			if got := c.ConnLimit(tt.nofile); got != tt.want {
				t.Errorf("ConnLimit(%d) = %d, want %d", tt.nofile, got, tt.want)
			}
		})
	}
}

func TestLoadMemoryBudget(t *testing.T) {
	for raw, want := range map[string]int64{
		"600MiB": 600 << 20, "1GiB": 1 << 30, "4096": 4096, "512 KiB": 512 << 10, "2TiB": 0, "100B": 100, "0": 0,
	} {
		c, err := Load(env(map[string]string{"MEMORY_BUDGET": raw}))
		switch {
		case want == 0 && raw != "0":
			if err == nil {
				t.Errorf("MEMORY_BUDGET=%s: no error", raw)
			}
		case err != nil:
			t.Errorf("MEMORY_BUDGET=%s: %v", raw, err)
		case c.MemoryBudget != want:
			t.Errorf("MEMORY_BUDGET=%s: %d, want %d", raw, c.MemoryBudget, want)
		}
	}
}

func TestAdmissionBudget(t *testing.T) {
	tests := []struct {
		name          string
		budget, limit int64
		want          int64
	}{
		{"from GOMEMLIMIT or the cgroup", 0, 900 << 20, 630 << 20},
		{"set wins", 300 << 20, 900 << 20, 300 << 20},
		{"set without a limit", 300 << 20, 0, 300 << 20},
		{"no limit, no budget", 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			c.MemoryBudget = tt.budget
			if got := c.AdmissionBudget(tt.limit); got != tt.want {
				t.Errorf("AdmissionBudget(%d) = %d, want %d", tt.limit, got, tt.want)
			}
		})
	}
}

// TestDefaultModelHasAPrice: the default model's answers carry a cost.
func TestDefaultModelHasAPrice(t *testing.T) {
	if Default().BedrockPrices.Cost(DefaultModelID, 1000, 100) == nil {
		t.Errorf("no list price for the default model %s", DefaultModelID)
	}
}

func TestLoadPrices(t *testing.T) {
	c, err := Load(env(map[string]string{"BEDROCK_PRICES": `{"amazon.nova-pro-v1:0": {"input": 1, "output": 2}}`}))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.BedrockPrices.Cost("us.amazon.nova-pro-v1:0", 1_000_000, 1_000_000); got == nil || *got != 3 {
		t.Errorf("cost with BEDROCK_PRICES = %v, want 3", got)
	}
	_, err = Load(env(map[string]string{"BEDROCK_PRICES": `{"a.b": {"input": 1}}`}))
	if err == nil || !strings.Contains(err.Error(), "BEDROCK_PRICES") {
		t.Errorf("bad BEDROCK_PRICES: err = %v, want one naming the variable", err)
	}
}

func TestLoadPromptFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		path := dir + "/" + name
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	good := write("good.txt", "=== system ===\nAt most {{maxLength}} words.\n=== user ===\n{{transcript}}")
	c, err := Load(env(map[string]string{"PROMPT_FILE": good}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Prompt == nil || c.Prompt.Version() == prompt.DefaultSummary().Version() {
		t.Errorf("PROMPT_FILE=%s: prompt is the default", good)
	}
	if d, _ := Load(env(nil)); d.Prompt.Version() != prompt.DefaultSummary().Version() {
		t.Error("no PROMPT_FILE: prompt is not the embedded default")
	}
	tests := []struct{ name, path, want string }{
		{"empty", write("empty.txt", ""), "empty"},
		{"unknown placeholder", write("tone.txt", "=== system ===\n{{tone}}\n=== user ===\n{{transcript}}"), "unknown placeholder {{tone}}"},
		{"no transcript slot", write("notr.txt", "=== system ===\nx\n=== user ===\nSummarize."), "{{transcript}} slot is missing"},
		{"missing file", dir + "/nope.txt", "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(env(map[string]string{"PROMPT_FILE": tt.path}))
			if err == nil || !strings.Contains(err.Error(), "PROMPT_FILE") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load: err = %v, want it to name PROMPT_FILE and say %q", err, tt.want)
			}
		})
	}
}
