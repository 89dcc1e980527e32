// Package summary holds the domain of llm-testing: what a summary request and
// result are, the Summarizer interface every provider implements, and the
// pipeline (NewPipeline) that adds what the service guarantees whatever the
// provider: the time budget, PII redaction, chunking of long transcripts, the
// output format and the maxLength word limit. It knows nothing of HTTP or AWS.
package summary

import (
	"context"
	"io"
)

// Format is how the summary text is laid out.
type Format string

// The formats a caller may ask for.
const (
	FormatParagraph Format = "paragraph"
	FormatBullets   Format = "bullets"
)

// Section names an optional structured field of a Result.
type Section string

// The sections a caller may ask for.
const (
	SectionKeyPoints   Section = "keyPoints"
	SectionActionItems Section = "actionItems"
	SectionSentiment   Section = "sentiment"
	SectionResolution  Section = "resolution"
)

// Bounds and defaults of a Request, shared by the API and every adapter.
const (
	MinMaxLength      = 10
	MaxMaxLength      = 1000
	DefaultMaxLength  = 150
	MaxTranscriptRune = 200000
)

// Owner says who committed to an ActionItem.
type Owner string

// The owners of an action item.
const (
	OwnerAgent    Owner = "agent"
	OwnerCustomer Owner = "customer"
	OwnerOther    Owner = "other"
)

// Sentiment is the customer's overall mood on the call.
type Sentiment string

// The sentiments a Result may carry.
const (
	SentimentPositive Sentiment = "positive"
	SentimentNeutral  Sentiment = "neutral"
	SentimentNegative Sentiment = "negative"
	SentimentMixed    Sentiment = "mixed"
)

// Resolution is how the call ended for the customer's issue.
type Resolution string

// The resolutions a Result may carry.
const (
	ResolutionResolved   Resolution = "resolved"
	ResolutionUnresolved Resolution = "unresolved"
	ResolutionEscalated  Resolution = "escalated"
	ResolutionUnknown    Resolution = "unknown"
)

// Request is one transcript to summarize, already validated by the caller.
type Request struct {
	// ID identifies the request in logs and in the result.
	ID string
	// Transcript is the call as text, as sent. When Turns is set it is
	// the text they were read from or empty (a call sent as turns or a
	// document, a chunk of a long call, a call past the redactor, which
	// redacts the turns alone); a provider then reads Turns, or Text.
	Transcript string
	// Turns is the call as normalised turns (internal/transcript makes
	// them from every form of input); when set it is what providers read,
	// and the indices they cite are FirstTurn plus an index into it.
	Turns []Turn
	// FirstTurn is the index in the whole call of Turns[0]: 0 but for a
	// chunk of a long call.
	FirstTurn int
	// MaxLength is the most words the summary may have.
	MaxLength int
	// Format is paragraph or bullets.
	Format Format
	// Sections lists the structured fields to fill.
	Sections []Section
}

// Text is the call as text: Transcript, or when the call has turns and no
// transcript, PlainTranscript of them (a copy, for a reader that takes text).
func (r Request) Text() string {
	if r.Transcript == "" && r.Turns != nil {
		return PlainTranscript(r.Turns)
	}
	return r.Transcript
}

// Wants reports whether the request asks for section s.
func (r Request) Wants(s Section) bool {
	for _, x := range r.Sections {
		if x == s {
			return true
		}
	}
	return false
}

// ActionItem is a commitment made on the call.
type ActionItem struct {
	Owner       Owner
	Description string
	// Turns are the indices of the turns the item rests on (see
	// Request.Turns), ascending.
	Turns []int
}

// Usage is what a summary cost. The zero Usage means the provider reported
// none: no model ran (a baseline), so there is nothing to count.
type Usage struct {
	InputTokens  int
	OutputTokens int
	// EstimatedCostUSD is nil when the model's price is not known.
	EstimatedCostUSD *float64
}

// Reported reports whether the provider counted any tokens. Every model reads
// its input, so a reported usage has input tokens.
func (u Usage) Reported() bool { return u.InputTokens > 0 || u.OutputTokens > 0 }

// Add returns the sum of two usages; the cost is known only when both are.
func (u Usage) Add(v Usage) Usage {
	out := Usage{InputTokens: u.InputTokens + v.InputTokens, OutputTokens: u.OutputTokens + v.OutputTokens}
	if u.EstimatedCostUSD != nil && v.EstimatedCostUSD != nil {
		c := *u.EstimatedCostUSD + *v.EstimatedCostUSD
		out.EstimatedCostUSD = &c
	}
	return out
}

// Result is a finished summary.
type Result struct {
	Summary string
	Model   string
	// PromptVersion is the version of the prompt template that produced the
	// summary (prompt.Template.Version), empty for a provider with none.
	PromptVersion string
	Usage         Usage
	// Truncated is true when the pipeline cut the provider's text to
	// MaxLength. Providers leave it alone.
	Truncated bool
	// ProducedWords is how many words (CountWords) the provider wrote before
	// the pipeline held its text to MaxLength, so that an evaluation measures
	// the provider and not the guarantee. The pipeline sets it.
	ProducedWords int
	// Chunks is how many pieces the transcript was summarized in (at least 1).
	Chunks int

	KeyPoints []string
	// KeyPointTurns parallels KeyPoints: the indices of the turns each key
	// point rests on (nil where none is cited).
	KeyPointTurns [][]int
	ActionItems   []ActionItem
	// DroppedCitations counts the turn indices a provider cited that name no
	// turn of the request; the pipeline drops them (Grounded).
	DroppedCitations int
	Sentiment        Sentiment
	Resolution       Resolution
}

// Summarizer turns a transcript into a summary, whole or streamed. Providers
// (internal/local, internal/bedrock) implement it and return what they
// produced; NewPipeline wraps one with the service's guarantees. A provider
// that cannot stream implements SummarizeStream with StreamWhole.
// Implementations must be safe for concurrent use and honour ctx
// cancellation.
type Summarizer interface {
	Summarize(ctx context.Context, req Request) (Result, error)
	Streamer
}

// Streamer is the streaming half of a Summarizer. SummarizeStream returns an
// error, and no Stream, for anything that fails before the first text, so
// the caller can still answer with a plain status.
type Streamer interface {
	SummarizeStream(ctx context.Context, req Request) (Stream, error)
}

// Stream yields summary text in pieces.
type Stream interface {
	// Recv returns the next piece of text, or io.EOF once the summary is
	// complete, or another error if the summarizer failed midway. A Recv
	// that waits returns (with an error) once the context the stream was
	// made with ends: the API reads a stream without a second goroutine.
	Recv() (string, error)
	// Result returns the finished result (Summary is empty; text came through
	// Recv) once Recv has returned io.EOF.
	Result() Result
	// Close releases the stream; it is safe to call more than once.
	Close() error
}

// EOF is returned by Stream.Recv at the end of the text.
var EOF = io.EOF
