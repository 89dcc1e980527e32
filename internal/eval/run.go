package eval

import (
	"context"
	"sync"
	"time"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// Scores are the quality measures of one summary.
type Scores struct {
	Rouge1 Rouge `json:"rouge1"`
	Rouge2 Rouge `json:"rouge2"`
	RougeL Rouge `json:"rougeL"`
	// FactRecall is the share of required facts the summary states.
	FactRecall float64 `json:"factRecall"`
	FactsFound int     `json:"factsFound"`
	FactsTotal int     `json:"factsTotal"`
	// Facts are the first wording of each must fact, in order; MissedFacts
	// those the summary does not contain.
	Facts       []string `json:"facts,omitempty"`
	MissedFacts []string `json:"missedFacts,omitempty"`
	// Forbidden lists the forbidden phrases the summary contains.
	Forbidden []string `json:"forbidden,omitempty"`
	// Words is the summary's length as the API counts it, as the target
	// produced it: before the service's maxLength limit.
	Words     int `json:"words"`
	MaxLength int `json:"maxLength"`
	// Compliant is true when Words is within MaxLength.
	Compliant bool `json:"compliant"`
	// NoReference is true for an item without a reference: its ROUGE
	// scores are zero and left out of every mean and comparison.
	NoReference bool `json:"noReference,omitempty"`
}

// Score measures text as a summary of it. produced is how many words the
// target wrote before any limit cut them (Output.Words); text is never
// measured as shorter than it is.
func Score(it Item, text string, produced int) Scores {
	found, recall, missed := FactRecall(text, it.Must)
	words := max(produced, summary.CountWords(text))
	return Scores{
		Rouge1:      RougeN(it.Reference, text, 1),
		Rouge2:      RougeN(it.Reference, text, 2),
		RougeL:      RougeL(it.Reference, text),
		FactRecall:  recall,
		FactsFound:  found,
		FactsTotal:  len(it.Must),
		Facts:       firstWordings(it.Must),
		MissedFacts: missed,
		Forbidden:   ForbiddenHits(text, it.MustNot),
		Words:       words,
		MaxLength:   it.MaxLength(),
		Compliant:   words <= it.MaxLength(),
		NoReference: it.Reference == "",
	}
}

// ItemResult is one item's outcome on one target.
type ItemResult struct {
	ID        string  `json:"id"`
	Summary   string  `json:"summary"`
	Model     string  `json:"model,omitempty"`
	Error     string  `json:"error,omitempty"`
	Scores    Scores  `json:"scores"`
	LatencyMs float64 `json:"latencyMs"`
	// InputTokens and OutputTokens are nil when the target reported no
	// usage (a baseline runs no model).
	InputTokens  *int     `json:"inputTokens,omitempty"`
	OutputTokens *int     `json:"outputTokens,omitempty"`
	CostUSD      *float64 `json:"estimatedCostUsd,omitempty"`
	Truncated    bool     `json:"truncated"`
	Chunks       int      `json:"chunks,omitempty"`
	// PromptVersion names the prompt template behind the summary.
	PromptVersion string               `json:"promptVersion,omitempty"`
	ActionItems   []summary.ActionItem `json:"actionItems,omitempty"`
	Resolution    summary.Resolution   `json:"resolution,omitempty"`
	// Cached is true when the summary came from the cache.
	Cached bool `json:"cached,omitempty"`
	// Citations checks the turns the summary's key points and action
	// items cite (CheckCitations); nil when it cites none.
	Citations *Citations `json:"citations,omitempty"`
	// Judge is the judge's grade, when a judge ran and the target answered.
	Judge *JudgeResult `json:"judge,omitempty"`
}

// Failed reports whether the target returned an error for the item.
func (r ItemResult) Failed() bool { return r.Error != "" }

// Run is one target's results on a set.
type Run struct {
	Target string `json:"target"`
	// PromptVersion is the prompt version of the run's summaries (the
	// first one given; a target has one prompt).
	PromptVersion string    `json:"promptVersion,omitempty"`
	Aggregate     Aggregate `json:"aggregate"`
	// Intervals are 95% bootstrap intervals of the per-item means, by
	// metric name (as in Aggregate.Value).
	Intervals map[string][2]float64 `json:"intervals,omitempty"`
	Items     []ItemResult          `json:"items"`
}

// RunOptions tune Evaluate.
type RunOptions struct {
	// Concurrency is how many items are in flight at once (at least 1).
	Concurrency int
	// Timeout bounds each item; 0 leaves it to the target.
	Timeout time.Duration
	// Progress, when set, is called after each item with the count done;
	// calls are serialized.
	Progress func(done, total int)
	// Judge, when set, grades every summary the target gave.
	Judge Judge
}

// Evaluate runs every item through t, at most opts.Concurrency at a time, and
// scores the summaries. A failed item is recorded with its error and zero
// scores; Evaluate itself fails only through ctx, whose error it returns with
// the results so far.
func Evaluate(ctx context.Context, t Target, items []Item, opts RunOptions) (Run, error) {
	n := max(opts.Concurrency, 1)
	results := make([]ItemResult, len(items))
	next := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for range min(n, len(items)) {
		wg.Go(func() {
			for i := range next {
				results[i] = evaluateOne(ctx, t, items[i], opts)
				if opts.Progress != nil {
					mu.Lock()
					done++
					opts.Progress(done, len(items))
					mu.Unlock()
				}
			}
		})
	}
	var err error
feed:
	for i := range items {
		select {
		case next <- i:
		case <-ctx.Done():
			err = ctx.Err()
			break feed
		}
	}
	close(next)
	wg.Wait()
	run := Run{Target: t.Name(), Items: results}
	if err != nil {
		return run, err
	}
	for _, r := range results {
		if r.PromptVersion != "" {
			run.PromptVersion = r.PromptVersion
			break
		}
	}
	run.Aggregate = AggregateOf(results)
	run.Intervals = Intervals(results)
	return run, nil
}

// evaluateOne summarizes and scores one item, and has the judge grade it;
// the time limit covers both.
func evaluateOne(ctx context.Context, t Target, it Item, opts RunOptions) ItemResult {
	if opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.Timeout)
		defer cancel()
	}
	out, err := t.Summarize(ctx, it)
	if err != nil {
		r := ItemResult{ID: it.ID, Error: err.Error(), Scores: failedScores(it)}
		if opts.Judge != nil {
			r.Judge = failedGrade(it)
		}
		return r
	}
	r := ItemResult{
		ID:        it.ID,
		Summary:   out.Summary,
		Model:     out.Model,
		Scores:    Score(it, out.Summary, out.Words),
		LatencyMs: float64(out.Latency.Microseconds()) / 1000,
		CostUSD:   out.Usage.EstimatedCostUSD,
		Truncated: out.Truncated,
		Chunks:    out.Chunks,

		PromptVersion: out.PromptVersion,
		ActionItems:   out.ActionItems,
		Resolution:    out.Resolution,
		Cached:        out.Cached,
	}
	if c := CheckCitations(it.CallTurns(), out.KeyPoints, out.KeyPointTurns, out.ActionItems); c.Cited > 0 {
		r.Citations = &c
	}
	if out.Usage.Reported() {
		r.InputTokens, r.OutputTokens = &out.Usage.InputTokens, &out.Usage.OutputTokens
	}
	if opts.Judge != nil {
		r.Judge = judgeOne(ctx, opts.Judge, it, out)
	}
	return r
}

// failedScores are the scores of an item whose summary never arrived: the
// worst on every quality metric, so that a target cannot gain by failing
// (zero ROUGE and fact recall, even with no required facts; not compliant;
// every forbidden phrase counted as said).
func failedScores(it Item) Scores {
	s := Score(it, "", 0)
	s.FactRecall, s.FactsFound = 0, 0
	s.Compliant = false
	s.Forbidden = append([]string(nil), it.MustNot...)
	return s
}

func firstWordings(must [][]string) []string {
	var out []string
	for _, f := range must {
		if len(f) > 0 {
			out = append(out, f[0])
		}
	}
	return out
}
