package local

import (
	"cmp"
	"slices"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// A candidate repeats a chosen sentence when their cosine is above
// redundant or they share two or more terms and at least overlapping of the
// shorter one's terms.
const (
	redundant   = 0.55
	overlapping = 0.5
)

// ranked returns the indexes of the sentences worth quoting, best first,
// earlier first on a tie.
func (a *analysis) ranked() []int {
	if a.order != nil {
		return a.order
	}
	a.order = a.rank()
	return a.order
}

func (a *analysis) rank() []int {
	idx := make([]int, 0, len(a.score))
	for i, s := range a.score {
		if s > 0 {
			idx = append(idx, i)
		}
	}
	// Best first, earlier first on a tie: a stable sort, but faster. The
	// scores are positive, so never NaN.
	slices.SortFunc(idx, func(x, y int) int {
		switch sx, sy := a.score[x], a.score[y]; {
		case sx > sy:
			return -1
		case sx < sy:
			return 1
		}
		return cmp.Compare(x, y)
	})
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
		if a.repeats(i, chosen) || a.size(i) > left {
			continue
		}
		chosen = append(chosen, i)
		left -= a.size(i)
	}
	slices.Sort(chosen)
	return chosen
}

// maxCandidates bounds the sentences best weighs against each other.
const maxCandidates = 48

// best picks the set of whole sentences that fits in budget words with the
// highest total of squared scores, among the top maxCandidates that repeat
// no higher-ranked one. It is a 0/1 knapsack, so that a strong ten-word
// sentence is not lost to a weak seven-word one just because it came later
// in a greedy order; squaring keeps a few strong sentences ahead of many
// weak short ones. It returns them in transcript order.
func (a *analysis) best(order []int, budget int) []int {
	var cand []int
	for _, i := range order {
		if len(cand) == maxCandidates {
			break
		}
		if !a.repeats(i, cand) && a.size(i) <= budget {
			cand = append(cand, i)
		}
	}
	width := budget + 1
	total := make([]float64, width)
	take := make([]bool, len(cand)*width)
	for k, i := range cand {
		w, v := a.size(i), a.score[i]*a.score[i]
		for c := budget; c >= w; c-- {
			if t := total[c-w] + v; t > total[c]+1e-12 {
				total[c] = t
				take[k*width+c] = true
			}
		}
	}
	var chosen []int
	for k, c := len(cand)-1, budget; k >= 0; k-- {
		if take[k*width+c] {
			chosen = append(chosen, cand[k])
			c -= a.size(cand[k])
		}
	}
	slices.Sort(chosen)
	return chosen
}

func (a *analysis) repeats(i int, chosen []int) bool {
	for _, j := range chosen {
		if cos, shared, overlap := similarity(a.vecs[i], a.vecs[j]); cos > redundant || shared >= 2 && overlap >= overlapping {
			return true
		}
	}
	return false
}

// summaryText is the summary within maxWords words: the most central
// sentences that fit whole, in transcript order (see best). When not even
// one sentence fits it is the best one whole, which the pipeline's limit
// then cuts.
func (a *analysis) summaryText(maxWords int, format summary.Format) string {
	order := a.ranked()
	chosen := a.best(order, maxWords)
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
		return summary.Layout([]string{noContent}, format)
	}
	points := make([]string, len(chosen))
	for k, i := range chosen {
		points[k], _ = a.quote(i)
	}
	return summary.Layout(points, format)
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
		q, _ := a.quote(i)
		out = append(out, q)
	}
	a.pointTurns = make([][]int, len(chosen))
	for k, i := range chosen {
		a.pointTurns[k] = []int{a.sents[i].Turn}
	}
	return out
}
