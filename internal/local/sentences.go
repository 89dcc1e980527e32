package local

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/llm-testing/llm-testing/internal/swar"
)

// Limits of a pseudo-sentence cut from a run with no sentence ends.
const (
	maxSentenceWords = 40
	pseudoWords      = 30
	minPseudoWords   = 12
)

// nextSentence returns the sentence of text that starts at start, and
// where the next one starts. A sentence is cut after ".", "!", "?" or an
// ellipsis followed by space, except after an abbreviation, and at a line
// break followed by a capital letter; the last one runs to the end of text.
func nextSentence(text string, start int) (sentence string, next int) {
	for i := start; i < len(text); {
		c := text[i]
		switch {
		case !sentenceBytes[c]:
			i = skipPlain(text, i+1)
		case c == '\n':
			if startsUpper(text[i+1:]) {
				return text[start:i], i + 1
			}
			i++
		case c == '.' || c == '!' || c == '?' || c == "…"[0] && strings.HasPrefix(text[i:], "…"):
			j := endOfPunct(text, i)
			ellipsis := text[i] != '!' && text[i] != '?' && j-i > 1
			switch {
			case j < len(text) && text[j] != ' ' && text[j] != '\t' && text[j] != '\n':
			case c == '.' && j-i == 1 && isAbbreviation(text[start:i]):
			case ellipsis && j < len(text) && !startsUpper(text[j:]):
			default:
				return text[start:j], j
			}
			i = j
		default:
			i++
		}
	}
	return text[start:], len(text)
}

// endOfPunct returns where the run of end punctuation at text[i] ends,
// closing quotes and brackets included.
func endOfPunct(text string, i int) int {
	j := i
	for j < len(text) {
		if text[j] == '.' || text[j] == '!' || text[j] == '?' {
			j++
		} else if strings.HasPrefix(text[j:], "…") {
			j += len("…")
		} else {
			break
		}
	}
	for j < len(text) && strings.IndexByte(`"')]`, text[j]) >= 0 {
		j++
	}
	for _, q := range []string{"”", "’"} {
		if strings.HasPrefix(text[j:], q) {
			j += len(q)
		}
	}
	return j
}

// skipPlain returns where, from i on, text has its next byte nextSentence
// may cut at (sentenceBytes), or a little before it: it steps over eight
// bytes at once while none of them is one.
func skipPlain(text string, i int) int {
	for ; i+8 <= len(text); i += 8 {
		x := swar.Load(text, i)
		if swar.Has(x, '\n')|swar.Has(x, '.')|swar.Has(x, '!')|swar.Has(x, '?')|swar.Has(x, 0xE2) != 0 {
			return i
		}
	}
	return i
}

// sentenceBytes marks the bytes nextSentence may cut at: line breaks, end
// punctuation and the first byte of an ellipsis.
var sentenceBytes = [256]bool{'\n': true, '.': true, '!': true, '?': true, 0xE2: true} // … is E2 80 A6

// startsUpper reports whether the first non-space rune of s is upper case
// or a digit.
func startsUpper(s string) bool {
	s = strings.TrimLeft(s, " \t\r\n")
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}

// isAbbreviation reports whether the text before a period ends with an
// abbreviation or a single-letter initial.
func isAbbreviation(before string) bool {
	start := len(before)
	for start > 0 && !wordBreaks[before[start-1]] {
		start--
	}
	w := before[start:]
	if utf8.RuneCountInString(w) == 1 {
		r, _ := utf8.DecodeRuneInString(w)
		return unicode.IsLetter(r) && w != "I" && w != "a"
	}
	return abbreviationWords.hasLower(w)
}

// wordBreaks marks the bytes before the word an abbreviation is: space,
// tab, line break and an opening bracket.
var wordBreaks = [256]bool{' ': true, '\t': true, '\n': true, '(': true}

// abbreviationWords are abbreviations as a wordSet: every sentence end is
// looked up.
var abbreviationWords = newWordSet(abbreviations)

// tokens are the words of one sentence as written, and the bare form of
// each (bare), found once: cleaning looks at each word several times.
type tokens struct {
	words, bares []string
}

// from returns the tokens from the i-th on.
func (t tokens) from(i int) tokens { return tokens{t.words[i:], t.bares[i:]} }

// to returns the tokens before the i-th.
func (t tokens) to(i int) tokens { return tokens{t.words[:i], t.bares[:i]} }

