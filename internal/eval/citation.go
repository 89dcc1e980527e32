package eval

import (
	"fmt"
	"unicode"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// Citations is how well one summary's citations hold up, by one stated
// rule: a cited turn supports a claim (a key point or an action item) when
// the turn's text holds at least one of the claim's content words, a
// content word being a token of Tokens with 4 or more letters that is not
// in stopWords. A cited index that names no turn of the call supports
// nothing.
type Citations struct {
	// Cited counts the (claim, turn) citations; Supported those whose
	// turn holds a content word of the claim.
	Cited     int `json:"cited"`
	Supported int `json:"supported"`
	// Unsupported lists the citations that failed, as "turn N: claim".
	Unsupported []string `json:"unsupported,omitempty"`
}

// Validity is the share of citations that are supported; 0 when there are
// none (the metric leaves such items out).
func (c Citations) Validity() float64 {
	if c.Cited == 0 {
		return 0
	}
	return float64(c.Supported) / float64(c.Cited)
}

// stopWords are the words of 4+ letters too common in calls to support a
// claim on their own, including the roles' names, which a claim uses and
// a turn rarely does.
var stopWords = map[string]bool{
	"about": true, "after": true, "again": true, "also": true, "been": true, "before": true, "being": true,
	"call": true, "called": true, "calling": true, "caller": true, "could": true, "customer": true, "agent": true,
	"does": true, "done": true, "each": true, "from": true, "have": true, "having": true, "here": true,
	"into": true, "just": true, "like": true, "more": true, "need": true, "needs": true, "only": true,
	"other": true, "over": true, "said": true, "says": true, "should": true, "some": true, "than": true,
	"thank": true, "thanks": true, "that": true, "their": true, "them": true, "then": true, "there": true,
	"these": true, "they": true, "this": true, "those": true, "very": true, "wants": true, "want": true,
	"were": true, "what": true, "when": true, "where": true, "which": true, "while": true, "will": true,
	"with": true, "would": true, "your": true, "yours": true, "okay": true, "today": true,
}

// contentWords are text's content words, as the rule of Citations has them.
func contentWords(text string) map[string]bool {
	out := map[string]bool{}
	for _, w := range Tokens(text) {
		if letters(w) >= 4 && !stopWords[w] {
			out[w] = true
		}
	}
	return out
}

func letters(w string) int {
	n := 0
	for _, r := range w {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

// CheckCitations checks each claim's cited turns against turns, the
// call as the API normalised it.
func CheckCitations(turns []summary.Turn, keyPoints []string, keyPointTurns [][]int, items []summary.ActionItem) Citations {
	var c Citations
	check := func(claim string, ids []int) {
		words := contentWords(claim)
		for _, id := range ids {
			c.Cited++
			if id >= 0 && id < len(turns) && shares(words, turns[id].Text) {
				c.Supported++
			} else {
				c.Unsupported = append(c.Unsupported, fmt.Sprintf("turn %d: %s", id, claim))
			}
		}
	}
	for i, k := range keyPoints {
		if i < len(keyPointTurns) {
			check(k, keyPointTurns[i])
		}
	}
	for _, a := range items {
		check(a.Description, a.Turns)
	}
	return c
}

func shares(words map[string]bool, text string) bool {
	for w := range contentWords(text) {
		if words[w] {
			return true
		}
	}
	return false
}
