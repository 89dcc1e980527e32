package summary

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// turnLabel matches the label that opens a speaker turn, after any
// indentation: "Agent:", "Customer 2:", "Dr. Smith:". turnStarts tries it at
// line starts only, on at most turnLabelBytes, so that finding turns costs
// one pass over the text and not a regexp search through it.
var turnLabel = regexp.MustCompile(`^\p{L}[\p{L}\p{N} ._'-]{0,30}:`)

// turnLabelBytes is the longest turnLabel match: 31 runes and the colon.
const turnLabelBytes = 31*utf8.UTFMax + 1

// turnStarts returns the offsets of the lines of text that open a speaker
// turn (a turnLabel after spaces or tabs).
func turnStarts(text string) []int {
	var out []int
	for line := 0; line < len(text); {
		j := line
		for j < len(text) && (text[j] == ' ' || text[j] == '\t') {
			j++
		}
		if turnLabel.MatchString(text[j:min(j+turnLabelBytes, len(text))]) {
			out = append(out, line)
		}
		next := strings.IndexByte(text[line:], '\n')
		if next < 0 {
			break
		}
		line += next + 1
	}
	return out
}

// SplitTurns splits transcript into chunks of at most maxTokens tokens each
// (by EstimateTokens), cutting between speaker turns (lines that start with a
// "Label:"). A turn too long on its own is cut at sentence ends, then between
// words. Concatenated, the chunks give back the transcript. With maxTokens <=
// 0 or a transcript that fits, it returns the transcript whole.
func SplitTurns(transcript string, maxTokens int) []string {
	if maxTokens <= 0 || EstimateTokens(transcript) <= maxTokens {
		return []string{transcript}
	}
	var pieces []string
	for _, turn := range cutBefore(transcript, turnStarts(transcript)) {
		pieces = appendFit(pieces, turn, maxTokens)
	}
	// Pack pieces greedily. EstimateTokens of a concatenation is at most the
	// sum of the pieces' estimates, so the sum is a safe bound. The pieces
	// are consecutive pieces of transcript, so a chunk is a substring of it,
	// not a copy.
	var chunks []string
	start, end, curTokens := 0, 0, 0
	for _, p := range pieces {
		t := EstimateTokens(p)
		if end > start && curTokens+t > maxTokens {
			chunks = append(chunks, transcript[start:end])
			start, curTokens = end, 0
		}
		end += len(p)
		curTokens += t
	}
	if end > start {
		chunks = append(chunks, transcript[start:end])
	}
	return chunks
}

// cutBefore cuts text before each offset.
func cutBefore(text string, offsets []int) []string {
	var out []string
	last := 0
	for _, o := range offsets {
		if o > last {
			out = append(out, text[last:o])
			last = o
		}
	}
	return append(out, text[last:])
}

// sentenceEnds returns the offsets just after each sentence end in text: a
// '.', '!' or '?', any closing quotes or brackets, and whitespace.
func sentenceEnds(text string) []int {
	var out []int
	next := [3]int{-1, -1, -1} // the next '.', '!' and '?' at or after i, or len(text)
	for i := 0; i < len(text); i++ {
		// Found with IndexByte, which skips text far faster than a loop.
		at := len(text)
		for k, c := range [3]byte{'.', '!', '?'} {
			if next[k] < i {
				next[k] = len(text)
				if n := strings.IndexByte(text[i:], c); n >= 0 {
					next[k] = i + n
				}
			}
			at = min(at, next[k])
		}
		if i = at; i == len(text) {
			break
		}
		j := i + 1
		for j < len(text) && strings.IndexByte(`"')]`, text[j]) >= 0 {
			j++
		}
		k := j
		for k < len(text) && isRegexpSpace(text[k]) {
			k++
		}
		if k > j {
			out = append(out, k)
			i = k - 1
		}
	}
	return out
}

// isRegexpSpace is \s as Go's regexp has it.
func isRegexpSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// appendFit appends text to out cut into pieces of at most maxTokens each:
// whole if it fits, else at sentence ends, else between words, else between
// runes.
func appendFit(out []string, text string, maxTokens int) []string {
	if EstimateTokens(text) <= maxTokens {
		return append(out, text)
	}
	return appendCut(out, text, maxTokens)
}

// appendCut is appendFit for text known not to fit.
func appendCut(out []string, text string, maxTokens int) []string {
	if sentences := cutBefore(text, sentenceEnds(text)); len(sentences) > 1 {
		for _, s := range sentences {
			out = appendFit(out, s, maxTokens)
		}
		return out
	}
	if pieces, ok := cutByBytes(text, maxTokens); ok {
		return append(out, pieces...)
	}
	if first, _ := wordEnd(text, 0); first < len(text) {
		// Runs of words that fit go as one piece: a piece per word would be
		// tens of thousands of strings for a transcript without sentences.
		// The words are walked in place, not collected.
		start, end, tokens := 0, 0, 0
		for end < len(text) {
			next, plain := wordEnd(text, end)
			w := text[end:next]
			// A word with no byte that may open a space is one word: its
			// estimate is its length's, without a second pass over it.
			t := lengthTokens(len(w))
			if !plain {
				t = EstimateTokens(w)
			}
			if end > start && tokens+t > maxTokens {
				out = append(out, text[start:end])
				start, tokens = end, 0
			}
			if t > maxTokens {
				out = appendFit(out, w, maxTokens)
				start, end = end+len(w), end+len(w)
				continue
			}
			end += len(w)
			tokens += t
		}
		if end > start {
			out = append(out, text[start:end])
		}
		return out
	}
	// One enormous word: bytesPerToken a token, cut at rune boundaries.
	size := max(bytesPerToken*maxTokens, utf8.UTFMax)
	for len(text) > 0 {
		n := min(size, len(text))
		for n < len(text) && !utf8.RuneStart(text[n]) {
			n--
		}
		out = append(out, text[:n])
		text = text[n:]
	}
	return out
}

// cutByBytes cuts text between words into pieces as long as four bytes a
// token allows, each checked once with EstimateTokens, so that a long text
// of ordinary words costs a pass per piece and not a walk word by word. It
// reports false, for appendCut's word walk, when a piece so cut has too
// many words for its length or no whitespace to be cut at.
func cutByBytes(text string, maxTokens int) ([]string, bool) {
	var out []string
	for len(text) > 0 {
		end := len(text)
		if bytesPerToken*maxTokens < end {
			end = strings.LastIndexAny(text[:bytesPerToken*maxTokens], " \t\n\r") + 1
			if end == 0 {
				return nil, false
			}
		}
		if EstimateTokens(text[:end]) > maxTokens {
			return nil, false
		}
		out = append(out, text[:end])
		text = text[end:]
	}
	return out, true
}

// wordEnd is the end of the word of text that starts at i: just after the
// run of whitespace that follows it, or the end of text. plain reports that
// no byte of it could open a space countWords counts and the cut does not
// (\v, \f, or a non-ASCII space), so that it is one word at most.
func wordEnd(text string, i int) (end int, plain bool) {
	plain = true
	for ; i < len(text); i++ {
		c := text[i]
		if isSpaceByte(c) && (i+1 == len(text) || !isSpaceByte(text[i+1])) {
			return i + 1, plain
		}
		if byteSpace[c] != notSpace && !isSpaceByte(c) { // \v, \f, a lead byte
			plain = false
		}
	}
	return len(text), plain
}
