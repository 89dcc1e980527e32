package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/llm-testing/llm-testing/internal/bedrock/bedrocktest"
	"github.com/llm-testing/llm-testing/internal/eval"
	"github.com/llm-testing/llm-testing/internal/prompt"
)

// model is a priced model id, so that costs and savings are known.
const model = "us.anthropic.claude-haiku-4-5-20251001-v1:0"

// awsEnv points the AWS SDK at a local Bedrock endpoint.
func awsEnv(t *testing.T, endpoint string) { bedrocktest.PointSDK(t, endpoint) }

func readReport(t *testing.T, dir string) eval.Report {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep eval.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	return rep
}

func runEval(t *testing.T, args ...string) (stdout string) {
	t.Helper()
	var out, errb bytes.Buffer
	if err := run(context.Background(), args, func(string) string { return "" }, &out, &errb); err != nil {
		t.Fatalf("run %v: %v\n%s\n%s", args, err, &out, &errb)
	}
	return out.String()
}

// TestPromptFileThreeTargetsAndCache: three targets in one run, one of
// them with a prompt file, judged; the fake receives the file's prompt and
// the report names its version; an identical second run makes no model
// call and reports what the cache saved.
func TestPromptFileThreeTargetsAndCache(t *testing.T) {
	fake, srv := bedrocktest.NewServer(t, bedrocktest.Options{})
	awsEnv(t, srv.URL)
	text := "=== system ===\nNEW PROMPT. Summarize in at most {{maxLength}} words as {{format}}. {{answer}}\n=== user ===\nThe call:\n{{transcript}}"
	promptPath := filepath.Join(t.TempDir(), "new.txt")
	if err := os.WriteFile(promptPath, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	tpl, _ := prompt.Parse(text, prompt.SummarySpec)
	set, cache := writeSet(t), t.TempDir()
	args := func(out string) []string {
		return []string{"-set", set, "-out", out, "-cache-dir", cache, "-judge", "bedrock:" + model,
			"-target", "bedrock:" + model, "-target", "bedrock:" + model + "?prompt=" + promptPath, "-target", "lead"}
	}
	out1 := t.TempDir()
	stdout := runEval(t, args(out1)...)
	calls := fake.Count()
	var custom int
	for _, c := range fake.Calls() {
		if strings.HasPrefix(c.Request.SystemText(), "NEW PROMPT. Summarize in at most") {
			custom++
			if !strings.HasPrefix(c.Request.UserText(), "The call:\n<transcript>\n") {
				t.Errorf("custom prompt's user message = %q", c.Request.UserText())
			}
		}
	}
	// 2 items x (default prompt, new prompt) summaries + 3 targets x 2 items graded.
	if custom != 2 {
		t.Errorf("fake got %d calls with the prompt file's text, want 2", custom)
	}
	rep := readReport(t, out1)
	if len(rep.Runs) != 3 || len(rep.Comparisons) != 2 {
		t.Fatalf("runs %d comparisons %d, want 3 and 2", len(rep.Runs), len(rep.Comparisons))
	}
	if got := rep.Runs[1].PromptVersion; got != tpl.Version() || rep.Runs[0].PromptVersion != prompt.DefaultSummary().Version() {
		t.Errorf("prompt versions %q %q, want %q %q", rep.Runs[0].PromptVersion, got, prompt.DefaultSummary().Version(), tpl.Version())
	}
	md, _ := os.ReadFile(filepath.Join(out1, "report.md"))
	if !strings.Contains(string(md), tpl.Version()) || !strings.Contains(stdout, tpl.Version()) {
		t.Errorf("report.md or the table does not name prompt version %s", tpl.Version())
	}
	if rep.Judge == nil || rep.Judge.RubricVersion != eval.DefaultRubric().Version() || rep.Runs[0].Aggregate.Faithfulness == nil {
		t.Errorf("judge info %+v, faithfulness %v", rep.Judge, rep.Runs[0].Aggregate.Faithfulness)
	}
	// 2 items x 2 Bedrock targets summarized, 2 items x 3 targets graded;
	// a summary two targets share is graded once.
	if c := rep.Cache; c == nil || c.Hits+c.Misses != 10 || c.Misses != calls {
		t.Errorf("first run cache = %+v after %d model calls, want 10 lookups, a miss per call", c, calls)
	}

	out2 := t.TempDir()
	runEval(t, args(out2)...)
	if got := fake.Count(); got != calls {
		t.Errorf("second identical run made %d model calls, want 0", got-calls)
	}
	rep2 := readReport(t, out2)
	if c := rep2.Cache; c == nil || c.Hits != 10 || c.Misses != 0 || c.SavedUSD <= 0 {
		t.Errorf("second run cache = %+v, want 10 hits, 0 misses and money saved", c)
	}
	for i := range rep.Runs {
		for k := range rep.Runs[i].Items {
			if a, b := rep.Runs[i].Items[k].Summary, rep2.Runs[i].Items[k].Summary; a != b {
				t.Errorf("run %d item %d: cached summary %q, first %q", i, k, b, a)
			}
		}
	}

	runEval(t, append(args(t.TempDir()), "-no-cache")...)
	if got := fake.Count() - calls; got != 10 {
		t.Errorf("-no-cache made %d calls, want 10: every summary and every grade asked again", got)
	}
}

// TestJudgeSeparatesReferencesFromCorrupted judges the shipped set's
// references and the same references corrupted (a wrong amount, an
// invented refund): faithfulness separates them, item by item and in the
// comparison.
func TestJudgeSeparatesReferencesFromCorrupted(t *testing.T) {
	_, srv := bedrocktest.NewServer(t, bedrocktest.Options{})
	awsEnv(t, srv.URL)
	out := t.TempDir()
	runEval(t, "-set", "../../testdata/eval/calls.jsonl", "-out", out, "-no-cache", "-judge", "bedrock:"+model,
		"-target", "reference", "-target", "corrupt")
	rep := readReport(t, out)
	ref, bad := rep.Runs[0].Aggregate, rep.Runs[1].Aggregate
	t.Logf("faithfulness: references %.3f, corrupted %.3f; unsupported/item %.2f vs %.2f; coverage %.3f vs %.3f; items %d",
		*ref.Faithfulness, *bad.Faithfulness, *ref.Unsupported, *bad.Unsupported, *ref.JudgeCoverage, *bad.JudgeCoverage, rep.Items)
	// The scripted judge reads digits and simple spoken numbers, not every
	// spoken amount ("seventeen ninety-nine"), so a few reference claims
	// count as unsupported: near the top, not at it.
	if *ref.Faithfulness < 0.9 || *bad.Faithfulness > *ref.Faithfulness-0.2 || *bad.Unsupported < *ref.Unsupported+1 {
		t.Errorf("faithfulness references %.3f, corrupted %.3f: want >= 0.9 and at least 0.2 lower, and a claim more unsupported per item", *ref.Faithfulness, *bad.Faithfulness)
	}
	for k, it := range rep.Runs[0].Items {
		if b := rep.Runs[1].Items[k]; b.Judge.Faithfulness >= it.Judge.Faithfulness ||
			!slices.ContainsFunc(b.Judge.Unsupported, func(c string) bool { return strings.Contains(c, "$250") }) {
			t.Errorf("%s: corrupted %.2f (unsupported %q) not below reference %.2f", it.ID, b.Judge.Faithfulness, b.Judge.Unsupported, it.Judge.Faithfulness)
		}
	}
	for _, m := range rep.Comparisons[0].Metrics {
		if m.Metric == "faithfulness" && m.Verdict != eval.VerdictB {
			t.Errorf("faithfulness verdict %q (A=corrupt, B=reference), want %q", m.Verdict, eval.VerdictB)
		}
	}
}

// TestJudgeMalformedAnswers: a malformed answer is asked for again; an item
// whose answers are malformed twice is judge-failed and left out of the
// judge's means, and a gate on a judge metric still works.
func TestJudgeMalformedAnswers(t *testing.T) {
	var judgeCalls atomic.Int32
	answer := func(r bedrocktest.Request) bedrocktest.Answer {
		a := bedrocktest.DefaultAnswer(r)
		if r.ToolConfig == nil || r.ToolConfig.Tools[0].ToolSpec.Name != "record_grade" {
			return a
		}
		n := judgeCalls.Add(1)
		switch {
		case strings.Contains(r.UserText(), "locked out of my account"):
			return bedrocktest.Answer{ToolInput: map[string]any{"claims": "all good"}} // always malformed
		case n == 1:
			return bedrocktest.Answer{Text: "I think it is fine."} // no tool call: retried
		}
		return a
	}
	_, srv := bedrocktest.NewServer(t, bedrocktest.Options{Answer: answer})
	awsEnv(t, srv.URL)
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"-set", writeSet(t), "-out", out, "-no-cache", "-concurrency", "1",
		"-judge", "bedrock:" + model, "-target", "reference", "-gate", "faithfulness>=0.99,judgeFailed<=0"},
		func(string) string { return "" }, &stdout, &stderr)
	if exitCode(err) != 1 || !strings.Contains(stderr.String(), "judgeFailed<=0 failed") || strings.Contains(stderr.String(), "faithfulness>=0.99 failed") {
		t.Errorf("exit %d (%v), stderr:\n%s\nwant the gate to fail on judgeFailed only", exitCode(err), err, &stderr)
	}
	rep := readReport(t, out)
	a := rep.Runs[0].Aggregate
	if a.JudgeFailed != 1 || a.JudgeItems != 1 || judgeCalls.Load() != 4 {
		t.Errorf("judge failed %d, graded %d, calls %d; want 1, 1, 4 (a retry each)", a.JudgeFailed, a.JudgeItems, judgeCalls.Load())
	}
	for _, it := range rep.Runs[0].Items {
		if (it.ID == "reset") != strings.HasPrefix(it.Judge.Error, eval.JudgeFailed) {
			t.Errorf("%s: judge error %q", it.ID, it.Judge.Error)
		}
	}
}
