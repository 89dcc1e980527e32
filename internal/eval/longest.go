package eval

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// Longest is the longest-turns baseline: a summarizer that returns the
// transcript's longest lines (speaker labels and timestamps removed, as
// Lead removes them), longest first until they hold the request's
// maxLength words, put back in transcript order. The pipeline cuts what
// overruns. It stands for "whoever talked most said what matters", which a
// summarizer that reads the call should beat.
type Longest struct{}

var _ summary.Summarizer = Longest{}

// Summarize returns the longest lines of the transcript.
func (Longest) Summarize(ctx context.Context, req summary.Request) (summary.Result, error) {
	if err := ctx.Err(); err != nil {
		return summary.Result{}, summary.ContextError("longest-turns baseline", err)
	}
	type line struct {
		at    int
		text  string
		words int
	}
	var lines []line
	for l := range strings.SplitSeq(req.Text(), "\n") {
		text := strings.Join(strings.Fields(speakerLabel.ReplaceAllString(l, "")), " ")
		if text != "" {
			lines = append(lines, line{at: len(lines), text: text, words: summary.CountWords(text)})
		}
	}
	// Longest first, earlier first on a tie, so the output is deterministic.
	slices.SortStableFunc(lines, func(a, b line) int { return cmp.Compare(b.words, a.words) })
	taken, words := 0, 0
	for taken < len(lines) && words < req.Limit() {
		words += lines[taken].words
		taken++
	}
	picked := lines[:taken]
	slices.SortFunc(picked, func(a, b line) int { return cmp.Compare(a.at, b.at) })
	texts := make([]string, len(picked))
	for i, l := range picked {
		texts[i] = l.text
	}
	// No model runs, so there is no usage to report.
	return summary.Result{Summary: strings.Join(texts, " "), Model: "longest-turns", Chunks: 1}, nil
}

// SummarizeStream streams the longest lines.
func (l Longest) SummarizeStream(ctx context.Context, req summary.Request) (summary.Stream, error) {
	return summary.StreamWhole(ctx, req, l.Summarize)
}