// cleanWords drops non-speech annotations, filler words, stutters and
// leading discourse markers from the words of one sentence, reusing their
// storage.
func cleanWords(t tokens) tokens {
	words, bares := t.words, t.bares
	out := tokens{words[:0], bares[:0]}
	for i := 0; i < len(words); i++ {
		w, b, next := words[i], bares[i], ""
		if i+1 < len(words) {
			next = bares[i+1]
		}
		if opensNote(w) {
			if n := annotationLen(words[i:]); n > 0 {
				i += n - 1
				continue
			}
		}
		switch {
		case b == "" && !strings.ContainsAny(w, "$%&+=#@"):
			continue
		case fillerWords.has(b):
			if len(out.words) != 1 || !greetingSet.has(out.bares[0]) {
				out.words = dropPause(out.words, w) // "Hi, um, my card" keeps "Hi," for stripGreeting
			}
			continue
		case (b == "you" && i+1 < len(words) && strings.HasPrefix(words[i+1], "know") && len(words[i+1]) > 4) ||
			(b == "i" && i+1 < len(words) && words[i+1] == "mean,"):
			i++
			out.words = dropPause(out.words, words[i])
			continue
		case i+1 < len(words) && b == next && !readOut(b) && (!endsWithPunct(w) || strings.HasSuffix(w, ",")):
			continue
		case strings.HasSuffix(w, "-") && i+1 < len(words) && strings.HasPrefix(next, strings.TrimSuffix(b, "-")):
			continue
		}
		out.words, out.bares = append(out.words, w), append(out.bares, b)
	}
	return stripLead(stripGreeting(out))
}

// stripGreeting drops a greeting that opens a longer sentence ("Hi Sam,
// my internet is down" reads "My internet is down"): up to three words
// ending in a comma after "hi", "hello" or "hey", when at least four words
// follow.
func stripGreeting(t tokens) tokens {
	if len(t.words) < 5 || !greetingSet.has(t.bares[0]) {
		return t
	}
	for k := 0; k < 3 && k < len(t.words)-4; k++ {
		if strings.HasSuffix(t.words[k], ",") {
			return t.from(k + 1)
		}
	}
	return t
}

// dropPause removes the comma that opened the pause around a dropped
// filler ("was, uh, charged" reads "was charged").
func dropPause(out []string, dropped string) []string {
	if len(out) > 0 && strings.HasSuffix(dropped, ",") && strings.HasSuffix(out[len(out)-1], ",") {
		out[len(out)-1] = strings.TrimSuffix(out[len(out)-1], ",")
	}
	return out
}

// stripLead drops discourse markers ("so", "okay", "and", "well,") from
// the start of a sentence while more than two words remain.
func stripLead(t tokens) tokens {
	for len(t.words) > 2 {
		b := t.bares[0]
		if b == "" || !leadFilter.may(b[0], secondByte(b), len(b)) {
			break
		}
		needComma, ok := leadMarkers[b]
		if !ok || needComma && !strings.HasSuffix(t.words[0], ",") {
			break
		}
		t = t.from(1)
	}
	return t
}

// annotationLen returns how many words a bracketed non-speech note such as
// "[inaudible]", "(laughs)" or "[00:01:23]" at the start of words spans, or 0.
// Upper-case placeholders such as "[EMAIL]" are speech and are kept.
func annotationLen(words []string) int {
	w := words[0]
	if !opensNote(w) {
		return 0
	}
	closer := map[byte]byte{'[': ']', '(': ')', '<': '>'}[w[0]]
	for n := 1; n <= 4 && n <= len(words); n++ {
		last := strings.TrimRight(words[n-1], ".,;:!?")
		if last == "" || last[len(last)-1] != closer {
			continue
		}
		inner := strings.Trim(strings.Join(words[:n], " "), "[]()<>.,;:!? ")
		r, _ := utf8.DecodeRuneInString(inner)
		switch {
		case inner == "":
			return n
		case w[0] == '[' && (unicode.IsLower(r) || unicode.IsDigit(r)):
			return n
		case annotations[strings.ToLower(inner)]:
			return n
		}
		return 0
	}
	return 0
}

// opensNote reports whether w opens with a bracket, as a non-speech note
// does.
func opensNote(w string) bool { return w != "" && (w[0] == '[' || w[0] == '(' || w[0] == '<') }

func endsWithPunct(w string) bool {
	r, _ := utf8.DecodeLastRuneInString(w)
	return unicode.IsPunct(r)
}

// isBackchannel reports whether words, given as their bare forms, are a
// short acknowledgement that carries nothing on its own ("Okay.", "Yeah,
// sure.", "Got it, thanks.").
func isBackchannel(bares []string) bool {
	if len(bares) > 5 {
		return false
	}
	for _, b := range bares {
		if b != "" && !backchannelSet.has(b) {
			return false
		}
	}
	return true
}
