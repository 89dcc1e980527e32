package local

import (
	"slices"
	"unicode"
	"unicode/utf8"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// countTerms fills each sentence's lower-cased text, cues, word count
// and term counts, and returns how many sentences hold each term.
func (a *analysis) countTerms() (df []int32) {
	a.lower = lowerAll(a.sents)
	terms := newTermIndex()
	var buf []byte
	var ids []int32
	size := 0
	for _, s := range a.sents {
		size += len(s.Text)
	}
	// Every vector, one after another: a call has about one term in
	// twelve bytes of text.
	all := make([]weight, 0, size/12)
	for i, s := range a.sents {
		a.cues[i] = cues.match(a.lower[i])
		a.words[i] = summary.CountWords(s.Text)
		ids = ids[:0]
		for j := 0; j < len(s.Text); {
			if buf, j = nextTerm(s.Text, j, buf); len(buf) > 0 {
				if id := terms.id(buf); id >= 0 {
					ids = append(ids, id)
				}
			}
		}
		slices.Sort(ids)
		start := len(all)
		for j := 0; j < len(ids); {
			k := j
			for k < len(ids) && ids[k] == ids[j] {
				k++
			}
			all = append(all, weight{term: ids[j], w: float32(k - j)})
			terms.df[ids[j]]++
			j = k
		}
		a.vecs[i] = all[start:len(all):len(all)]
	}
	return terms.df
}

// termIndex numbers the content terms of a call in the order they first
// come, and counts the sentences that hold each (df, filled by the
// caller). It remembers the term of every word it has seen, so that a
// repeated word costs one lookup.
type termIndex struct {
	terms map[string]int32 // term → its number
	words map[string]int32 // word as read → its term's number, or -1
	df    []int32
}

func newTermIndex() *termIndex {
	return &termIndex{terms: map[string]int32{}, words: map[string]int32{}}
}

// id returns the number of the term word stands for, or -1 when it stands
// for none: a stop word or a single letter. Content terms are stemmed.
// word may be changed.
func (x *termIndex) id(word []byte) int32 {
	if id, ok := x.words[string(word)]; ok {
		return id
	}
	key := string(word)
	id := int32(-1)
	if !stopWords[key] && (len(word) > 1 || word[0] >= '0' && word[0] <= '9') {
		t := stem(word)
		var ok bool
		if id, ok = x.terms[string(t)]; !ok {
			id = int32(len(x.df))
			x.terms[string(t)] = id
			x.df = append(x.df, 0)
		}
	}
	x.words[key] = id
	return id
}

// nextTerm reads, from text[i:], the next word that may be a term: a run
// of letters and digits, with inner apostrophes and decimal points,
// lower-cased into buf (whose storage it reuses). It returns the word, empty
// when text has no more, and where reading goes on.
func nextTerm(text string, i int, buf []byte) (word []byte, next int) {
	buf = buf[:0]
	for size := 1; i < len(text); i += size {
		size = 1
		if low := termBytes[text[i]]; low != 0 {
			buf = append(buf, low) // the common case: an ASCII letter or digit
			continue
		}
		r := rune(text[i])
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		switch {
		case r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			buf = utf8.AppendRune(buf, unicode.ToLower(r))
		case (r == '\'' || r == '’') && len(buf) > 0 && i+1 < len(text) && isLetterAt(text, i+size):
			buf = append(buf, '\'')
		case r == '.' && len(buf) > 0 && buf[len(buf)-1] >= '0' && buf[len(buf)-1] <= '9' && i+1 < len(text) && text[i+1] >= '0' && text[i+1] <= '9':
			buf = append(buf, '.')
		case len(buf) > 0:
			return buf, i + size
		}
	}
	return buf, i
}

// termBytes maps each ASCII letter and digit to itself lower-cased, and
// every other byte to 0.
var termBytes = func() (low [256]byte) {
	for c := '0'; c <= '9'; c++ {
		low[c] = byte(c)
	}
	for c := 'a'; c <= 'z'; c++ {
		low[c], low[c-'a'+'A'] = byte(c), byte(c)
	}
	return low
}()

func isLetterAt(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r)
}
