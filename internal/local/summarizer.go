// Package local is the embedded extractive summarizer: the offline default
// of llm-testing, deterministic and pure Go. It reads a call transcript into
// sentences (Split), scores them by TF-IDF cosine similarity to the
// document centroid, in time linear in the transcript, with boosts for what
// matters on a support call, and quotes the best ones that fit the word
// budget in transcript order. Its sections come from honest heuristics:
// commitment phrases for action items, a lexicon with negation over the
// customer's turns for sentiment, and cue phrases in the closing turns for
// the resolution.
package local

import (
	"context"
	"errors"
	"fmt"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// Model is the model name the local summarizer reports in its results.
const Model = "local-extractive-v1"

// Summarizer is the embedded extractive summarizer. The zero value is ready
// to use and it is safe for concurrent use.
type Summarizer struct{}

var (
	_ summary.Summarizer = (*Summarizer)(nil)
	_ summary.Streamer   = (*Summarizer)(nil)
)

// New returns a local Summarizer.
func New() *Summarizer { return &Summarizer{} }

// Summarize summarizes req.Transcript within req.MaxLength words (the
// default when it is not positive), in req.Format, with the sections asked
// for. It fails only when ctx is done.
func (s *Summarizer) Summarize(ctx context.Context, req summary.Request) (summary.Result, error) {
	if err := ctx.Err(); err != nil {
		return summary.Result{}, ctxError(err)
	}
	maxWords := req.MaxLength
	if maxWords <= 0 {
		maxWords = summary.DefaultMaxLength
	}
	format := req.Format
	if format != summary.FormatBullets {
		format = summary.FormatParagraph
	}
	a := analyse(req.Transcript)
	if err := ctx.Err(); err != nil {
		return summary.Result{}, ctxError(err)
	}
	text, truncated := a.summaryText(maxWords, format)
	free := 0.0
	res := summary.Result{
		Summary: text,
		Model:   Model,
		Usage: summary.Usage{
			InputTokens:      summary.EstimateTokens(req.Transcript),
			OutputTokens:     summary.EstimateTokens(text),
			EstimatedCostUSD: &free,
		},
		Truncated: truncated,
		Chunks:    1,
	}
	if req.Wants(summary.SectionKeyPoints) {
		res.KeyPoints = a.keyPoints()
	}
	if req.Wants(summary.SectionActionItems) {
		res.ActionItems = actionItems(a.sents, a.lower, a.cues)
	}
	if req.Wants(summary.SectionSentiment) {
		res.Sentiment = sentiment(a.sents)
	}
	if req.Wants(summary.SectionResolution) {
		res.Resolution = resolution(a.sents, a.cues)
	}
	return res, nil
}

// ctxError wraps the error of a done context with the Kind the API answers
// it with.
func ctxError(err error) error {
	kind := summary.KindCanceled
	if errors.Is(err, context.DeadlineExceeded) {
		kind = summary.KindTimeout
	}
	return &summary.Error{Kind: kind, Err: fmt.Errorf("summarize locally: %w", err)}
}
