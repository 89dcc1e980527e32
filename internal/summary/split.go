package summary

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// turnStart matches a line that opens a speaker turn: "Agent:", "Customer 2:",
// "Dr. Smith:".
var turnStart = regexp.MustCompile(`(?m)^[ \t]*\p{L}[\p{L}\p{N} ._'-]{0,30}:`)

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
	for _, turn := range cutBefore(transcript, turnStart.FindAllStringIndex(transcript, -1)) {
		pieces = append(pieces, fitPieces(turn, maxTokens)...)
	}
	// Pack pieces greedily. EstimateTokens of a concatenation is at most the
	// sum of the pieces' estimates, so the sum is a safe bound.
	var chunks []string
	var cur strings.Builder
	curTokens := 0
	for _, p := range pieces {
		t := EstimateTokens(p)
		if cur.Len() > 0 && curTokens+t > maxTokens {
			chunks = append(chunks, cur.String())
			cur.Reset()
			curTokens = 0
		}
		cur.WriteString(p)
		curTokens += t
	}
	if cur.Len() > 0 {
		chunks = append(chunks, cur.String())
	}
	return chunks
}

// cutBefore cuts text before each location's start.
func cutBefore(text string, locs [][]int) []string {
	var out []string
	last := 0
	for _, loc := range locs {
		if loc[0] > last {
			out = append(out, text[last:loc[0]])
			last = loc[0]
		}
	}
	return append(out, text[last:])
}

var sentenceEnd = regexp.MustCompile(`[.!?]["')\]]*\s+`)

// fitPieces cuts text into pieces of at most maxTokens each: whole if it
// fits, else at sentence ends, else between words, else between runes.
func fitPieces(text string, maxTokens int) []string {
	if EstimateTokens(text) <= maxTokens {
		return []string{text}
	}
	var ends [][]int
	for _, loc := range sentenceEnd.FindAllStringIndex(text, -1) {
		ends = append(ends, []int{loc[1]})
	}
	sentences := cutBefore(text, ends)
	if len(sentences) > 1 {
		var out []string
		for _, s := range sentences {
			out = append(out, fitPieces(s, maxTokens)...)
		}
		return out
	}
	words := splitAfterWords(text)
	if len(words) > 1 {
		var out []string
		for _, w := range words {
			out = append(out, fitPieces(w, maxTokens)...)
		}
		return out
	}
	// One enormous word: about four bytes a token, cut at rune boundaries.
	var out []string
	size := max(4*maxTokens, utf8.UTFMax)
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

// splitAfterWords cuts text after each run of whitespace.
func splitAfterWords(text string) []string {
	var out []string
	start := 0
	for i := 0; i < len(text); i++ {
		if isSpaceByte(text[i]) && (i+1 == len(text) || !isSpaceByte(text[i+1])) {
			out = append(out, text[start:i+1])
			start = i + 1
		}
	}
	if start < len(text) {
		out = append(out, text[start:])
	}
	return out
}
