package local

import (
	"encoding/binary"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/llm-testing/llm-testing/internal/swar"
)

// lowerAll returns the text of each sentence lower-cased, as strings.ToLower
// would, cut from one string of them all.
func lowerAll(sents []Sentence) []string {
	n := 0
	for _, s := range sents {
		n += len(s.Text)
	}
	var all strings.Builder
	all.Grow(n)
	ends := make([]int, len(sents))
	var buf []byte
	for i, s := range sents {
		buf = appendLower(buf[:0], s.Text)
		all.Write(buf)
		ends[i] = all.Len()
	}
	texts, start := all.String(), 0
	out := make([]string, len(sents))
	for i, end := range ends {
		out[i], start = texts[start:end], end
	}
	return out
}

// appendLower appends s lower-cased, as strings.ToLower would, to dst,
// eight ASCII bytes at once (lowerEight).
func appendLower(dst []byte, s string) []byte {
	n := len(dst)
	dst = append(dst, s...)
	i := n
	for ; i+8 <= len(dst); i += 8 {
		x := binary.LittleEndian.Uint64(dst[i:])
		if x&swar.High != 0 {
			return append(dst[:n], strings.ToLower(s)...)
		}
		binary.LittleEndian.PutUint64(dst[i:], lowerEight(x))
	}
	for ; i < len(dst); i++ {
		switch c := dst[i]; {
		case c >= utf8.RuneSelf:
			return append(dst[:n], strings.ToLower(s)...)
		case c >= 'A' && c <= 'Z':
			dst[i] = c + 'a' - 'A'
		}
	}
	return dst
}

// lowerEight lowers the capital letters of x, eight ASCII bytes: a byte
// from 'A' to 'Z' gains 0x20. No byte carries into the next, as each is
// below 0x80.
func lowerEight(x uint64) uint64 {
	return x | swar.Between(x, 'A', 'Z')>>2
}

// bare strips the punctuation around a word and lowers it, for lookups.
func bare(w string) string {
	i, j := 0, len(w)
	for i < j && w[i] < utf8.RuneSelf && asciiPunct(w[i]) {
		i++
	}
	for j > i && w[j-1] < utf8.RuneSelf && asciiPunct(w[j-1]) {
		j--
	}
	w = w[i:j]
	if w != "" && (w[0] >= utf8.RuneSelf || w[len(w)-1] >= utf8.RuneSelf) {
		w = strings.TrimFunc(w, func(r rune) bool {
			return unicode.IsPunct(r) && r != '\'' && r != '-' || r == '…'
		})
	}
	return lower(w)
}

// tokenize appends the bare forms of t.words to t.bares, which it resets.
func tokenize(t tokens) tokens {
	t.bares = t.bares[:0]
	for _, w := range t.words {
		if !isBare(w) {
			w = bare(w)
		}
		t.bares = append(t.bares, w)
	}
	return t
}

// isBare reports whether w is its own bare form, as most words are: it
// has only lower-case letters, digits, apostrophes and hyphens.
func isBare(w string) bool {
	for i := 0; i < len(w); i++ {
		if !bareBytes[w[i]] {
			return false
		}
	}
	return true
}

var bareBytes = func() (is [256]bool) {
	for _, c := range []byte("abcdefghijklmnopqrstuvwxyz0123456789'-") {
		is[c] = true
	}
	return is
}()

// lower is strings.ToLower(w), without allocating for a word of the word
// lists (lowerForms), as most capitalised first words of a sentence are.
func lower(w string) string {
	upper := false
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			return strings.ToLower(w)
		}
		upper = upper || w[i] >= 'A' && w[i] <= 'Z'
	}
	var buf [16]byte
	switch {
	case !upper:
		return w
	case len(w) == 1:
		return asciiStrings[w[0]+'a'-'A'] // "I", "A"
	case len(w) > len(buf):
		return strings.ToLower(w)
	}
	for i := 0; i < len(w); i++ {
		buf[i] = w[i]
		if c := w[i]; c >= 'A' && c <= 'Z' {
			buf[i] = c + 'a' - 'A'
		}
	}
	if s, ok := lowerForms[string(buf[:len(w)])]; ok {
		return s
	}
	return string(buf[:len(w)])
}

// asciiStrings holds each ASCII byte as a string of its own.
var asciiStrings = func() (s [utf8.RuneSelf]string) {
	for c := range s {
		s[c] = string(rune(c))
	}
	return s
}()

// lowerForms holds the words of the word lists bare's callers look up, and
// the stop words, each as its own key: lower returns these strings rather
// than new copies.
var lowerForms = func() map[string]string {
	m := map[string]string{}
	for _, list := range []map[string]bool{stopWords, fillers, backchannelWords, greetingWords, skipWords, actionVerbs, adverbs} {
		for w := range list {
			m[w] = w
		}
	}
	for w := range leadMarkers {
		m[w] = w
	}
	return m
}()

// asciiPunct is unicode.IsPunct for ASCII bytes, less the apostrophe and
// hyphen that belong to words such as "don't" and "uh-huh".
func asciiPunct(c byte) bool { return punctBytes[c] }

var punctBytes = func() (is [256]bool) {
	for _, c := range []byte("!\"#%&()*,./:;?@[\\]_{}") {
		is[c] = true
	}
	return is
}()

// wordFilter turns away most words that are not in a set without hashing
// them: for the first two bytes of the set's words (hashed to one of 256
// slots), it knows their lengths (bit n for n bytes, bit 63 for longer).
type wordFilter [256]uint64

func newWordFilter[V any](set map[string]V) *wordFilter {
	f := new(wordFilter)
	for w := range set {
		if w != "" {
			f[filterSlot(w[0], secondByte(w))] |= 1 << min(len(w), 63)
		}
	}
	return f
}

func filterSlot(first, second byte) uint8 { return first*31 + second }

// secondByte is w[1], or 0 for a word of one byte.
func secondByte[T ~string | ~[]byte](w T) byte {
	if len(w) < 2 {
		return 0
	}
	return w[1]
}

// may reports whether a word of n bytes that starts with bytes first and
// second (0 when n is 1) may be in the set: false only when it is not.
func (f *wordFilter) may(first, second byte, n int) bool {
	return f[filterSlot(first, second)]&(1<<min(n, 63)) != 0
}

// wordSet is a set of words with a wordFilter in front of it: most words
// looked up are in none of the word lists.
type wordSet struct {
	filter *wordFilter
	words  map[string]bool
}

func newWordSet(words map[string]bool) wordSet {
	return wordSet{filter: newWordFilter(words), words: words}
}

// has reports whether w is in the set.
func (s wordSet) has(w string) bool {
	return (w == "" || s.filter.may(w[0], secondByte(w), len(w))) && s.words[w]
}

// hasLower reports whether w lower-cased is in the set. An ASCII word the
// filter turns away, as most are, is not lowered.
func (s wordSet) hasLower(w string) bool {
	if w != "" && isASCII(w) && !s.filter.may(lowerASCII(w[0]), lowerASCII(secondByte(w)), len(w)) {
		return false
	}
	return s.has(lower(w))
}

func isASCII(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// lowerASCII lowers an ASCII capital letter, and leaves every other byte.
func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// fillerWords are fillers as a wordSet: cleanWords looks up every word.
var fillerWords = newWordSet(fillers)

// The word lists a splitter looks every sentence's first word up in, and
// the words of every short one, with filters in front.
var (
	greetingSet    = newWordSet(greetingWords)
	backchannelSet = newWordSet(backchannelWords)
	leadFilter     = newWordFilter(leadMarkers)
)
