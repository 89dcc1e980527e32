package eval

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// Target is something that summarizes an evaluation item: an in-process
// summarizer, a Bedrock model, or a deployed service.
type Target interface {
	// Name identifies the target in reports, for example "local" or
	// "bedrock:<model-id>".
	Name() string
	// Summarize returns the summary of one item.
	Summarize(ctx context.Context, it Item) (Output, error)
}

// Output is what a target returned for one item.
type Output struct {
	Summary string
	// Words is how many words the target produced before the service's
	// maxLength limit held it (summary.Result.ProducedWords): compliance is
	// measured on it, so that the guarantee cannot hide a provider that
	// overruns. 0 when unknown, as for a deployed service, whose limit is
	// part of the target: then the summary's own words count.
	Words int
	Model string
	// Usage is the zero Usage when the target reported none.
	Usage     summary.Usage
	Latency   time.Duration
	Truncated bool
	Chunks    int
	// PromptVersion names the prompt template behind the summary, when the
	// target has one (summary.Result.PromptVersion).
	PromptVersion string
	// ActionItems and Resolution are the structured sections the item asked
	// for, which the judge checks against the call.
	ActionItems []summary.ActionItem
	Resolution  summary.Resolution
	// KeyPoints and KeyPointTurns are the key points and the turns each
	// cites (summary.Result), which CheckCitations checks.
	KeyPoints     []string
	KeyPointTurns [][]int
	// Cached is true when the answer came from the cache, not the target.
	Cached bool
}

// SummarizerTarget runs a provider in process inside the service's pipeline
// (summary.NewPipeline), so its summaries are those the deployed service
// would give, and its compliance that of the provider.
type SummarizerTarget struct {
	name string
	s    summary.Summarizer
}

var _ Target = (*SummarizerTarget)(nil)

// NewSummarizerTarget runs provider p, inside the pipeline pol describes, as
// a target called name.
func NewSummarizerTarget(name string, p summary.Summarizer, pol summary.Policy) *SummarizerTarget {
	return &SummarizerTarget{name: name, s: summary.NewPipeline(p, pol)}
}

// Name returns the target's name.
func (t *SummarizerTarget) Name() string { return t.name }

// Summarize runs the pipeline on the item's request and times it.
func (t *SummarizerTarget) Summarize(ctx context.Context, it Item) (Output, error) {
	start := time.Now()
	res, err := t.s.Summarize(ctx, it.Request())
	latency := time.Since(start)
	if err != nil {
		return Output{}, fmt.Errorf("summarize %s: %w", it.ID, err)
	}
	return Output{
		Summary:   res.Summary,
		Words:     res.ProducedWords,
		Model:     res.Model,
		Usage:     res.Usage,
		Latency:   latency,
		Truncated: res.Truncated,
		Chunks:    res.Chunks,

		PromptVersion: res.PromptVersion,
		ActionItems:   res.ActionItems,
		Resolution:    res.Resolution,
		KeyPoints:     res.KeyPoints,
		KeyPointTurns: res.KeyPointTurns,
	}, nil
}

// Lead is the lead-N baseline: a summarizer that returns the transcript's
// first N words, speaker labels and timestamps removed; an N over the
// request's maxLength overruns it, as a careless provider would. Any useful
// summarizer should beat it.
type Lead struct {
	// N is how many words to keep; 0 keeps the request's MaxLength.
	N int
}

var _ summary.Summarizer = Lead{}

// speakerLabel matches what opens a transcript turn: an optional timestamp,
// then a short name and a colon ("Agent:", "Speaker 2:", "[00:01:07] Maria:").
var speakerLabel = regexp.MustCompile(`^\s*(?:[\[(]?\d{1,2}:\d{2}(?::\d{2})?[\])]?\s*)?(?:[A-Za-z][\w.'-]*(?:\s+[\w.'()-]+){0,2}\s*:)?`)

// Summarize returns the first words of the transcript.
func (l Lead) Summarize(ctx context.Context, req summary.Request) (summary.Result, error) {
	if err := ctx.Err(); err != nil {
		return summary.Result{}, summary.ContextError("lead baseline", err)
	}
	n := l.N
	if n <= 0 {
		n = req.MaxLength
	}
	var words []string
	for line := range strings.SplitSeq(req.Text(), "\n") {
		line = speakerLabel.ReplaceAllString(line, "")
		for _, w := range strings.Fields(line) {
			if len(words) == n {
				break
			}
			words = append(words, w)
		}
		if len(words) == n {
			break
		}
	}
	text := strings.Join(words, " ")
	// No model runs, so there is no usage to report.
	return summary.Result{Summary: text, Model: fmt.Sprintf("lead-%d", n), Chunks: 1}, nil
}

// SummarizeStream streams the first words.
func (l Lead) SummarizeStream(ctx context.Context, req summary.Request) (summary.Stream, error) {
	return summary.StreamWhole(ctx, req, l.Summarize)
}
