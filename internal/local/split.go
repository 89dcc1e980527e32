package local

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/llm-testing/llm-testing/internal/summary"
	"github.com/llm-testing/llm-testing/internal/transcript"
)

// Role is which side of a support call spoke.
type Role string

// The roles a speaker can have. They match summary.Owner's values.
const (
	RoleAgent    Role = "agent"
	RoleCustomer Role = "customer"
	RoleOther    Role = "other"
)

// Sentence is one sentence of a transcript as Split reads it: cleaned of
// speaker labels, timestamps, non-speech annotations and filler words, and
// capitalised with end punctuation, ready to quote in a summary.
type Sentence struct {
	// Turn is the index of the speaker turn the sentence belongs to.
	Turn int
	// Speaker is the label as written ("Agent (Maria)", "Speaker 1"), or ""
	// when the transcript has no labels.
	Speaker string
	// Role is the side of the call the speaker is on.
	Role Role
	// Text is the cleaned sentence.
	Text string
	// Backchannel marks an utterance that carries nothing on its own, such
	// as "Okay." or "Yeah, sure."
	Backchannel bool
}

// Split reads a call transcript into sentences in transcript order: the
// turns transcript.FromText reads from it (speaker labels at line starts
// and inline, leading timestamps, unlabelled lines; roles named by labels
// or inferred for diarized speakers, else other), cut as SplitTurns cuts
// them. Text with no sentence ends is cut into pseudo-sentences of at most
// maxSentenceWords words.
func Split(text string) []Sentence { return SplitTurns(transcript.FromText(text)) }

// SplitTurns reads normalised turns into sentences, each with its turn's
// index, speaker and role as given: nothing is parsed or guessed again.
// Bracketed annotations ("[inaudible]"), filler words and stutters are
// cleaned out. A call of concurrentBytes or more is split in two halves at
// a turn boundary, the second on a goroutine of its own: each turn is read
// alone, so the sentences are the same.
func SplitTurns(turns []summary.Turn) []Sentence {
	size := 0
	for _, t := range turns {
		size += len(t.Text)
	}
	room := len(turns) + len(turns)/4 // sentences: a turn has a few, many turns one
	if size < concurrentBytes {
		return splitRange(turns, 0, len(turns), size, room)
	}
	mid, half := 0, 0
	for ; mid < len(turns) && 2*half < size; mid++ {
		half += len(turns[mid].Text)
	}
	var second []Sentence
	done := make(chan struct{})
	go func() {
		defer close(done)
		n := len(turns) - mid
		second = splitRange(turns, mid, len(turns), size-half, n+n/4)
	}()
	first := splitRange(turns, 0, mid, half, room)
	<-done
	return append(first, second...)
}

// splitRange reads turns[lo:hi], of size bytes of text, into sentences, in
// a slice with room for room of them.
func splitRange(turns []summary.Turn, lo, hi, size, room int) []Sentence {
	sp := splitter{out: make([]Sentence, 0, room)}
	sp.all.Grow(size + size/8)
	sp.ends = make([]int, 0, room)
	for i := lo; i < hi; i++ {
		t := turns[i]
		role := Role(t.Role)
		if role == "" {
			role = RoleOther
		}
		for start := 0; start < len(t.Text); {
			var raw string
			raw, start = nextSentence(t.Text, start)
			sp.add(raw, Sentence{Turn: i, Speaker: t.Speaker, Role: role})
		}
	}
	texts, start := sp.all.String(), 0
	for k := range sp.out {
		sp.out[k].Text, start = texts[start:sp.ends[k]], sp.ends[k]
	}
	return sp.out
}

// splitter holds what SplitTurns has read so far, and scratch space it
// reuses from sentence to sentence.
type splitter struct {
	out []Sentence // without their texts until the end
	// all holds every sentence's text, one after another, so that a
	// sentence costs no allocation of its own; ends says where each ends.
	all  strings.Builder
	ends []int
	// Scratch: no sentence keeps its words.
	words tokens
	cuts  []tokens
	text  []byte
}

