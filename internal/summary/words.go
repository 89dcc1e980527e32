package summary

import (
	"math/bits"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/llm-testing/llm-testing/internal/swar"
)

// bulletMarkers are the tokens that open a bullet line and are not words.
var bulletMarkers = map[string]bool{"-": true, "*": true, "•": true, "–": true}

// bulletOpeners marks the first bytes of the bullet markers, so that most
// lines need no lookup.
var bulletOpeners = func() (is [256]bool) {
	for m := range bulletMarkers {
		is[m[0]] = true
	}
	return is
}()

// isBulletMarkerRune reports whether r alone is a bullet marker.
func isBulletMarkerRune(r rune) bool { return bulletMarkers[string(r)] }

// CountWords counts the words of a summary as the API defines them:
// whitespace-separated tokens, not counting a bullet marker that opens a line.
// It builds nothing, so that the local summarizer can count every sentence.
func CountWords(text string) int {
	n := countWords(text)
	for line := range strings.SplitSeq(text, "\n") {
		if t := firstToken(line); t != "" && bulletOpeners[t[0]] && bulletMarkers[t] {
			n--
		}
	}
	return n
}

// firstToken is the first whitespace-separated token of line, or "".
func firstToken(line string) string {
	i := 0
	for i < len(line) {
		size, space := spaceAt(line, i)
		if !space {
			break
		}
		i += size
	}
	j := i
	for j < len(line) {
		size, space := spaceAt(line, j)
		if space {
			break
		}
		j += size
	}
	return line[i:j]
}

// spaceAt returns the size of the rune at text[i] and whether it is a space
// (unicode.IsSpace).
func spaceAt(text string, i int) (size int, space bool) {
	if k := byteSpace[text[i]]; k != maybeSpace {
		return 1, k == isSpace
	}
	return decodeSpace(text, i)
}

// decodeSpace returns the size of the rune at text[i] and whether it is a
// space (unicode.IsSpace).
func decodeSpace(text string, i int) (size int, space bool) {
	r, size := utf8.DecodeRuneInString(text[i:])
	return size, unicode.IsSpace(r)
}

// The kinds of byte in byteSpace. Only a few lead bytes can open a
// non-ASCII space (U+0085, U+00A0, U+1680, U+2000-U+3000), so other bytes
// are stepped over without decoding: a continuation byte is never one of
// them.
const (
	notSpace = iota
	isSpace
	maybeSpace // the lead byte of a rune that may be a space: decode it
)

// ASCIISpaces are the ASCII bytes unicode.IsSpace reports: the spaces
// words are counted between, here and in the embedded summarizer.
const ASCIISpaces = " \t\n\v\f\r"

// spaceLeads are the lead bytes of the non-ASCII spaces.
const spaceLeads = "\xC2\xE1\xE2\xE3"

var byteSpace = func() (k [256]uint8) {
	for _, c := range []byte(ASCIISpaces) {
		k[c] = isSpace
	}
	for _, c := range []byte(spaceLeads) {
		k[c] = maybeSpace
	}
	return k
}()

// wordLimit holds streamed text to a number of words as CountWords counts
// them, counting as the text arrives, in one pass over each piece. It keeps
// counting past the limit, so that words gives what the provider wrote. Each
// piece must be whole UTF-8, as stream deltas are.
type wordLimit struct {
	max       int
	count     int  // words so far, a bullet marker included until its token ends
	inWord    bool // the text so far ends inside a token
	lineStart bool // the current token is the first of its line
	token     []byte
	cut       bool // text has been held back
}

func newWordLimit(max int) *wordLimit { return &wordLimit{max: max, lineStart: true} }

// take returns the part of text that fits within the limit.
func (l *wordLimit) take(text string) string {
	kept := len(text)
	if l.cut {
		kept = 0
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) {
			l.endToken(r == '\n')
		} else {
			if !l.inWord {
				if l.count >= l.max && !l.cut {
					l.cut, kept = true, i
				}
				l.count++
				l.inWord = true
			}
			if l.lineStart && len(l.token) < 4 {
				l.token = append(l.token, text[i:i+size]...)
			}
		}
		i += size
	}
	if kept < len(text) {
		return strings.TrimRightFunc(text[:kept], unicode.IsSpace)
	}
	return text
}

