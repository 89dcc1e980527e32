package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"time"
	"unicode/utf8"

	"github.com/danielgtaylor/huma/v2"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// SummarizeRequest is the body of a summarize call.
type SummarizeRequest struct {
	Transcript string            `json:"transcript" minLength:"1" maxLength:"200000" doc:"The call transcript, one speaker turn per line (for example 'Agent: ...'). At most 200000 characters (Unicode code points)." example:"Agent: Thank you for calling Acme, this is Maria. Customer: Hi, I was charged twice for my March bill. Agent: I see the duplicate charge of $49.99 and I will refund it today; you'll get an email confirmation."`
	Options    *SummarizeOptions `json:"options,omitempty" doc:"How to summarize; every field has a default."`

	// decodeErr is why the body did not decode, set by the strict JSON
	// format: it tells malformed JSON (400) from an invalid field (422)
	// without a second pass over the body.
	decodeErr error
}

func (r *SummarizeRequest) setDecodeError(err error) { r.decodeErr = err }

// malformed reports whether a decode error is one of syntax: a body that is
// not one JSON value, rather than a value with a wrong field.
func malformed(err error) bool {
	var syn *json.SyntaxError
	return errors.As(err, &syn) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, errTrailingData)
}

// SummarizeOptions shape the summary.
type SummarizeOptions struct {
	MaxLength *int     `json:"maxLength,omitempty" minimum:"10" maximum:"1000" default:"150" doc:"Most words in summary (whitespace-separated tokens; bullet markers do not count). Guaranteed for every summarizer."`
	Format    *string  `json:"format,omitempty" enum:"paragraph,bullets" default:"paragraph" doc:"paragraph, or bullets: one '- ' line per point."`
	Sections  []string `json:"sections,omitempty" enum:"keyPoints,actionItems,sentiment,resolution" uniqueItems:"true" maxItems:"4" doc:"Extra structured fields to return."`
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
	ActionItems   []ActionItem `json:"actionItems,omitzero" doc:"Present when sections has actionItems."`
	Sentiment     string       `json:"sentiment,omitempty" enum:"positive,neutral,negative,mixed" doc:"The customer's sentiment; present when sections has sentiment."`
	Resolution    string       `json:"resolution,omitempty" enum:"resolved,unresolved,escalated,unknown" doc:"How the call ended; present when sections has resolution."`
}

// Usage is what a summary cost.
type Usage struct {
	InputTokens      int      `json:"inputTokens" minimum:"0"`
	OutputTokens     int      `json:"outputTokens" minimum:"0"`
	EstimatedCostUSD *float64 `json:"estimatedCostUsd,omitempty" minimum:"0" doc:"Present when the model's price is known."`
}

// ActionItem is a commitment made on the call.
type ActionItem struct {
	Owner       string `json:"owner" enum:"agent,customer,other"`
	Description string `json:"description"`
}

// SummarizeInput is the summarize operation's input.
type SummarizeInput struct {
	ContentType string `header:"Content-Type" hidden:"true"`
	RawBody     []byte
	Body        SummarizeRequest
}

// SummarizeOutput is the summarize operation's output.
type SummarizeOutput struct {
	RequestID string `header:"X-Request-Id" doc:"The request id."`
	Body      Summary
}

// Resolve validates the body decoded once by huma (the operation skips
// huma's own body validation, which would decode it a second time), with the
// same rules the schema states, and reports errors in huma's shape.
func (in *SummarizeInput) Resolve(ctx huma.Context) []error {
	if !isJSON(in.ContentType) {
		return []error{huma.Error415UnsupportedMediaType(fmt.Sprintf("Content-Type %q is not supported: use application/json", in.ContentType))}
	}
	b := &in.Body
	if malformed(b.decodeErr) {
		return []error{huma.Error400BadRequest("malformed JSON body")}
	}
	var errs []error
	detail := func(loc, msg string, v any) {
		errs = append(errs, &huma.ErrorDetail{Location: loc, Message: msg, Value: v})
	}
	switch n := utf8.RuneCountInString(b.Transcript); {
	case n == 0:
		detail("body.transcript", "expected length >= 1", "")
	case n > summary.MaxTranscriptRune:
		detail("body.transcript", fmt.Sprintf("expected length <= %d, got %d characters", summary.MaxTranscriptRune, n), nil)
	}
	if o := b.Options; o != nil {
		if o.MaxLength != nil && (*o.MaxLength < summary.MinMaxLength || *o.MaxLength > summary.MaxMaxLength) {
			detail("body.options.maxLength", fmt.Sprintf("expected number >= %d and <= %d", summary.MinMaxLength, summary.MaxMaxLength), *o.MaxLength)
		}
		if o.Format != nil && *o.Format != string(summary.FormatParagraph) && *o.Format != string(summary.FormatBullets) {
			detail("body.options.format", "expected value to be one of \"paragraph, bullets\"", *o.Format)
		}
		seen := map[string]bool{}
		for i, sec := range o.Sections {
			switch summary.Section(sec) {
			case summary.SectionKeyPoints, summary.SectionActionItems, summary.SectionSentiment, summary.SectionResolution:
			default:
				detail(fmt.Sprintf("body.options.sections[%d]", i), "expected value to be one of \"keyPoints, actionItems, sentiment, resolution\"", sec)
			}
			if seen[sec] {
				detail(fmt.Sprintf("body.options.sections[%d]", i), "expected array items to be unique", sec)
			}
			seen[sec] = true
		}
	}
	return errs
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

// domainRequest turns a validated body into a summary.Request with defaults.
func domainRequest(id string, b *SummarizeRequest) summary.Request {
	req := summary.Request{ID: id, Transcript: b.Transcript, MaxLength: summary.DefaultMaxLength, Format: summary.FormatParagraph}
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
	return req
}

func (s *service) summarize(ctx context.Context, in *SummarizeInput) (*SummarizeOutput, error) {
	info := infoFrom(ctx)
	req := domainRequest(info.id, &in.Body)
	start := time.Now()
	res, err := s.summarizer.Summarize(ctx, req)
	llm := time.Since(start)
	info.llm = llm
	if err != nil {
		return nil, s.summarizeError(ctx, err)
	}
	info.model, info.usage = res.Model, res.Usage
	return &SummarizeOutput{RequestID: info.id, Body: toSummary(req, res, llm)}, nil
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
			out.ActionItems[i] = ActionItem{Owner: string(a.Owner), Description: a.Description}
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
