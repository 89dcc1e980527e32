package local

import (
	"strings"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// A long sentence has a shorter version a tight budget may quote instead:
// its head, the main clause before ", but", ", and", ", so" or "because"
// ("I'm booked to Denver on Friday, but I have a family emergency" heads
// as "I'm booked to Denver on Friday."). The head is worth the square root
// of its share of the sentence's words, a main clause carrying more than
// its share, so the knapsack takes it when the words it saves buy more
// elsewhere.

// minHeadWords is the fewest words a head has; a sentence of fewer than
// minHeadWords+minTailWords words has none.
const (
	minHeadWords = 5
	minTailWords = 4
)

// clauseCuts are where a head ends, the cut before the phrase.
var clauseCuts = []string{", but ", ", and ", ", so ", " because ", ", because ", ", which ", "; "}

// head is sentence i's head clause in summary voice and its words, or ok
// false when it has none. Like quote it is rendered once.
func (a *analysis) head(i int) (text string, n int, ok bool) {
	if h, seen := a.heads[i]; seen {
		return h.text, h.n, h.n > 0
	}
	if a.heads == nil {
		a.heads = map[int]headQuote{}
	}
	var h headQuote
	if cut := headCut(a.sents[i].Text, a.lower[i]); cut > 0 {
		s := a.sents[i]
		s.Text = strings.TrimRight(s.Text[:cut], ",;") + "."
		h.text = render(s, strings.ToLower(s.Text))
		h.n = summary.CountWords(h.text)
		if _, full := a.quote(i); h.n >= full {
			h = headQuote{}
		}
	}
	a.heads[i] = h
	return h.text, h.n, h.n > 0
}

// headFits reports whether sentence i has a head of at most budget words.
func (a *analysis) headFits(i, budget int) bool {
	_, n, ok := a.head(i)
	return ok && n <= budget
}

// headQuote is a rendered head; n is 0 when the sentence has none.
type headQuote struct {
	text string
	n    int
}

// headCut is where the head of text ends, the earliest clause cut with
// minHeadWords before it and minTailWords after it, or 0.
func headCut(text, lower string) int {
	best := 0
	if len(text) != len(lower) {
		return 0 // lower-casing moved the bytes
	}
	for _, c := range clauseCuts {
		at := strings.Index(lower, c)
		if at <= 0 || best > 0 && at >= best {
			continue
		}
		if summary.CountWords(text[:at]) >= minHeadWords && summary.CountWords(text[at+len(c):]) >= minTailWords {
			best = at
		}
	}
	return best
}

// Clause cutting: a sentence over longClause words is cut before ", and",
// ", but" or ", so" when both sides keep at least minClause words.
const (
	longClause = 20
	minClause  = 6
)

// cutLong appends to dst the clauses of a compound sentence, and the
// pseudo-sentences of a run longer than maxSentenceWords, cut after a comma
// or semicolon where one falls late enough, else every pseudoWords words.
func cutLong(dst []tokens, t tokens) []tokens {
	if len(t.words) == 0 {
		return dst
	}
	for len(t.words) > longClause {
		cut := 0
		for i := minClause; i <= len(t.words)-minClause; i++ {
			if b := t.bares[i]; strings.HasSuffix(t.words[i-1], ",") && (b == "and" || b == "but" || b == "so") {
				cut = i
				break
			}
		}
		if cut == 0 {
			break
		}
		dst = append(dst, t.to(cut))
		t = stripLead(t.from(cut))
	}
	for len(t.words) > maxSentenceWords {
		cut := pseudoWords
		for i := pseudoWords - 1; i >= minPseudoWords; i-- {
			if strings.HasSuffix(t.words[i-1], ",") || strings.HasSuffix(t.words[i-1], ";") {
				cut = i
				break
			}
		}
		dst = append(dst, t.to(cut))
		t = t.from(cut)
	}
	return append(dst, t)
}