// endToken notes a space, a newline when newline is set.
func (l *wordLimit) endToken(newline bool) {
	if l.inWord && l.lineStart && bulletMarkers[string(l.token)] {
		l.count-- // a bullet marker is not a word
	}
	if l.inWord {
		l.lineStart = false
	}
	l.inWord = false
	l.token = l.token[:0]
	if newline {
		l.lineStart = true
	}
}

// words is how many words the text taken so far had, held back or not.
func (l *wordLimit) words() int {
	if l.inWord && l.lineStart && bulletMarkers[string(l.token)] {
		return l.count - 1
	}
	return l.count
}

// Enforce returns text cut to at most maxWords words (CountWords), and whether
// it had to cut. It cuts at the last sentence end that fits when there is one
// in the kept words; otherwise at a word boundary, ending with "…". In bullet
// text whole lines are kept while they fit, then the next one is cut the same
// way.
func Enforce(text string, maxWords int, format Format) (string, bool) {
	text = strings.TrimSpace(text)
	if CountWords(text) <= maxWords {
		return text, false
	}
	if maxWords <= 0 {
		return "", true
	}
	if format == FormatBullets {
		var out []string
		left := maxWords
		for line := range strings.SplitSeq(text, "\n") {
			fields := strings.Fields(line)
			marker := ""
			if len(fields) > 0 && bulletMarkers[fields[0]] {
				marker, fields = fields[0], fields[1:]
			}
			if len(fields) == 0 {
				continue
			}
			if len(fields) <= left {
				out = append(out, joinLine(marker, fields))
				left -= len(fields)
				continue
			}
			if left >= 3 {
				out = append(out, joinLine(marker, cutWords(fields, left)))
			}
			break
		}
		return strings.Join(out, "\n"), true
	}
	fields := strings.Fields(text)
	return strings.Join(cutWords(fields, maxWords), " "), true
}

func joinLine(marker string, fields []string) string {
	if marker == "" {
		return strings.Join(fields, " ")
	}
	return marker + " " + strings.Join(fields, " ")
}

// cutWords keeps at most n of fields, preferring to end on a sentence end
// found in the back half of the kept words.
func cutWords(fields []string, n int) []string {
	kept := fields[:n]
	for i := len(kept) - 1; i >= len(kept)/2; i-- {
		if endsSentence(kept[i]) {
			return kept[:i+1]
		}
	}
	out := append([]string(nil), kept...)
	last := strings.TrimRightFunc(out[len(out)-1], func(r rune) bool {
		return unicode.IsPunct(r) && r != ')' && r != '"'
	})
	if last == "" {
		last = out[len(out)-1]
	}
	out[len(out)-1] = last + "…"
	return out
}

func endsSentence(word string) bool {
	word = strings.TrimRight(word, `"')]”’`)
	return strings.HasSuffix(word, ".") || strings.HasSuffix(word, "!") || strings.HasSuffix(word, "?")
}

// Layout joins points into summary text in the given format: one "- " line
// each for bullets, or one paragraph.
func Layout(points []string, format Format) string {
	var b strings.Builder
	for i, p := range points {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if format == FormatBullets {
			if i > 0 && b.Len() > 0 {
				b.WriteByte('\n')
			}
			b.WriteString("- ")
		} else if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(p)
	}
	return b.String()
}

// bytesPerToken is what EstimateTokens counts a token by its length: about
// four characters (bytes) a token.
const bytesPerToken = 4

// lengthTokens is the tokens n bytes of text make by their length alone,
// rounded up: EstimateTokens's estimate where words are not more.
func lengthTokens(n int) int { return (n + bytesPerToken - 1) / bytesPerToken }

// EstimateTokens estimates the tokens of text for a Claude-like tokenizer:
// about four characters a token (lengthTokens), never less than one per
// word.
func EstimateTokens(text string) int {
	t := lengthTokens(len(text))
	if len(text) >= boundBytes && spaceBound(text) <= t { // so words <= t: no need to count them
		return t
	}
	return max(t, countWords(text))
}

