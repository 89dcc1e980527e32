package local

import (
	"cmp"
	"slices"
	"strings"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// redundant is the cosine above which a candidate repeats a chosen sentence.
const redundant = 0.55

// firstPerson are the words that make a quoted sentence need its speaker.
var firstPerson = set("i", "i'm", "i'll", "i've", "i'd", "my", "me", "mine", "myself",
	"we", "we're", "we'll", "we've", "we'd", "our", "us", "ours")

// quote is a sentence as a summary shows it: prefixed with who said it
// when it speaks in the first person and the speaker is known, since "I was
// charged twice" means nothing without it. lower is the text lower-cased.
func quote(s Sentence, lower string) string {
	tag := ""
	switch {
	case s.Role == RoleAgent:
		tag = "Agent:"
	case s.Role == RoleCustomer:
		tag = "Customer:"
	case s.Speaker != "" && len(strings.Fields(s.Speaker)) <= 2:
		tag = strings.Join(strings.Fields(s.Speaker), " ") + ":"
	}
	if tag == "" {
		return s.Text
	}
	first := false
	var buf [16]byte
	eachWord(lower, buf[:0], func(w []byte) {
		first = first || firstPerson[string(w)]
	})
	if first {
		return tag + " " + s.Text
	}
	return s.Text
}

// ranked returns the indexes of the sentences worth quoting, best first,
// earlier first on a tie.
func (a *analysis) ranked() []int {
	var idx []int
	for i, s := range a.score {
		if s > 0 {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(x, y int) int { return cmp.Compare(a.score[y], a.score[x]) })
	// Sentences far below the best are not worth quoting even when the
	// budget has room: a short summary beats a padded one.
	for k, i := range idx {
		if a.score[i] < relevanceFloor*a.score[idx[0]] {
			return idx[:k]
		}
	}
	return idx
}

// noContent is the summary of a transcript with nothing said in it.
const noContent = "The transcript has no spoken content."

// relevanceFloor is the fraction of the best score a sentence needs to be
// quoted.
const relevanceFloor = 0.12

// choose picks sentences best first, skipping any that repeat one already
// chosen or would overrun budget words, until limit sentences are chosen
// or nothing more fits. It returns them in transcript order.
func (a *analysis) choose(order []int, budget, limit int) []int {
	var chosen []int
	left := budget
	for _, i := range order {
		if len(chosen) >= limit || left <= 0 {
			break
		}
		if a.words[i] > left || a.repeats(i, chosen) {
			continue
		}
		chosen = append(chosen, i)
		left -= a.words[i]
	}
	slices.Sort(chosen)
	return chosen
}

func (a *analysis) repeats(i int, chosen []int) bool {
	for _, j := range chosen {
		if cosine(a.vecs[i], a.vecs[j]) > redundant {
			return true
		}
	}
	return false
}

// summaryText is the summary within maxWords words: the most central
// sentences that fit whole, in transcript order. Only when not even one
// sentence fits is the best one cut, and truncated reported.
func (a *analysis) summaryText(maxWords int, format summary.Format) (text string, truncated bool) {
	order := a.ranked()
	chosen := a.choose(order, maxWords, len(a.sents))
	if len(chosen) == 0 {
		// Nothing scored (a transcript of greetings and "okay"s): quote
		// what there is, in order.
		var all []int
		for i := range a.sents {
			all = append(all, i)
		}
		chosen = a.choose(all, maxWords, len(a.sents))
		if len(chosen) == 0 && len(order) > 0 {
			chosen = order[:1]
		} else if len(chosen) == 0 && len(a.sents) > 0 {
			chosen = all[:1]
		}
	}
	if len(chosen) == 0 {
		return summary.Layout([]string{noContent}, format), false
	}
	points := make([]string, len(chosen))
	for k, i := range chosen {
		points[k] = a.quoted[i]
	}
	return summary.Enforce(summary.Layout(points, format), maxWords, format)
}

// keyPoints are the few most central sentences, without a word budget.
func (a *analysis) keyPoints() []string {
	limit := 3
	switch n := len(a.sents); {
	case n > 150:
		limit = 7
	case n > 40:
		limit = 5
	}
	chosen := a.choose(a.ranked(), 1<<30, limit)
	out := make([]string, 0, len(chosen))
	for _, i := range chosen {
		out = append(out, a.quoted[i])
	}
	return out
}
