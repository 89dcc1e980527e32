package local

import (
	"math"
	"strings"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// weight is one term of a sentence's sparse TF-IDF vector.
type weight struct {
	term int32
	w    float32
}

// selfWeight is how much a sentence's own terms count toward its centrality.
const selfWeight = 0.3

// analysis is a transcript split into sentences and scored by centrality.
type analysis struct {
	sents  []Sentence
	vecs   [][]weight // sorted by term, unit length
	score  []float64
	words  []int             // words of each sentence's text
	quoted []string          // each sentence in summary voice, rendered when first needed
	sizes  []int             // words of each quoted sentence, 0 until rendered
	lower  []string          // each sentence's text, lower-cased
	cues   []cueKind         // the cue phrases in each sentence
	order  []int             // ranked, computed once
	spread spread            // one sentence's vector by term (see repeats)
	heads  map[int]headQuote // head clauses rendered so far (see head)
	// pointTurns are the turns of the sentences keyPoints chose.
	pointTurns [][]int
}

// analyse splits and scores a transcript in time linear in its length.
func analyse(transcript string) *analysis { return analyseSentences(Split(transcript)) }

// analyseSentences scores sentences already split.
func analyseSentences(sents []Sentence) *analysis {
	a := &analysis{sents: sents}
	n := len(a.sents)
	a.vecs = make([][]weight, n)
	a.score = make([]float64, n)
	a.words = make([]int, n)
	a.quoted = make([]string, n)
	a.sizes = make([]int, n)
	a.cues = make([]cueKind, n)
	df := a.countTerms()
	a.spread.terms = len(df)
	centroid := a.weigh(df)
	a.scoreAll(centroid)
	return a
}

// weigh turns term counts into unit TF-IDF vectors and returns the centroid
// of the sentences that are not backchannels.
func (a *analysis) weigh(df []int32) []float64 {
	centroid := make([]float64, len(df))
	docs := float64(len(a.sents))
	idfs := make([]float64, len(df))
	for t, n := range df {
		idfs[t] = math.Log((docs+1)/float64(n)) + 0.1
	}
	for i, vec := range a.vecs {
		var norm float64
		for k := range vec {
			idf := idfs[vec[k].term]
			tf := 1.0 // 1 + log(1): most terms come once in a sentence
			if vec[k].w != 1 {
				tf = 1 + math.Log(float64(vec[k].w))
			}
			vec[k].w = float32(tf * idf)
			norm += float64(vec[k].w) * float64(vec[k].w)
		}
		norm = math.Sqrt(norm)
		for k := range vec {
			vec[k].w = float32(float64(vec[k].w) / norm)
			if !a.sents[i].Backchannel {
				centroid[vec[k].term] += float64(vec[k].w)
			}
		}
	}
	return centroid
}

// scoreAll scores every sentence by its similarity to the centroid, with
// the boosts of a support call.
func (a *analysis) scoreAll(centroid []float64) {
	var cnorm float64
	for _, c := range centroid {
		cnorm += c * c
	}
	cnorm = math.Sqrt(cnorm)
	customerSeen, opening := 0, 0
	for i, vec := range a.vecs {
		if a.sents[i].Backchannel || len(vec) == 0 || cnorm == 0 || holdsNumberRun(a.sents[i].Text) {
			continue
		}
		// Mostly leave the sentence itself out of the centroid, so that a
		// lone rare term ("5521.") is not central just for matching itself;
		// keep a little of it, so that in a short call the one sentence
		// that states the problem in its own words still counts.
		var dot float64
		for _, t := range vec {
			dot += float64(t.w) * (centroid[t.term] - (1-selfWeight)*float64(t.w))
		}
		s := max(dot, 0) / cnorm
		if len(vec) < 3 {
			s *= float64(len(vec)*len(vec)) / 9
		}
		switch w := float64(a.words[i]); {
		case w < 4:
			// "Book Thursday.", "Started last night.": a fragment leans
			// on the question before it.
			s *= 0.3
		case w < 5:
			s *= 0.5
		case w > 20:
			// A long sentence spends the budget of two; make it earn it.
			s *= math.Sqrt(20 / w)
		}
		if a.sents[i].Role == RoleCustomer && a.words[i] >= 5 {
			customerSeen++
		}
		s *= boost(a.sents[i], a.lower[i], a.cues[i], customerSeen)
		if a.opens(i) {
			// The first things said that are not greetings are what the
			// conversation is about.
			if opening < len(openingBoost) {
				s *= openingBoost[opening]
			}
			opening++
		}
		if a.answersQuestion(i) {
			s *= answerBoost
		}
		a.score[i] = s
		if i > 0 && a.answersRoutine(i) {
			a.score[i] *= 0.3
		}
	}
}

// openingBoost weighs the first sentences that say something, in order.
var openingBoost = []float64{1.8, 1.5, 1.3, 1.15}

// opens reports whether sentence i says something in the conversation's
// own words: not a greeting, pleasantry, introduction or reaction, and
// long enough to carry a topic.
func (a *analysis) opens(i int) bool {
	lower := a.lower[i]
	return a.words[i] >= 5 && a.cues[i]&(cuePleasantry|cueReaction) == 0 &&
		!(hasPrefixAny(lower, greetings) && strings.Count(lower, " ") < 5) &&
		!(a.sents[i].Turn <= 2 && isIntroduction(lower))
}

// quote returns sentence i in summary voice (render) and its words,
// rendering it once: most sentences are never quoted.
func (a *analysis) quote(i int) (string, int) {
	if a.sizes[i] == 0 {
		a.quoted[i] = render(a.sents[i], a.lower[i])
		a.sizes[i] = summary.CountWords(a.quoted[i])
	}
	return a.quoted[i], a.sizes[i]
}

// size is how many words sentence i takes in a summary.
func (a *analysis) size(i int) int {
	_, n := a.quote(i)
	return n
}

// answerBoost weighs the first sentence of an answer to the other side's
// question: "Are you going somewhere?" asks, "We're flying to Florida" tells.
const answerBoost = 1.3

// answersQuestion reports whether sentence i opens a turn (backchannels
// aside) that follows another speaker's question.
func (a *analysis) answersQuestion(i int) bool {
	j := i - 1
	for j >= 0 && a.sents[j].Turn == a.sents[i].Turn && a.sents[j].Backchannel {
		j--
	}
	return j >= 0 && a.sents[j].Turn != a.sents[i].Turn &&
		(a.sents[j].Speaker != a.sents[i].Speaker || a.sents[i].Speaker == "") &&
		strings.HasSuffix(a.sents[j].Text, "?") && a.cues[j]&cuePleasantry == 0
}

// answersRoutine reports whether sentence i is a short reply to the other
// side's routine question ("Can you confirm your date of birth?" "March
// 14th, 1988."): identity checks are never the point of a call.
func (a *analysis) answersRoutine(i int) bool {
	prev := a.sents[i-1]
	return prev.Role != a.sents[i].Role && strings.HasSuffix(prev.Text, "?") &&
		a.cues[i-1]&cuePleasantry != 0 && a.words[i] <= 12
}

// boost weighs what matters on a support call beyond centrality: the
// customer's opening statement of the problem, facts (amounts, dates,
// numbers), commitments and outcomes; and discounts pleasantries and the
// agent's routine questions.
func boost(s Sentence, lower string, found cueKind, customerSeen int) float64 {
	b := 1.0
	if s.Role == RoleCustomer && customerSeen >= 1 && customerSeen <= 3 {
		b *= 1.5
	}
	if hasPrefixAny(lower, greetings) && strings.Count(lower, " ") < 5 {
		b *= 0.2
	}
	if found&cueProblem != 0 {
		b *= 1.3
	}
	if hasFigure(lower) {
		b *= 1.25
	}
	if _, ok := commitment(s, lower, found); ok {
		b *= 1.3
	}
	if found&cueOutcome != 0 {
		b *= 1.2
	}
	if found&cueEscalated != 0 {
		// Where the case went next is the outcome of an escalated call.
		b *= 1.4
	}
	if found&cuePleasantry != 0 {
		b *= 0.3
	}
	if hasPrefixAny(lower, dangling) {
		// "That's why you were charged per day." leans on the sentence
		// before it, which the summary may not have.
		b *= 0.7
	}
	if s.Turn <= 2 && isIntroduction(lower) {
		// "Acme billing, this is Omar." names the company and the agent,
		// "Hi Priya, this is Janet." the caller: the summary needs neither.
		b *= 0.15
	}
	if found&cueReaction != 0 {
		b *= 0.35
	}
	if found&cueDecision != 0 {
		b *= 1.35
	}
	switch {
	case strings.HasSuffix(s.Text, "?") && strings.Count(lower, " ") < 5:
		// "Is it serious?", "My biology credits?": a short question asks,
		// the answer tells.
		b *= 0.3
	case strings.HasSuffix(s.Text, "?"):
		b *= 0.5
	case strings.HasSuffix(s.Text, "!") && strings.Count(lower, " ") < 6:
		b *= 0.5
	}
	return b
}

// isIntroduction reports whether an agent's opening sentence only says who
// answered: "Dashly support, this is Omar", "Maria speaking".
func isIntroduction(lower string) bool {
	return summary.CountWords(lower) <= 12 && (strings.Contains(lower, "this is ") ||
		strings.Contains(lower, " speaking") || strings.Contains(lower, "you've reached") ||
		strings.Contains(lower, "you have reached"))
}

// dangling openings refer back to something the sentence does not say.
var dangling = []string{"that's ", "that is ", "that ", "this ", "it's ", "it'll ", "it will ",
	"it ", "she's ", "he's ", "they're ", "those ", "these ", "they ", "then "}

// greetings open a short sentence that only says hello.
var greetings = []string{"hi", "hello", "hey", "good morning", "good afternoon",
	"good evening", "thanks", "thank you"}

func hasPrefixAny(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if (p == "" || s != "" && s[0] == p[0]) && strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// stem strips a few English suffixes so that "refunds", "refunded" and
// "refunding" meet. It is deliberately light: centrality needs agreement
// between forms, not linguistic roots.
func stem(w []byte) []byte {
	n := len(w)
	switch {
	case n > 5 && string(w[n-3:]) == "ing":
		return w[:n-3]
	case n > 4 && string(w[n-2:]) == "ed":
		return w[:n-2]
	case n > 4 && string(w[n-3:]) == "ies":
		return append(w[:n-3], 'y')
	case n > 3 && w[n-1] == 's' && w[n-2] != 's' && w[n-2] != '\'':
		return w[:n-1]
	case n > 2 && string(w[n-2:]) == "'s":
		return w[:n-2]
	}
	return w
}

// numberRunDigits is how many digits, with only spaces, dots, dashes,
// brackets or a plus between them, make a sentence unquotable: a card,
// account or phone number read out. Redaction catches such numbers only
// when they check out (a card's Luhn digit); one misheard or mistyped does
// not, so the summarizer does not quote it at all.
const numberRunDigits = 9

// holdsNumberRun reports whether text holds a run of numberRunDigits or
// more digits, as the redactor finds them.
func holdsNumberRun(text string) bool { return summary.HasNumberRun(text, numberRunDigits) }
