package transcript

import (
	"regexp"
	"strings"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// labelLine matches a line that opens a speaker turn: an optional
// timestamp ("[00:01:23]", "00:01:23 -"), then a label of a few words before
// a colon and a space ("Agent:", "Maria (Agent):", "spk_0:", "Customer 2:").
var labelLine = regexp.MustCompile(`^\s*(?:[\[(]?\d{1,2}(?::\d{2}){1,2}(?:[.,]\d+)?[\])]?\s*[-|–]?\s*)?(\p{L}[\p{L}\p{N} ._'()-]{0,30}?)\s*:(?:\s+|$)`)

// agentWords and customerWords name a side of the call in a label.
var (
	agentWords    = []string{"agent", "rep", "representative", "advisor", "adviser", "operator", "associate", "support", "specialist", "csr", "technician"}
	customerWords = []string{"customer", "caller", "client", "member", "subscriber", "policyholder", "patient"}
)

// maxLabelWords bounds a label; more words before a colon are speech.
const maxLabelWords = 4

// FromText reads a plain-text transcript into turns: a line that starts
// with a label (labelLine) opens a turn, and lines without one continue it;
// text before the first label is a turn with no speaker. A label's role is
// the side a word of it names (agent, customer...; an agent word wins),
// else other; diarized labels then get InferRoles's rule.
func FromText(text string) []summary.Turn {
	var turns []summary.Turn
	for line := range strings.SplitSeq(text, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		if m := labelLine.FindStringSubmatchIndex(line); m != nil && len(strings.Fields(line[m[2]:m[3]])) <= maxLabelWords {
			label := line[m[2]:m[3]]
			turns = append(turns, summary.Turn{Speaker: label, Role: roleOfLabel(label), Text: strings.TrimSpace(line[m[1]:])})
			continue
		}
		if len(turns) == 0 {
			turns = append(turns, summary.Turn{Role: summary.RoleOther})
		}
		t := &turns[len(turns)-1]
		if t.Text != "" {
			t.Text += "\n"
		}
		t.Text += strings.TrimSpace(line)
	}
	out := turns[:0]
	for _, t := range turns {
		if strings.TrimSpace(t.Text) != "" {
			out = append(out, t)
		}
	}
	InferRoles(out)
	return out
}

// roleOfLabel is the side of the call a label's words name.
func roleOfLabel(label string) summary.Role {
	words := strings.FieldsFunc(strings.ToLower(label), func(r rune) bool {
		return !('a' <= r && r <= 'z')
	})
	role := summary.RoleOther
	for _, w := range words {
		for _, a := range agentWords {
			if w == a {
				return summary.RoleAgent
			}
		}
		for _, c := range customerWords {
			if w == c {
				role = summary.RoleCustomer
			}
		}
	}
	return role
}
