package local

import (
	"cmp"
	"math"
	"slices"
	"strings"

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

// outcomeBonus is what a summary gains, as a share of the best sentence's
// squared score, for saying how the conversation came out.
const outcomeBonus = 0.4

// agentDone open what an agent has done on the call.
var agentDone = []string{"i've ", "i have ", "we've ", "we have ", "i just ", "i went ahead"}

// pick is a sentence chosen for a summary, whole or its head clause.
type pick struct {
	i    int
	head bool
}

// best picks the sentences, whole or their head clauses (see head), that
// fit in budget words with the highest value, among the top maxCandidates
// that repeat no higher-ranked one. The value is the total of squared
// scores, squaring keeping a few strong sentences ahead of many weak short
// ones, a head worth less than its sentence (see clauses.go); plus
// outcomeBonus when the set holds an outcome (see outcome): the opening
// that states the problem is usually the best sentence, and a short
// summary that spends all its words on the problem says nothing of what
// was done about it. It is a multiple-choice knapsack over (words, has an
// outcome), so that a strong ten-word sentence is not lost to a weak
// seven-word one just because it came later in a greedy order. It returns
// the picks in transcript order.
func (a *analysis) best(order []int, budget int) []pick {
	cand := a.candidates(order, budget)
	if len(cand) == 0 {
		return nil
	}
	width := budget + 1
	// total[h*width+c] is the best value in at most c words, h = 1 when an
	// outcome is among them; negative where no set reaches that state.
	// from[(k*2+h)*width+c] is how candidate k improved it: the state it
	// came from times 2, plus 1 for its head; -1 when k did not.
	total := make([]float64, 2*width)
	for c := range width {
		total[width+c] = -1
	}
	from := make([]int8, len(cand)*2*width)
	for k, i := range cand {
		row := from[k*2*width : (k+1)*2*width]
		for c := range row {
			row[c] = -1
		}
		out, opts := a.outcome(i), a.options(i)
		for c := budget; c >= 0; c-- {
			for h := 1; h >= 0; h-- {
				if out && h == 0 {
					continue // a set with an outcome is in state 1
				}
				for oi, o := range opts {
					if o.words > c {
						continue
					}
					prev, ph := total[h*width+c-o.words], h
					if out && total[c-o.words] > prev {
						prev, ph = total[c-o.words], 0
					}
					if prev >= 0 && prev+o.value > total[h*width+c]+1e-12 {
						total[h*width+c] = prev + o.value
						row[h*width+c] = int8(ph*2 + oi)
					}
				}
			}
		}
	}
	return a.trace(cand, total, from, budget)
}

// candidates returns the top maxCandidates sentences of order that repeat
// no higher-ranked one and fit budget, whole or by their head clause.
func (a *analysis) candidates(order []int, budget int) []int {
	var cand []int
	for _, i := range order {
		if len(cand) == maxCandidates {
			break
		}
		if !a.repeats(i, cand) && (a.size(i) <= budget || a.headFits(i, budget)) {
			cand = append(cand, i)
		}
	}
	return cand
}

// trace reads best's choice back from its tables: the state at budget
// words, with an outcome when that is worth more with outcomeBonus, then
// each candidate's step into it, the picks returned in transcript order.
func (a *analysis) trace(cand []int, total []float64, from []int8, budget int) []pick {
	width := budget + 1
	h, c := 0, budget
	if top := a.score[cand[0]]; total[width+c]+outcomeBonus*top*top > total[c] {
		h = 1
	}
	var chosen []pick
	for k := len(cand) - 1; k >= 0; k-- {
		if f := from[(k*2+h)*width+c]; f >= 0 {
			o := a.options(cand[k])[f%2]
			chosen = append(chosen, pick{i: cand[k], head: o.head})
			c -= o.words
			h = int(f / 2)
		}
	}
	slices.SortFunc(chosen, func(x, y pick) int { return cmp.Compare(x.i, y.i) })
	return chosen
}

// option is one way to quote a sentence: its words and its value.
type option struct {
	words int
	value float64
	head  bool
}

// options are the ways to quote sentence i: whole, then by its head when
// it has one.
func (a *analysis) options(i int) []option {
	n, v := a.size(i), a.score[i]*a.score[i]
	opts := []option{{words: n, value: v}}
	if _, hn, ok := a.head(i); ok {
		opts = append(opts, option{words: hn, value: v * math.Sqrt(float64(hn)/float64(n)), head: true})
	}
	return opts
}

// outcome reports whether sentence i says how the conversation came out:
// an outcome, decision or escalation cue phrase, a commitment, or what the
// agent has done ("I've added a credit"), stated rather than asked.
func (a *analysis) outcome(i int) bool {
	if strings.HasSuffix(a.sents[i].Text, "?") {
		return false
	}
	if a.cues[i]&(cueOutcome|cueDecision|cueEscalated) != 0 ||
		a.sents[i].Role == RoleAgent && hasPrefixAny(a.lower[i], agentDone) {
		return true
	}
	_, ok := commitment(a.sents[i], a.lower[i], a.cues[i])
	return ok
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
		some := a.choose(all, maxWords, len(a.sents))
		if len(some) == 0 && len(order) > 0 {
			some = order[:1]
		} else if len(some) == 0 && len(a.sents) > 0 {
			some = all[:1]
		}
		for _, i := range some {
			chosen = append(chosen, pick{i: i})
		}
	}
	if len(chosen) == 0 {
		return summary.Layout([]string{noContent}, format)
	}
	points := make([]string, len(chosen))
	for k, p := range chosen {
		if p.head {
			points[k], _, _ = a.head(p.i)
		} else {
			points[k], _ = a.quote(p.i)
		}
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
