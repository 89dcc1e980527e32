package local

import (
	"encoding/binary"
	"slices"
	"unicode"
	"unicode/utf8"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// concurrentBytes is how much text a call needs for the two biggest steps
// of reading it to be shared with a second goroutine: SplitTurns splits
// the second half of its turns there, and countTerms finds the cue phrases
// and word counts there (readCues) while it counts the terms. Either is
// about half the work of its step, done on the other core of a machine
// with one free; below this size a goroutine costs more than it saves.
// Each result is computed alone, so the output is the same either way.
const concurrentBytes = 32 << 10

// countTerms fills each sentence's lower-cased text, cues, word count
// and term counts, and returns how many sentences hold each term.
func (a *analysis) countTerms() (df []int32) {
	size := 0
	for _, s := range a.sents {
		size += len(s.Text)
	}
	if size < concurrentBytes {
		a.readCues()
		return a.termCounts(size)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.readCues()
	}()
	df = a.termCounts(size)
	<-done
	return df
}

// readCues fills each sentence's lower-cased text, cue phrases and word
// count. It writes nothing termCounts reads or writes.
func (a *analysis) readCues() {
	a.lower = lowerAll(a.sents)
	for i, s := range a.sents {
		a.cues[i] = cues.match(a.lower[i])
		a.words[i] = summary.CountWords(s.Text)
	}
}

// termCounts fills each sentence's term counts, size bytes of text in
// all, and returns how many sentences hold each term.
func (a *analysis) termCounts(size int) (df []int32) {
	terms := newTermIndex(size)
	var buf []byte
	var ids []int32
	// Every vector, one after another: a call has about one term in
	// twelve bytes of text.
	all := make([]weight, 0, size/12)
	for i, s := range a.sents {
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
// repeated word costs one lookup; most words are short, and a short word is
// looked up as a number (see pack), which is cheaper than as a string.
type termIndex struct {
	terms map[string]int32 // term → its number
	short packedTable      // packed word of up to 8 bytes → its term's number, or -1
	long  map[string]int32 // longer word → its term's number, or -1
	df    []int32
}

// newTermIndex returns a termIndex sized for size bytes of text: a call
// uses a new word every few dozen bytes at first, fewer as it goes on.
func newTermIndex(size int) *termIndex {
	words := min(size/32, 1024)
	return &termIndex{terms: make(map[string]int32, words), short: newPackedTable(words),
		long: make(map[string]int32, words/8)}
}

// id returns the number of the term word, as nextTerm reads it, stands
// for, or -1 when it stands for none. word may be changed.
func (x *termIndex) id(word []byte) int32 {
	if len(word) <= 8 {
		k := pack(word)
		id, ok := x.short.get(k)
		if !ok {
			id = x.add(word)
			x.short.put(k, id)
		}
		return id
	}
	if id, ok := x.long[string(word)]; ok {
		return id
	}
	key := string(word)
	id := x.add(word)
	x.long[key] = id
	return id
}

// add numbers the term of a word not seen before, stemmed, or returns -1
// for a stop word or a single letter. word may be changed.
func (x *termIndex) add(word []byte) int32 {
	if stopWords[string(word)] || len(word) == 1 && (word[0] < '0' || word[0] > '9') {
		return -1
	}
	t := stem(word)
	id, ok := x.terms[string(t)]
	if !ok {
		id = int32(len(x.df))
		x.terms[string(t)] = id
		x.df = append(x.df, 0)
	}
	return id
}

// pack makes a word of up to 8 bytes into a number of its own: its bytes
// in order. No byte of a word nextTerm reads is 0, so no two words of up to
// 8 bytes make the same number. A word with room for 8 bytes, as nextTerm's
// buffer has, is read in one load, the bytes past its end masked off.
func pack(word []byte) uint64 {
	if cap(word) >= 8 {
		return binary.LittleEndian.Uint64(word[:8]) & (1<<(8*len(word)) - 1)
	}
	var k uint64
	for i, c := range word {
		k |= uint64(c) << (8 * i)
	}
	return k
}

// packedTable maps packed words (see pack), never 0, to numbers: an open
// addressing hash table, cheaper than a map for the lookup of every short
// word of a call.
type packedTable struct {
	keys  []uint64 // 0 for a free slot; the length is a power of two
	vals  []int32
	used  int
	shift uint // 64 - log2(len(keys))
}

// newPackedTable returns a table with room for n keys before it grows.
func newPackedTable(n int) packedTable {
	bits := uint(4)
	for 1<<bits < 2*n {
		bits++
	}
	return packedTable{keys: make([]uint64, 1<<bits), vals: make([]int32, 1<<bits), shift: 64 - bits}
}

// slot returns where key is in the table, or the free slot where it goes.
func (t *packedTable) slot(key uint64) int {
	mask := len(t.keys) - 1
	i := int((key * 0x9E3779B97F4A7C15) >> t.shift) // Fibonacci hashing
	for t.keys[i] != key && t.keys[i] != 0 {
		i = (i + 1) & mask
	}
	return i
}

// get returns the number of key, and whether the table has it.
func (t *packedTable) get(key uint64) (int32, bool) {
	i := t.slot(key)
	return t.vals[i], t.keys[i] != 0
}

// put adds key, not in the table, with number v; the table doubles when it
// is half full.
func (t *packedTable) put(key uint64, v int32) {
	if 2*(t.used+1) > len(t.keys) {
		old := *t
		*t = newPackedTable(len(old.keys))
		for i, k := range old.keys {
			if k != 0 {
				t.put(k, old.vals[i])
			}
		}
	}
	i := t.slot(key)
	t.keys[i], t.vals[i] = key, v
	t.used++
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
