package api

import (
	"context"
	"mime"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// SummarizeRequest is the body of a summarize call. Its bounds, enums and
// defaults are the domain's (see schema.go); the schema they make is both
// the spec and the validation (request.go).
type SummarizeRequest struct {
	Transcript     string            `json:"transcript,omitempty" minLength:"1" doc:"The call transcript as text, one speaker turn per line (for example 'Agent: ...')." example:"Agent: Thank you for calling Acme, this is Maria. Customer: Hi, I was charged twice for my March bill. Agent: I see the duplicate charge of $49.99 and I will refund it today; you'll get an email confirmation."`
	Turns          []TurnInput       `json:"turns,omitempty" minItems:"1" doc:"The call as a list of speaker turns, in order."`
	Document       map[string]any    `json:"document,omitempty" doc:"The call as the JSON document Amazon Transcribe (batch, with speaker diarization), Transcribe Call Analytics or Amazon Connect Contact Lens wrote, unchanged."`
	DocumentFormat *string           `json:"documentFormat,omitempty" doc:"Which service wrote document; detected from its members when absent."`
	Options        *SummarizeOptions `json:"options,omitempty" doc:"How to summarize; every field has a default."`

	// decoded is the body as strictJSON decoded it, and decodeErr why it
	// did not decode; Resolve validates the one and reports the other.
	decoded   any
	decodeErr error
}

// setDecoded is how strictJSON hands over the body it decoded.
func (r *SummarizeRequest) setDecoded(v any, err error) { r.decoded, r.decodeErr = v, err }

// SummarizeOptions shape the summary.
type SummarizeOptions struct {
	MaxLength    *int     `json:"maxLength,omitempty" doc:"Most words in summary (whitespace-separated tokens; bullet markers do not count). Guaranteed for every summarizer."`
	Format       *string  `json:"format,omitempty" doc:"paragraph, or bullets: one '- ' line per point."`
	Sections     []string `json:"sections,omitempty" uniqueItems:"true" doc:"Extra structured fields to return."`
	IncludeTurns *bool    `json:"includeTurns,omitempty" doc:"Return the call's normalised turns (turns), with the indices key points and action items cite." default:"false"`
}

// Summary is a finished summary, the 200 body of summarize.
type Summary struct {
	ID            string       `json:"id" doc:"The request id (also in the X-Request-Id header)."`
	Summary       string       `json:"summary" doc:"The summary text, within options.maxLength words."`
	Model         string       `json:"model" doc:"The model that wrote it, e.g. a Bedrock model id or local-extractive-v1." example:"local-extractive-v1"`
	PromptVersion string       `json:"promptVersion,omitempty" doc:"Version (a short hash) of the prompt template that produced the summary; absent for the local summarizer." example:"3f9a1c0b7d2e"`
	Usage         Usage        `json:"usage"`
	LatencyMs     int64        `json:"latencyMs" doc:"Time spent in the summarizer, in milliseconds."`
	Truncated     bool         `json:"truncated" doc:"The summarizer's text was cut to maxLength."`
	Chunks        int          `json:"chunks" minimum:"1" doc:"How many pieces a long transcript was summarized in."`
	KeyPoints     []string     `json:"keyPoints,omitzero" doc:"Present when sections has keyPoints."`
	KeyPointTurns [][]int      `json:"keyPointTurns,omitzero" doc:"Present with keyPoints, parallel to it: keyPointTurns[i] lists the indices of the turns (see turns) keyPoints[i] rests on, ascending; empty when the summarizer cited none."`
	ActionItems   []ActionItem `json:"actionItems,omitzero" doc:"Present when sections has actionItems."`
	Sentiment     string       `json:"sentiment,omitempty" doc:"The customer's sentiment; present when sections has sentiment."`
	Resolution    string       `json:"resolution,omitempty" doc:"How the call ended; present when sections has resolution."`
	Turns         []TurnOutput `json:"turns,omitzero" doc:"The call's normalised turns, present when options.includeTurns is true: what the summarizer read (redacted when the service redacts), and what the indices of keyPointTurns and actionItems[].turns name."`
}

// Usage is what a summary cost.
type Usage struct {
	InputTokens      int      `json:"inputTokens" minimum:"0"`
	OutputTokens     int      `json:"outputTokens" minimum:"0"`
	EstimatedCostUSD *float64 `json:"estimatedCostUsd,omitempty" minimum:"0" doc:"Present when the model's price is known."`
}

// ActionItem is a commitment made on the call.
type ActionItem struct {
	Owner       string `json:"owner"`
	Description string `json:"description"`
	Turns       []int  `json:"turns" doc:"The indices of the turns (see Summary.turns) the item rests on, ascending; empty when the summarizer cited none."`
}

// SummarizeInput is the summarize operation's input. The Content-Type is
// checked before the body is read (guard.go).
type SummarizeInput struct {
	Body SummarizeRequest
}

// SummarizeOutput is the summarize operation's output.
type SummarizeOutput struct {
	RequestID string `header:"X-Request-Id" doc:"The request id."`
	Body      Summary
}

// Resolve validates the body decoded once by strictJSON (the operation skips
// huma's own body validation, which would decode it a second time) against
// the schema registered for the operation, and fills in the struct.
func (in *SummarizeInput) Resolve(ctx huma.Context) []error {
	b := &in.Body
	if b.decodeErr != nil {
		return []error{decodeError(b.decodeErr)}
	}
	return rulesOf(ctx).apply(b.decoded, b)
}

// isJSON reports whether a Content-Type names JSON; an absent one is taken
// as JSON, as curl -d sends a form type only when asked.
func isJSON(ct string) bool {
	if ct == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	return mt == "application/json" || (len(mt) > 5 && mt[len(mt)-5:] == "+json")
}

// domainRequest turns a validated body into a summary.Request with
// defaults and the call as normalised turns (callTurns), or says what in
// the call cannot be read.
func domainRequest(id string, b *SummarizeRequest) (summary.Request, error) {
	turns, err := callTurns(b)
	if err != nil {
		return summary.Request{}, err
	}
	// A call sent as turns or a document has no text of its own: a copy
	// as text would hold it twice (summary.Request.Text makes one).
	req := summary.Request{ID: id, Transcript: b.Transcript, Turns: turns, MaxLength: summary.DefaultMaxLength, Format: summary.DefaultFormat}
	if o := b.Options; o != nil {
		if o.MaxLength != nil {
			req.MaxLength = *o.MaxLength
		}
		if o.Format != nil {
			req.Format = summary.Format(*o.Format)
		}
		for _, s := range o.Sections {
			req.Sections = append(req.Sections, summary.Section(s))
		}
	}
	return req, nil
}

func (s *service) summarize(ctx context.Context, in *SummarizeInput) (*SummarizeOutput, error) {
	info := infoFrom(ctx)
	req, err := domainRequest(info.id, &in.Body)
	if err != nil {
		return nil, err
	}
	if err := s.reweigh(info, callBytes(req)); err != nil {
		return nil, err
	}
	start := time.Now()
	res, err := s.summarizer.Summarize(ctx, req)
	llm := time.Since(start)
	info.llm = llm
	if err != nil {
		return nil, s.summarizeError(ctx, err)
	}
	info.model, info.usage = res.Model, res.Usage
	s.noteCitations(ctx, res)
	out := toSummary(req, res, llm)
	if o := in.Body.Options; o != nil && o.IncludeTurns != nil && *o.IncludeTurns {
		out.Turns = turnsOut(req.Turns)
	}
	return &SummarizeOutput{RequestID: info.id, Body: out}, nil
}

// toSummary builds the response body. A section that was asked for is
// always present (an empty list, "neutral", "unknown") and one that was not
// is always absent, whatever the summarizer returned.
func toSummary(req summary.Request, r summary.Result, llm time.Duration) Summary {
	out := Summary{
		ID: req.ID, Summary: r.Summary, Model: r.Model, PromptVersion: r.PromptVersion, LatencyMs: llm.Milliseconds(),
		Truncated: r.Truncated, Chunks: max(r.Chunks, 1),
		Usage:     Usage{InputTokens: r.Usage.InputTokens, OutputTokens: r.Usage.OutputTokens, EstimatedCostUSD: r.Usage.EstimatedCostUSD},
		KeyPoints: r.KeyPoints, Sentiment: string(r.Sentiment), Resolution: string(r.Resolution),
	}
	if req.Wants(summary.SectionActionItems) {
		out.ActionItems = make([]ActionItem, len(r.ActionItems))
		for i, a := range r.ActionItems {
			out.ActionItems[i] = ActionItem{Owner: string(a.Owner), Description: a.Description, Turns: cited(a.Turns)}
		}
	}
	if req.Wants(summary.SectionKeyPoints) {
		out.KeyPointTurns = make([][]int, len(r.KeyPoints))
		for i := range out.KeyPointTurns {
			if i < len(r.KeyPointTurns) {
				out.KeyPointTurns[i] = cited(r.KeyPointTurns[i])
			} else {
				out.KeyPointTurns[i] = []int{}
			}
		}
	}
	switch {
	case !req.Wants(summary.SectionKeyPoints):
		out.KeyPoints = nil
	case out.KeyPoints == nil:
		out.KeyPoints = []string{}
	}
	switch {
	case !req.Wants(summary.SectionSentiment):
		out.Sentiment = ""
	case out.Sentiment == "":
		out.Sentiment = string(summary.SentimentNeutral)
	}
	switch {
	case !req.Wants(summary.SectionResolution):
		out.Resolution = ""
	case out.Resolution == "":
		out.Resolution = string(summary.ResolutionUnknown)
	}
	return out
}
