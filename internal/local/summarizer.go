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

	"github.com/llm-testing/llm-testing/internal/summary"
)

// Model is the model name the local summarizer reports in its results.
const Model = "local-extractive-v1"

// Summarizer is the embedded extractive summarizer. The zero value is ready
// to use and it is safe for concurrent use.
type Summarizer struct{}

var _ summary.Summarizer = (*Summarizer)(nil)

// New returns a local Summarizer.
func New() *Summarizer { return &Summarizer{} }

// Summarize summarizes req.Transcript in the whole sentences that fit in
// req.MaxLength words (the default when it is not positive; one sentence
// when none fits), in req.Format, with the sections asked for. It fails
// only when ctx is done.
func (s *Summarizer) Summarize(ctx context.Context, req summary.Request) (summary.Result, error) {
	if err := ctx.Err(); err != nil {
		return summary.Result{}, summary.ContextError("summarize locally", err)
	}
	format := req.Format
	if format != summary.FormatBullets {
		format = summary.FormatParagraph
	}
	a := read(req)
	if err := ctx.Err(); err != nil {
		return summary.Result{}, summary.ContextError("summarize locally", err)
	}
	text := a.summaryText(req.Limit(), format)
	free := 0.0
	res := summary.Result{
		Summary: text,
		Model:   Model,
		Usage: summary.Usage{
			InputTokens:      summary.EstimateTokens(req.Text()),
			OutputTokens:     summary.EstimateTokens(text),
			EstimatedCostUSD: &free,
		},
		Chunks: 1,
	}
	if req.Wants(summary.SectionKeyPoints) {
		res.KeyPoints = a.keyPoints()
		res.KeyPointTurns = a.pointTurns
	}
	if req.Wants(summary.SectionActionItems) {
		res.ActionItems = actionItems(a.sents, a.lower, a.cues)
	}
	cite(&res, req)
	if req.Wants(summary.SectionSentiment) {
		res.Sentiment = sentiment(a.sents)
	}
	if req.Wants(summary.SectionResolution) {
		res.Resolution = resolution(a.sents, a.cues)
	}
	return res, nil
}

// read analyses the request's turns when it has them, else its text.
func read(req summary.Request) *analysis {
	if req.Turns != nil {
		return analyseSentences(SplitTurns(req.Turns))
	}
	return analyse(req.Transcript)
}

// cite makes the turns key points and action items were extracted from
// indices into the whole call; text that came without turns has none to
// cite.
func cite(res *summary.Result, req summary.Request) {
	shift := func(ids []int) []int {
		if req.Turns == nil {
			return nil
		}
		for k := range ids {
			ids[k] += req.FirstTurn
		}
		return ids
	}
	for i := range res.KeyPointTurns {
		res.KeyPointTurns[i] = shift(res.KeyPointTurns[i])
	}
	if req.Turns == nil {
		res.KeyPointTurns = nil
	}
	for i := range res.ActionItems {
		res.ActionItems[i].Turns = shift(res.ActionItems[i].Turns)
	}
}

// SummarizeStream delivers the summary Summarize writes in pieces of a few
// words.
func (s *Summarizer) SummarizeStream(ctx context.Context, req summary.Request) (summary.Stream, error) {
	return summary.StreamWhole(ctx, req, s.Summarize)
}