// boundBytes is the length from which spaceBound's counts, a fixed cost of
// some 300 ns, are cheaper than countWords's walk, about 1 ns a byte.
const boundBytes = 512

// spaceBound bounds the words of text: one more than the bytes that could
// start a space, counted a kind at a time with a vectorised count, which is
// cheaper than countWords's walk. A word ends at a space or the end.
func spaceBound(text string) int {
	n := 1
	for i := range len(ASCIISpaces) {
		n += strings.Count(text, ASCIISpaces[i:i+1])
	}
	for i := range len(spaceLeads) {
		n += strings.Count(text, spaceLeads[i:i+1])
	}
	return n
}

// countWords is len(strings.Fields(text)) without building the slice: it
// runs on every piece of a long transcript as it is split. A word starts at
// each byte of a word after one that is not. Eight bytes of ASCII are read
// at once (asciiWordStarts); only a byte that may open a non-ASCII space
// costs a branch.
func countWords(text string) int {
	n, prev := 0, 0 // prev is 1 when the byte before was in a word
	for i := 0; i < len(text); {
		for ; i+8 <= len(text); i += 8 {
			x := swar.Load(text, i)
			if x&swar.High != 0 {
				break
			}
			starts, last := asciiWordStarts(x, prev)
			n, prev = n+bits.OnesCount64(starts), last
		}
		if i == len(text) {
			break
		}
		k, size := byteSpace[text[i]], 1
		if k == maybeSpace {
			var space bool
			if size, space = decodeSpace(text, i); space {
				k = isSpace
			} else {
				k = notSpace
			}
		}
		in := int(1 - k) // notSpace is 0, isSpace 1
		n += in &^ prev
		prev, i = in, i+size
	}
	return n
}

// asciiWordStarts marks, by its high bit, each byte of x, eight ASCII
// bytes, that starts a word: one that is not a space (" \t\n\v\f\r") after
// one that is, or first when prev is 0. last is 1 when x's last byte is in
// a word.
func asciiWordStarts(x uint64, prev int) (starts uint64, last int) {
	t := x ^ (' ' * swar.Ones) // a zero byte where x has a blank
	blank := ^((t + 0x7f*swar.Ones) | t) & swar.High
	in := ^(blank | swar.Between(x, '\t', '\r')) & swar.High
	return in &^ (in<<8 | uint64(prev)<<7), int(in >> 63)
}

// singleSpaced reports whether text is its words joined by single spaces,
// as strings.Join(strings.Fields(text), " ") would give it back: no space
// but ' ', none at either end and no two together. Each kind of space is
// looked for with a vectorised search rather than byte by byte; a non-ASCII
// one can only start at a maybeSpace byte.
func singleSpaced(text string) bool {
	if text == "" {
		return true
	}
	if text[0] == ' ' || text[len(text)-1] == ' ' || strings.Contains(text, "  ") {
		return false
	}
	for _, c := range []byte(ASCIISpaces[1:]) { // ' ' is checked above
		if strings.IndexByte(text, c) >= 0 {
			return false
		}
	}
	for _, c := range []byte(spaceLeads) {
		for i := strings.IndexByte(text, c); i >= 0; {
			if _, space := decodeSpace(text, i); space {
				return false
			}
			j := strings.IndexByte(text[i+1:], c)
			if j < 0 {
				break
			}
			i += 1 + j
		}
	}
	return true
}

// writeFields writes text's words to b joined by single spaces, as
// strings.Join(strings.Fields(text), " ") without building either.
func writeFields(b *strings.Builder, text string) {
	if singleSpaced(text) {
		b.WriteString(text)
		return
	}
	start, first := -1, true
	for i := 0; i <= len(text); {
		space, size := true, 1
		if i < len(text) {
			size, space = spaceAt(text, i)
		}
		switch {
		case !space && start < 0:
			start = i
		case space && start >= 0:
			if !first {
				b.WriteByte(' ')
			}
			b.WriteString(text[start:i])
			start, first = -1, false
		}
		i += size
	}
}
