package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/llm-testing/llm-testing/internal/eval"
)

// TestRunSplitAndLength runs one part of the shipped dialogue set at one
// length against the longest-turns baseline, and checks the report holds
// only that part, at that length, with both targets.
func TestRunSplitAndLength(t *testing.T) {
	out := t.TempDir()
	args := []string{"-set", "../../testdata/eval/dialogues.jsonl", "-split", "report", "-max-length", "20",
		"-target", "local", "-compare", "longest", "-out", out}
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), args, func(string) string { return "" }, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	b, err := os.ReadFile(filepath.Join(out, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var report eval.Report
	if err := json.Unmarshal(b, &report); err != nil {
		t.Fatal(err)
	}
	all, err := eval.LoadSet("../../testdata/eval/dialogues.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := eval.SelectSplit(all, eval.SplitReport)
	// -compare names the baseline, which is the first run.
	if report.Items != len(want) || len(report.Runs) != 2 || report.Runs[0].Target != "longest" || report.Runs[1].Target != "local" {
		t.Fatalf("items %d, runs %d, want %d items and local against the longest baseline", report.Items, len(report.Runs), len(want))
	}
	inPart := map[string]bool{}
	for _, it := range want {
		inPart[it.ID] = true
	}
	for _, r := range report.Runs[0].Items {
		if !inPart[r.ID] || r.Scores.MaxLength != 20 {
			t.Errorf("%s: in report part %v, maxLength %d, want true and 20", r.ID, inPart[r.ID], r.Scores.MaxLength)
		}
	}
}

func TestRunBadSplit(t *testing.T) {
	args := []string{"-set", "../../testdata/eval/dialogues.jsonl", "-split", "holdout", "-out", t.TempDir()}
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), args, func(string) string { return "" }, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), `split "holdout"`) {
		t.Errorf("err = %v, want the bad split named", err)
	}
}
