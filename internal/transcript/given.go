package transcript

import (
	"errors"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// ErrEndsBeforeStart is a given turn whose end time is before its start.
var ErrEndsBeforeStart = errors.New("the turn ends before it starts")

// Given is a turn a caller sends as it is (the API's turns, an eval item's):
// its role as given, other when there is none, never guessed; its times
// only when both are given, and then the end not before the start.
func Given(speaker, role, text string, startMs, endMs *int64) (summary.Turn, error) {
	t := summary.Turn{Speaker: speaker, Role: summary.RoleOther, Text: text}
	if role != "" {
		t.Role = summary.Role(role)
	}
	if startMs != nil && endMs != nil {
		if *endMs < *startMs {
			return t, ErrEndsBeforeStart
		}
		t.StartMs, t.EndMs, t.Timed = *startMs, *endMs, true
	}
	return t, nil
}
