package eval

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// FakeTarget is a Target whose behaviour a test sets.
type FakeTarget struct {
	NameValue     string
	SummarizeFunc func(ctx context.Context, it Item) (Output, error)
}

var _ Target = (*FakeTarget)(nil)

func (f *FakeTarget) Name() string { return f.NameValue }

func (f *FakeTarget) Summarize(ctx context.Context, it Item) (Output, error) {
	return f.SummarizeFunc(ctx, it)
}

// FakeSummarizer is a summary.Summarizer whose behaviour a test sets.
type FakeSummarizer struct {
	SummarizeFunc func(ctx context.Context, req summary.Request) (summary.Result, error)
}

var _ summary.Summarizer = (*FakeSummarizer)(nil)

func (f *FakeSummarizer) Summarize(ctx context.Context, req summary.Request) (summary.Result, error) {
	return f.SummarizeFunc(ctx, req)
}

func (f *FakeSummarizer) SummarizeStream(ctx context.Context, req summary.Request) (summary.Stream, error) {
	return summary.StreamWhole(ctx, req, f.Summarize)
}

func testItems(tb testing.TB, n int) []Item {
	tb.Helper()
	items := make([]Item, n)
	for i := range items {
		items[i] = Item{
			ID:         string(rune('a' + i)),
			Transcript: "Agent: thanks for calling. Customer: I was charged twice for my plan.",
			Reference:  "the customer was charged twice and the agent refunded the duplicate charge",
			Must:       [][]string{{"charged twice", "double charge"}, {"refund"}},
			MustNot:    []string{"cancelled"},
			Options:    Options{MaxLength: 12},
		}
	}
	return items
}

func TestEvaluate(t *testing.T) {
	items := testItems(t, 8)
	var inFlight, peak atomic.Int32
	target := &FakeTarget{NameValue: "fake", SummarizeFunc: func(ctx context.Context, it Item) (Output, error) {
		cur := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			p := peak.Load()
			if cur <= p || peak.CompareAndSwap(p, cur) {
				break
			}
		}
		time.Sleep(5 * time.Millisecond)
		switch it.ID {
		case "a":
			return Output{}, errors.New("boom")
		case "b":
			return Output{Summary: "the customer cancelled and was charged twice for the plan again and again today",
				Usage: summary.Usage{InputTokens: 100, OutputTokens: 20}}, nil
		}
		cost := 0.001
		return Output{
			Summary: "the customer was charged twice and the agent refunded the duplicate charge",
			Latency: 10 * time.Millisecond, Usage: summary.Usage{InputTokens: 100, OutputTokens: 20, EstimatedCostUSD: &cost},
		}, nil
	}}
	var progress []int
	run, err := Evaluate(context.Background(), target, items, RunOptions{Concurrency: 3, Progress: func(done, total int) {
		progress = append(progress, done)
	}})
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	if got := peak.Load(); got > 3 || got < 2 {
		t.Errorf("peak concurrency = %d, want 2..3", got)
	}
	if len(progress) != 8 || progress[7] != 8 {
		t.Errorf("progress calls = %v, want 1..8", progress)
	}
	for i, r := range run.Items {
		if r.ID != items[i].ID {
			t.Fatalf("item %d id = %q, want %q (results keep set order)", i, r.ID, items[i].ID)
		}
	}
	a := run.Aggregate
	if a.Errors != 1 || a.ErrorRate != 1.0/8 {
		t.Errorf("errors = %d (%v), want 1 (0.125)", a.Errors, a.ErrorRate)
	}
	b := run.Items[1].Scores
	if b.Compliant || b.Words != 14 || len(b.Forbidden) != 1 || b.FactRecall != 0.5 {
		t.Errorf("item b scores = %+v, want 14 words non-compliant, 1 forbidden, recall 0.5", b)
	}
	// six perfect items, one half-recall item, one failure scoring zero.
	if got, want := a.FactRecall, (6+0.5)/8; got != want {
		t.Errorf("factRecall = %v, want %v", got, want)
	}
	if got, want := a.Compliance, 6.0/8; got != want {
		t.Errorf("compliance = %v, want %v", got, want)
	}
	// item b says one forbidden phrase; the failed item a counts as saying
	// all of its own (one).
	if got, want := a.Forbidden, 2.0/8; got != want {
		t.Errorf("forbidden = %v, want %v", got, want)
	}
	if f := run.Items[0].Scores; f.FactRecall != 0 || f.Compliant || len(f.Forbidden) != 1 {
		t.Errorf("failed item scores = %+v, want the worst on every metric", f)
	}
	if got, want := a.Rouge1, 6.0/8+run.Items[1].Scores.Rouge1.F1/8; got-want > 1e-12 || want-got > 1e-12 {
		t.Errorf("rouge1 = %v, want %v", got, want)
	}
	if a.CostUSD != nil {
		t.Errorf("cost = %v, want unknown: item b had no cost", *a.CostUSD)
	}
	if a.InputTokens == nil || *a.InputTokens != 700 || a.OutputTokens == nil || *a.OutputTokens != 140 {
		t.Errorf("tokens = %v/%v, want 700/140", a.InputTokens, a.OutputTokens)
	}
	if a.LatencyP95Ms != 10 || a.LatencyP50Ms != 10 {
		t.Errorf("latency p50/p95 = %v/%v, want 10/10", a.LatencyP50Ms, a.LatencyP95Ms)
	}
}

func TestEvaluateCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	target := &FakeTarget{NameValue: "slow", SummarizeFunc: func(ctx context.Context, it Item) (Output, error) {
		cancel()
		<-ctx.Done()
		return Output{}, ctx.Err()
	}}
	_, err := Evaluate(ctx, target, testItems(t, 6), RunOptions{Concurrency: 1})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Evaluate error = %v, want context.Canceled", err)
	}
}

func TestSummarizerTarget(t *testing.T) {
	fake := &FakeSummarizer{SummarizeFunc: func(ctx context.Context, req summary.Request) (summary.Result, error) {
		if req.MaxLength != 12 || req.ID != "a" {
			t.Errorf("request = %+v, want id a, maxLength 12", req)
		}
		return summary.Result{Summary: strings.Repeat("word ", 20), Model: "m", Chunks: 1}, nil
	}}
	out, err := NewSummarizerTarget("local", fake, summary.Policy{}).Summarize(context.Background(), testItems(t, 1)[0])
	if err != nil {
		t.Fatalf("Summarize: %v", err)
	}
	if got := summary.CountWords(out.Summary); got > 12 || !out.Truncated || out.Words != 20 || out.Model != "m" {
		t.Errorf("output = %d words (%d produced), truncated %v, model %q; want <= 12 (20), true, m", got, out.Words, out.Truncated, out.Model)
	}
}

func TestLead(t *testing.T) {
	transcript := "[00:00:03] Agent: Thanks for calling Acme, this is Dana.\n" +
		"Speaker 2: Hi, my internet is down again.\n" +
		"00:01 Customer (Maria): It keeps dropping."
	tests := []struct {
		name string
		n    int
		max  int
		want string
	}{
		{"n words", 5, 100, "Thanks for calling Acme, this"},
		{"across turns", 10, 100, "Thanks for calling Acme, this is Dana. Hi, my internet"},
		{"maxLength when n is 0", 0, 3, "Thanks for calling"},
		{"whole transcript", 100, 100, "Thanks for calling Acme, this is Dana. Hi, my internet is down again. It keeps dropping."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Lead{N: tt.n}.Summarize(context.Background(), summary.Request{Transcript: transcript, MaxLength: tt.max})
			if err != nil {
				t.Fatalf("Summarize: %v", err)
			}
			if res.Summary != tt.want {
				t.Errorf("summary = %q, want %q", res.Summary, tt.want)
			}
		})
	}
}
