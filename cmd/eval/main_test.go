package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/llm-testing/llm-testing/api"
	"github.com/llm-testing/llm-testing/internal/auth"
	"github.com/llm-testing/llm-testing/internal/config"
	"github.com/llm-testing/llm-testing/internal/eval"
	"github.com/llm-testing/llm-testing/internal/local"
	"github.com/llm-testing/llm-testing/internal/summary"
)

// newService runs the real API with the local summarizer on loopback, so the
// url target is tested through the generated client against the service.
func newService(tb testing.TB, key string) string {
	tb.Helper()
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		tb.Fatal(err)
	}
	keys, err := auth.Parse(key)
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(api.NewServer(api.Deps{
		Config: cfg, Keys: keys, SummarizerName: "local", Version: "test",
		Summarizer: summary.NewPipeline(local.New(), summary.Policy{RedactPII: true}),
	}))
	tb.Cleanup(srv.Close)
	return srv.URL
}

func writeSet(tb testing.TB) string {
	tb.Helper()
	items := []eval.Item{
		{ID: "refund", Transcript: "Agent: Thanks for calling.\nCustomer: I was charged twice for my plan.\nAgent: I refunded the duplicate charge of $20.",
			Reference: "The customer was charged twice; the agent refunded the duplicate $20 charge.",
			Must:      [][]string{{"charged twice"}, {"refund"}}, Options: eval.Options{MaxLength: 20}},
		{ID: "reset", Transcript: "Agent: Hello.\nCustomer: I am locked out of my account.\nAgent: I sent a password reset link and you are back in.",
			Reference: "The customer was locked out; the agent sent a password reset link.",
			Must:      [][]string{{"locked out"}, {"reset"}}, Options: eval.Options{MaxLength: 15, Format: "bullets"}},
	}
	var buf bytes.Buffer
	for _, it := range items {
		b, _ := json.Marshal(it)
		buf.Write(append(b, '\n'))
	}
	path := filepath.Join(tb.TempDir(), "set.jsonl")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

func TestRun(t *testing.T) {
	base := newService(t, "k1")
	set := writeSet(t)
	env := map[string]string{"API_KEY": "k1"}
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  []string
		runs     int
	}{
		{name: "local default", args: []string{}, wantCode: 0, wantOut: []string{"local", "ROUGE-1"}, runs: 1},
		{name: "compare local with deployed", args: []string{"-target", "url:" + base, "-compare", "local", "-gate", "compliance>=1,rouge1>=0.1,delta.rouge1>=-0.001"},
			wantCode: 0, wantOut: []string{"url:" + base, "A=url:", "gate", "PASS"}, runs: 2},
		{name: "gate fails", args: []string{"-target", "lead:3", "-gate", "factRecall>=0.9"}, wantCode: 1, wantOut: []string{"FAIL"}, runs: 1},
		{name: "bad key fails every item", args: []string{"-target", "url:" + base, "-key", "wrong"}, wantCode: 2, runs: 1},
		{name: "unknown target", args: []string{"-target", "gpt"}, wantCode: 2},
		{name: "bad gate", args: []string{"-gate", "rouge9>1"}, wantCode: 2},
		{name: "bad flag", args: []string{"-concurrency", "0"}, wantCode: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "eval")
			args := append([]string{"-set", set, "-out", out, "-cache-dir", t.TempDir()}, tt.args...)
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), args, func(k string) string { return env[k] }, &stdout, &stderr)
			if got := exitCode(err); got != tt.wantCode {
				t.Fatalf("exit code = %d (err %v), want %d\nstdout:\n%s\nstderr:\n%s", got, err, tt.wantCode, &stdout, &stderr)
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(stdout.String(), w) {
					t.Errorf("stdout lacks %q:\n%s", w, &stdout)
				}
			}
			if tt.runs == 0 {
				return
			}
			b, err := os.ReadFile(filepath.Join(out, "report.json"))
			if err != nil {
				t.Fatalf("read report.json: %v", err)
			}
			var rep eval.Report
			if err := json.Unmarshal(b, &rep); err != nil {
				t.Fatal(err)
			}
			if len(rep.Runs) != tt.runs || rep.Items != 2 {
				t.Fatalf("report has %d runs, %d items; want %d, 2", len(rep.Runs), rep.Items, tt.runs)
			}
			if _, err := os.Stat(filepath.Join(out, "report.md")); err != nil {
				t.Errorf("report.md: %v", err)
			}
			if tt.runs == 2 {
				// The deployed service and the in-process one run the same
				// summarizer: they must agree word for word.
				for i := range rep.Runs[0].Items {
					if a, b := rep.Runs[0].Items[i].Summary, rep.Runs[1].Items[i].Summary; a != b || a == "" {
						t.Errorf("item %d: url summary %q, local %q", i, a, b)
					}
				}
			}
		})
	}
}

func TestRunShippedSetDefaults(t *testing.T) {
	// go tool mage eval runs this command with no flags from the repo root.
	t.Chdir("../..")
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"-out", out}, func(string) string { return "" }, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\n%s", err, &stderr)
	}
	if !strings.Contains(stdout.String(), "local") {
		t.Errorf("stdout lacks the local target:\n%s", &stdout)
	}
	if _, err := os.Stat(filepath.Join(out, "report.md")); err != nil {
		t.Error(err)
	}
}