// add reads raw, the text of one sentence as cut, into the sentences of s
// (none, one or more, see cutLong).
func (sp *splitter) add(raw string, s Sentence) {
	sp.words = fieldTokens(sp.words, raw)
	sp.cuts = cutLong(sp.cuts[:0], cleanWords(sp.words))
	for _, words := range sp.cuts {
		if sp.text = finish(sp.text[:0], words.words); len(sp.text) == 0 {
			continue
		}
		sp.all.Write(sp.text)
		sp.ends = append(sp.ends, sp.all.Len())
		s.Backchannel = isBackchannel(words.bares)
		sp.out = append(sp.out, s)
	}
}

// fieldTokens returns the whitespace-separated words of s, as
// strings.Fields would, with their bare forms, reusing t's storage. An
// ASCII word is found to be bare as it is read.
func fieldTokens(t tokens, s string) tokens {
	t.words, t.bares = t.words[:0], t.bares[:0]
	for i := 0; i < len(s); {
		for i < len(s) && fieldBytes[s[i]] == fieldSpace {
			i++
		}
		start, kinds := i, uint8(0)
		for ; i < len(s) && fieldBytes[s[i]] < fieldSpace; i++ {
			kinds |= fieldBytes[s[i]]
		}
		if i < len(s) && fieldBytes[s[i]] == fieldOther {
			t.words = append(t.words[:0], strings.Fields(s)...)
			return tokenize(t)
		}
		if i == start {
			break
		}
		w := s[start:i]
		t.words = append(t.words, w)
		if kinds != fieldBare {
			w = bare(w)
		}
		t.bares = append(t.bares, w)
	}
	return t
}

// The kinds of byte in fieldBytes.
const (
	fieldBare  = iota // a byte a bare word may hold (bareBytes)
	fieldWord         // any other ASCII byte of a word
	fieldSpace        // an ASCII space
	fieldOther        // a byte of a non-ASCII rune: decode the text
)

var fieldBytes = func() (k [256]uint8) {
	for c := range 256 {
		switch {
		case c >= utf8.RuneSelf:
			k[c] = fieldOther
		case asciiSpace[c]:
			k[c] = fieldSpace
		case !bareBytes[c]:
			k[c] = fieldWord
		}
	}
	return k
}()

// asciiSpace marks the ASCII bytes unicode.IsSpace reports
// (summary.ASCIISpaces).
var asciiSpace = func() (k [256]bool) {
	for _, c := range []byte(summary.ASCIISpaces) {
		k[c] = true
	}
	return k
}()

// finish appends to dst cleaned words joined into a sentence: "i" as "I",
// a capital first letter and end punctuation. It appends nothing when no
// word is left.
func finish(dst []byte, words []string) []byte {
	start := len(dst)
	for i, w := range words {
		if i > 0 {
			dst = append(dst, ' ')
		}
		if i == len(words)-1 && w != "" && trailsPunct(w[len(w)-1]) {
			if w = strings.TrimRight(w, ",;:-–—"); w == "" {
				continue
			}
		}
		if w != "" && w[0] == 'i' && (w == "i" || strings.HasPrefix(w, "i'") || strings.HasPrefix(w, "i’")) {
			dst = append(dst, 'I')
			w = w[1:]
		} else if i == 0 {
			if r, size := utf8.DecodeRuneInString(w); unicode.IsLower(r) {
				dst = utf8.AppendRune(dst, unicode.ToUpper(r))
				w = w[size:]
			}
		}
		dst = append(dst, w...)
	}
	text := bytes.TrimSpace(dst[start:])
	if bytes.Contains(text, []byte("’")) {
		text = bytes.ReplaceAll(text, []byte("’"), []byte("'"))
	}
	if len(text) < len(dst)-start { // trimmed or replaced
		dst = append(dst[:start], text...)
	}
	if len(text) == 0 {
		return dst
	}
	if r, _ := utf8.DecodeLastRune(text); r != '.' && r != '!' && r != '?' && r != '…' &&
		!bytes.HasSuffix(text, []byte(".\"")) && !bytes.HasSuffix(text, []byte("?\"")) && !bytes.HasSuffix(text, []byte("!\"")) {
		dst = append(dst, '.')
	}
	return dst
}

// trailsPunct reports whether a word ending in byte c may end in the
// punctuation finish trims: ",;:-" or a dash.
func trailsPunct(c byte) bool {
	return c == ',' || c == ';' || c == ':' || c == '-' || c >= utf8.RuneSelf
}
