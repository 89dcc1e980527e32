package summary

import "strings"

// turnChunk is a run of consecutive turns of a call, first being the index
// of turns[0] in the whole call.
type turnChunk struct {
	first int
	turns []Turn
}

// labelTokens is what a turn's number and speaker add to its text in a
// prompt (writeLabel), a bound rather than a count.
const labelTokens = 12

// turnTokens bounds the tokens of turn t in a prompt: its text's estimate
// and its label.
func turnTokens(t Turn) int { return EstimateTokens(t.Text) + labelTokens }

// chunkTurns splits a call's turns into runs of at most maxTokens tokens
// each (turnTokens), between turns. A turn too long on its own is cut, with
// appendCut, into chunks of
// one piece each that keep its index, so that a citation of any piece names
// the turn. With maxTokens <= 0 or turns that fit, it returns one chunk.
func chunkTurns(turns []Turn, first, maxTokens int) []turnChunk {
	total, sizes := 0, make([]int, len(turns))
	for i, t := range turns {
		// A turn whose length alone is over the budget is cut whatever
		// its words: its words need not be counted to know it.
		if sizes[i] = lengthTokens(len(t.Text)) + labelTokens; maxTokens <= 0 || sizes[i] <= maxTokens {
			sizes[i] = turnTokens(t)
		}
		total += sizes[i]
	}
	if maxTokens <= 0 || total <= maxTokens {
		return []turnChunk{{first: first, turns: turns}}
	}
	var out []turnChunk
	start, size := 0, 0
	flush := func(end int) {
		if end > start {
			out = append(out, turnChunk{first: first + start, turns: turns[start:end]})
		}
		start, size = end, 0
	}
	for i, t := range turns {
		n := sizes[i]
		if n > maxTokens {
			flush(i)
			for _, piece := range appendCut(nil, t.Text, max(maxTokens-labelTokens, 1)) {
				cut := t
				// A piece ends after the space it was cut at; trimmed, it
				// is written as it is, not respaced (NumberedPieces).
				cut.Text = strings.TrimSpace(piece)
				out = append(out, turnChunk{first: first + i, turns: []Turn{cut}})
			}
			start = i + 1
			continue
		}
		if size+n > maxTokens {
			flush(i)
		}
		size += n
	}
	flush(len(turns))
	return out
}
