package local

import (
	"strings"
	"unicode/utf8"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// negationWindow is how many words back a negator still flips a word.
const negationWindow = 3

// sentiment reads the customer's mood from a lexicon over the customer's
// sentences (everyone's but the agent's when no customer is known). A
// negator within negationWindow words flips a word ("not happy" is
// negative), an intensifier strengthens it, and the second half of the call
// counts half again as much as the first, since how the caller leaves
// matters most. Little evidence either way is neutral; strong evidence both
// ways is mixed.
func sentiment(sents []Sentence) summary.Sentiment {
	mine, n := callerRole(sents)
	var t moodTally
	k := 0
	for _, s := range sents {
		if !mine(s.Role) {
			continue
		}
		late := 1.0
		if 2*k >= n {
			late = 1.5
		}
		t.add(s.Text, late)
		k++
	}
	return t.sentiment()
}

// callerRole says whose sentences sentiment reads, the customer's, or
// everyone's but the agent's when no customer is known, and how many
// sentences those are.
func callerRole(sents []Sentence) (mine func(Role) bool, n int) {
	for _, s := range sents {
		if s.Role == RoleCustomer {
			n++
		}
	}
	if n > 0 {
		return func(r Role) bool { return r == RoleCustomer }, n
	}
	notAgent := func(r Role) bool { return r != RoleAgent }
	for _, s := range sents {
		if notAgent(s.Role) {
			n++
		}
	}
	return notAgent, n
}

// moodTally sums the positive and the negative lexicon weight of the
// caller's words, sentence by sentence.
type moodTally struct {
	pos, neg float64
	buf      []byte // eachWord's scratch, reused across sentences
}

// add weighs the sentiment words of one sentence, each times weight. A
// negator within negationWindow words before a word flips it (a negative
// word only to half as positive); an intensifier just before it makes it
// count half again as much.
func (t *moodTally) add(text string, weight float64) {
	lastNeg, lastIntense := -negationWindow-1, -2
	for i, w := 0, 0; i < len(text); w++ {
		var word []byte
		if word, i = nextWord(text, i, t.buf); len(word) == 0 {
			break
		}
		t.buf = word
		var m moodWord
		if moodFilter.may(word[0], secondByte(word), len(word)) {
			m = moodWords[string(word)]
		}
		switch {
		case m.negator || strings.HasSuffix(string(word), "n't"):
			lastNeg = w
			continue
		case m.intensifier:
			lastIntense = w
			continue
		case !m.weighted:
			continue
		}
		v := m.weight
		if w-lastNeg <= negationWindow {
			if v > 0 {
				v = -v
			} else {
				v = -v / 2
			}
		}
		if w-lastIntense == 1 {
			v *= 1.5
		}
		if v > 0 {
			t.pos += v * weight
		} else {
			t.neg -= v * weight
		}
	}
}

// moodWord is what a word is to moodTally: a negator, an intensifier, or
// a sentiment word of a weight.
type moodWord struct {
	negator, intensifier, weighted bool
	weight                         float64
}

// moodWords holds negators, intensifiers and sentimentWords in one map, so
// that a word is looked up once.
var moodWords = func() map[string]moodWord {
	m := map[string]moodWord{}
	for w := range negators {
		m[w] = moodWord{negator: true}
	}
	for w := range intensifiers {
		x := m[w]
		x.intensifier = true
		m[w] = x
	}
	for w, v := range sentimentWords {
		x := m[w]
		x.weighted, x.weight = true, v
		m[w] = x
	}
	return m
}()

// moodFilter turns most words away from moodWords without a lookup.
var moodFilter = newWordFilter(moodWords)

// sentiment is the tally's verdict: neutral under one point of evidence in
// all, positive or negative when that side holds at least 65% of it, mixed
// otherwise.
func (t *moodTally) sentiment() summary.Sentiment {
	total := t.pos + t.neg
	switch {
	case total < 1:
		return summary.SentimentNeutral
	case t.pos >= 0.65*total:
		return summary.SentimentPositive
	case t.neg >= 0.65*total:
		return summary.SentimentNegative
	}
	return summary.SentimentMixed
}

// eachWord calls fn with each lower-cased word of text (see nextWord). It
// reuses buf.
func eachWord(text string, buf []byte, fn func([]byte)) []byte {
	for i := 0; i < len(text); {
		if buf, i = nextWord(text, i, buf); len(buf) > 0 {
			fn(buf)
		}
	}
	return buf[:0]
}

// nextWord reads, from text[i:], the next lower-cased word (letters, digits
// and inner apostrophes, without stop-word filtering or stemming) into buf,
// whose storage it reuses. It returns the word, empty when text has no
// more, and where reading goes on.
func nextWord(text string, i int, buf []byte) (word []byte, next int) {
	buf = buf[:0]
	for ; i < len(text); i++ {
		c := text[i]
		if low := wordLowerBytes[c]; low != 0 {
			buf = append(buf, low)
			continue
		}
		if c == '\'' && len(buf) > 0 {
			buf = append(buf, c)
			continue
		}
		if buf = trimApostrophes(buf); len(buf) > 0 {
			return buf, i + 1
		}
	}
	return trimApostrophes(buf), len(text) + 1
}

// trimApostrophes drops the apostrophes that end w.
func trimApostrophes(w []byte) []byte {
	for len(w) > 0 && w[len(w)-1] == '\'' {
		w = w[:len(w)-1]
	}
	return w
}

// wordLowerBytes maps each byte nextWord keeps in a word but the apostrophe
// to itself lower-cased (every byte of a non-ASCII rune to itself), and
// every other byte to 0.
var wordLowerBytes = func() (low [256]byte) {
	low = termBytes
	for c := utf8.RuneSelf; c < 256; c++ {
		low[c] = byte(c)
	}
	return low
}()

// resolution reads how the call ended from its closing sentences (the last
// fifth, at least eight), later sentences weighing more. An escalation
// said there decides it; otherwise resolved and unresolved cues are
// weighed, and with none it is unknown. found holds the cue phrases of
// each sentence; resolved cues after a negation ("not resolved") are not
// among them.
func resolution(sents []Sentence, found []cueKind) summary.Resolution {
	n := len(sents)
	from := max(0, n-max(8, n/5))
	var esc, res, unres float64
	// Backchannel turns count here: "Perfect, thanks." is how calls end.
	for i := from; i < n; i++ {
		w := 1 + float64(i-from)/float64(n-from)
		if found[i]&cueEscalated != 0 {
			esc += w
		}
		if found[i]&cueResolved != 0 {
			res += w
		}
		if found[i]&cueUnresolved != 0 {
			unres += w
		}
	}
	switch {
	case esc > 0 && esc >= res/2:
		return summary.ResolutionEscalated
	case res > unres:
		return summary.ResolutionResolved
	case unres > res:
		return summary.ResolutionUnresolved
	}
	return summary.ResolutionUnknown
}
