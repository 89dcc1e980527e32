package prompt

import (
	_ "embed"
	"fmt"
	"sync"
)

// The placeholders of a summary prompt.
const (
	// Transcript is the data slot of the call, in the user part.
	Transcript = "transcript"
	// MaxLength is the word limit, a number.
	MaxLength = "maxLength"
	// Format describes the requested format in words.
	Format = "format"
	// Sections lists the structured sections asked for, or "none".
	Sections = "sections"
	// Answer says how to answer: by the tool call, or as plain text when
	// the answer is streamed.
	Answer = "answer"
)

// SummarySpec is what a summary prompt (PROMPT_FILE) may contain: a system
// and a user part, the value placeholders above, and the transcript slot.
var SummarySpec = Spec{
	Parts:  []string{"system", "user"},
	Values: []string{MaxLength, Format, Sections, Answer},
	Data:   []string{Transcript},
}

//go:embed summary.txt
var defaultSummary string

// DefaultSummary is the embedded summary prompt, used when PROMPT_FILE is
// not set.
var DefaultSummary = sync.OnceValue(func() *Template {
	t, err := Parse(defaultSummary, SummarySpec)
	if err != nil {
		panic(fmt.Sprintf("embedded summary prompt: %v", err)) // a build defect, caught by tests
	}
	return t
})

// LoadSummary reads and validates a summary prompt file.
func LoadSummary(path string) (*Template, error) { return Load(path, SummarySpec) }
