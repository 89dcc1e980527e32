package local

import (
	"strings"
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
// cleaned out.
func SplitTurns(turns []summary.Turn) []Sentence {
	out := make([]Sentence, 0, len(turns)+len(turns)/4)
	size := 0
	for _, t := range turns {
		size += len(t.Text)
	}
	// One string holds every sentence's text, so that a sentence costs no
	// allocation of its own.
	var all strings.Builder
	all.Grow(size + size/8)
	ends := make([]int, 0, cap(out)) // where each sentence's text ends in all
	var scratch tokens               // reused: no sentence keeps its words
	var cuts []tokens
	var text []byte
	for i, t := range turns {
		role := Role(t.Role)
		if role == "" {
			role = RoleOther
		}
		eachSentence(t.Text, func(raw string) {
			scratch.words = fields(scratch.words[:0], raw)
			scratch = tokenize(scratch)
			cuts = cutLong(cuts[:0], cleanWords(scratch))
			for _, words := range cuts {
				if text = finish(text[:0], words.words); len(text) == 0 {
					continue
				}
				all.Write(text)
				ends = append(ends, all.Len())
				out = append(out, Sentence{
					Turn:        i,
					Speaker:     t.Speaker,
					Role:        role,
					Backchannel: isBackchannel(words.bares),
				})
			}
		})
	}
	texts, start := all.String(), 0
	for k := range out {
		out[k].Text, start = texts[start:ends[k]], ends[k]
	}
	return out
}

// fields appends the whitespace-separated words of s to dst, as
// strings.Fields would, reusing dst's storage.
func fields(dst []string, s string) []string {
	n, start := len(dst), -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= utf8.RuneSelf:
			return append(dst[:n], strings.Fields(s)...)
		case asciiSpace[c] && start >= 0:
			dst = append(dst, s[start:i])
			start = -1
		case !asciiSpace[c] && start < 0:
			start = i
		}
	}
	if start >= 0 {
		dst = append(dst, s[start:])
	}
	return dst
}

// asciiSpace marks the ASCII bytes unicode.IsSpace reports.
var asciiSpace = [256]bool{' ': true, '\t': true, '\n': true, '\v': true, '\f': true, '\r': true}
