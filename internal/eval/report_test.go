package eval

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"
)

func testReport(tb testing.TB) Report {
	tb.Helper()
	a, b := pairRuns(tb, 2,
		func(i int) ItemResult {
			return ItemResult{Summary: "refund issued", Scores: Score(testItems(tb, 1)[0], "refund issued", 0), LatencyMs: 12}
		},
		func(i int) ItemResult { return ItemResult{Error: "upstream: bad | answer"} })
	a.Aggregate, b.Aggregate = AggregateOf(a.Items), AggregateOf(b.Items)
	cmps, err := CompareAll([]Run{b, a})
	if err != nil {
		tb.Fatal(err)
	}
	th, _ := ParseGate("rouge1>=0.9")
	gate := ApplyGate(th, a.Aggregate, &cmps[0])
	return Report{Dataset: "set.jsonl", CreatedAt: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC), Items: 2,
		Runs: []Run{a, b}, Comparisons: cmps, Gate: &gate}
}

func TestReportWrite(t *testing.T) {
	dir := t.TempDir() + "/out"
	jsonPath, mdPath, err := testReport(t).Write(dir)
	if err != nil {
		t.Fatalf("Write: %v", err)
	}
	b, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("decode report.json: %v", err)
	}
	if len(back.Runs) != 2 || back.Runs[0].Items[0].Summary != "refund issued" || back.Runs[1].Aggregate.Errors != 2 || back.Gate.Passed {
		t.Errorf("report.json round trip lost data: %+v", back)
	}
	md, err := os.ReadFile(mdPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| metric | `A` | `B` |",
		"| errors | 0 | 2 |",
		"## Comparison",
		"| `rouge1>=0.9` |",
		"## Gate: FAIL",
		"error: upstream: bad / answer", // a pipe would break the table
		"| 0 | ",                        // item rows
	} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report.md lacks %q:\n%s", want, md)
		}
	}
}

func TestReportTable(t *testing.T) {
	var buf bytes.Buffer
	if err := testReport(t).Table(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"ROUGE-1 F1", "compare", "A better", "gate", "FAIL", "error"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}
