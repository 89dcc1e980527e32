package eval

import (
	"context"
	"strings"
	"testing"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// TestComplianceIsTheProviders checks that compliance measures what the
// provider wrote, not what the pipeline's limit left of it: a lead baseline
// longer than maxLength is cut (truncated) and scores as non-compliant.
func TestComplianceIsTheProviders(t *testing.T) {
	items := testItems(t, 3)
	for i := range items {
		items[i].Transcript = "Agent: " + strings.Repeat("word ", 40)
		items[i].Options.MaxLength = 12
	}
	run, err := Evaluate(context.Background(), NewSummarizerTarget("lead:30", Lead{N: 30}, summary.Policy{}), items, RunOptions{Concurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	a := run.Aggregate
	if a.Compliance != 0 || a.Truncated != 1 {
		t.Errorf("compliance %v truncated %v, want 0 and 1", a.Compliance, a.Truncated)
	}
	if s := run.Items[0].Scores; s.Words != 30 || summary.CountWords(run.Items[0].Summary) > 12 {
		t.Errorf("item words %d, summary %q; want 30 produced, at most 12 returned", s.Words, run.Items[0].Summary)
	}
}

// TestUnreportedTokensAreNotAWin: a baseline reports no tokens; its
// aggregate says so, and a comparison gives nobody the win on them.
func TestUnreportedTokensAreNotAWin(t *testing.T) {
	n := 5
	a, b := pairRuns(t, 4,
		func(int) ItemResult { return ItemResult{} },
		func(int) ItemResult { return ItemResult{InputTokens: &n, OutputTokens: &n} })
	a.Aggregate, b.Aggregate = AggregateOf(a.Items), AggregateOf(b.Items)
	if _, ok := a.Aggregate.Value("outputTokens"); ok {
		t.Error("outputTokens reported for a run that has none")
	}
	if v, ok := b.Aggregate.Value("outputTokens"); !ok || v != 20 {
		t.Errorf("outputTokens = %v %v, want 20", v, ok)
	}
	c, err := Compare(a, b)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range c.Metrics {
		if m.Metric == "outputTokens" && (m.Verdict != VerdictNotReported || m.NotReportedBy != "A") {
			t.Errorf("outputTokens: verdict %q by %q, want %q by A", m.Verdict, m.NotReportedBy, VerdictNotReported)
		}
	}
	th, _ := ParseGate("delta.outputTokens<=0,outputTokens<=100")
	g := ApplyGate(th, a.Aggregate, &c)
	if g.Passed || g.Checks[0].Reason == "" || g.Checks[1].Reason == "" {
		t.Errorf("gate = %+v, want both checks failed as not measurable", g)
	}
}
