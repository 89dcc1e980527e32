package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/danielgtaylor/huma/v2"

	"github.com/llm-testing/llm-testing/internal/summary"
	"github.com/llm-testing/llm-testing/internal/transcript"
)

// TurnInput is one speaker turn of a call sent as turns.
type TurnInput struct {
	Speaker string  `json:"speaker" minLength:"1" maxLength:"100" doc:"Who spoke, as the caller names them (a name, 'Agent', 'spk_0')."`
	Role    *string `json:"role,omitempty" doc:"The speaker's side of the call; other when absent. The service never guesses it for a turn sent this way."`
	Text    string  `json:"text" minLength:"1" doc:"What was said."`
	StartMs *int64  `json:"startMs,omitempty" minimum:"0" doc:"When the turn starts, in milliseconds from the start of the call."`
	EndMs   *int64  `json:"endMs,omitempty" minimum:"0" doc:"When the turn ends, in milliseconds from the start of the call."`
}

// TurnOutput is one normalised turn of a call, as returned with
// options.includeTurns.
type TurnOutput struct {
	Index   int    `json:"index" minimum:"0" doc:"The turn's index: what keyPointTurns and actionItems[].turns name."`
	Speaker string `json:"speaker" doc:"The speaker's label from the source; empty when it had none."`
	Role    string `json:"role"`
	Text    string `json:"text"`
	StartMs *int64 `json:"startMs,omitempty" minimum:"0" doc:"Present when the source timed the turn."`
	EndMs   *int64 `json:"endMs,omitempty" minimum:"0"`
}

// callTurns normalises the one form of the call the body holds (the schema
// lets through exactly one): text with transcript.FromText, turns as given
// (a missing role is other), a document with transcript.Parse. A document
// that cannot be read, or spoken text past summary.MaxTranscriptRune, is a
// 422 at its location.
func callTurns(b *SummarizeRequest) ([]summary.Turn, error) {
	var turns []summary.Turn
	where := "body.transcript"
	if b.DocumentFormat != nil && b.Document == nil {
		return nil, invalid("body.documentFormat", "documentFormat says what wrote document, and the body has no document")
	}
	switch {
	case b.Turns != nil:
		where = "body.turns"
		turns = make([]summary.Turn, len(b.Turns))
		for i, t := range b.Turns {
			role := ""
			if t.Role != nil {
				role = *t.Role
			}
			var err error
			if turns[i], err = transcript.Given(t.Speaker, role, t.Text, t.StartMs, t.EndMs); err != nil {
				return nil, invalid(fmt.Sprintf("%s[%d].endMs", where, i), err.Error())
			}
		}
	case b.Document != nil:
		where = "body.document"
		var format transcript.Format
		if b.DocumentFormat != nil {
			format = transcript.Format(*b.DocumentFormat)
		}
		var err error
		if turns, _, err = transcript.Parse(b.Document, format); err != nil {
			var e *transcript.Error
			if errors.As(err, &e) && e.Path != "" {
				return nil, invalid(where+"."+e.Path, e.Message)
			}
			return nil, invalid(where, err.Error())
		}
	default:
		// Plain text is read by transcript.FromText, the one text parser;
		// text in which it finds no words stays text (nil turns). The
		// schema holds its length, and the turns' text is part of it: not
		// counted again.
		return transcript.FromText(b.Transcript), nil
	}
	if n := summary.SpokenRunes(turns); n > summary.MaxTranscriptRune {
		return nil, invalid(where, fmt.Sprintf("the call's spoken text has %d characters; at most %d are accepted", n, summary.MaxTranscriptRune))
	}
	return turns, nil
}

// invalid is a 422 with one error at location.
func invalid(location, message string) error {
	return huma.Error422UnprocessableEntity(validationFailed, &huma.ErrorDetail{Location: location, Message: message})
}

// turnsOut renders the normalised turns for the response.
func turnsOut(turns []summary.Turn) []TurnOutput {
	out := make([]TurnOutput, len(turns))
	for i, t := range turns {
		out[i] = TurnOutput{Index: i, Speaker: t.Speaker, Role: string(t.Role), Text: t.Text}
		if t.Timed {
			out[i].StartMs, out[i].EndMs = ptr(t.StartMs), ptr(t.EndMs)
		}
	}
	return out
}

// cited is a claim's turn indices for the response: never null.
func cited(ids []int) []int {
	if ids == nil {
		return []int{}
	}
	return ids
}

// noteCitations logs and counts (InvalidCitations) the turn ids the
// summarizer cited that named no turn; the pipeline has dropped them.
func (s *service) noteCitations(ctx context.Context, r summary.Result) {
	if r.DroppedCitations == 0 {
		return
	}
	ri := infoFrom(ctx)
	ri.droppedCitations = r.DroppedCitations
	s.log.WarnContext(ctx, "summarizer cited turns the call does not have; dropped",
		slog.String("requestId", ri.id), slog.String("model", r.Model), slog.Int("dropped", r.DroppedCitations))
}
