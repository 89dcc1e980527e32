package eval

import (
	"fmt"
	"unicode/utf8"

	"github.com/llm-testing/llm-testing/internal/summary"
	"github.com/llm-testing/llm-testing/internal/transcript"
)

// Turn is one speaker turn of an item sent as turns, as the API's
// TurnInput.
type Turn struct {
	Speaker string `json:"speaker"`
	Role    string `json:"role,omitempty"`
	Text    string `json:"text"`
	StartMs *int64 `json:"startMs,omitempty"`
	EndMs   *int64 `json:"endMs,omitempty"`
}

// CallTurns is the item's call as normalised turns, made as the API makes
// them (internal/transcript); nil for a document that cannot be read,
// which Validate reports.
func (it Item) CallTurns() []summary.Turn {
	turns, _ := it.callTurns()
	return turns
}

func (it Item) callTurns() ([]summary.Turn, error) {
	switch {
	case it.Turns != nil:
		out := make([]summary.Turn, len(it.Turns))
		for i, t := range it.Turns {
			var err error
			if out[i], err = transcript.Given(t.Speaker, t.Role, t.Text, t.StartMs, t.EndMs); err != nil {
				return nil, fmt.Errorf("turn %d: %w", i, err)
			}
		}
		return out, nil
	case it.Document != nil:
		turns, _, err := transcript.Parse(it.Document, "")
		return turns, err
	}
	// Plain text is read as the API reads it (api/call.go): text in which
	// transcript.FromText finds no words stays text (nil turns).
	return transcript.FromText(it.Transcript), nil
}

// validCall checks the item holds exactly one form of call, readable, with
// 1..summary.MaxTranscriptRune characters of spoken text.
func (it Item) validCall() error {
	forms := 0
	for _, has := range []bool{it.Transcript != "", it.Turns != nil, it.Document != nil} {
		if has {
			forms++
		}
	}
	if forms != 1 {
		return fmt.Errorf("holds %d of transcript, turns and document, want exactly one", forms)
	}
	turns, err := it.callTurns()
	if err != nil {
		return fmt.Errorf("read the call: %w", err)
	}
	n := summary.SpokenRunes(turns)
	if it.Transcript != "" {
		n = utf8.RuneCountInString(it.Transcript)
	}
	if n == 0 || n > summary.MaxTranscriptRune {
		return fmt.Errorf("call has %d characters of spoken text, want 1..%d", n, summary.MaxTranscriptRune)
	}
	return nil
}
