package summary

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/sync/errgroup"
)

// DefaultChunkParallel is how many chunks Chunked summarizes at once when the
// caller does not say.
const DefaultChunkParallel = 4

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

// Chunked wraps s for long transcripts: a transcript over maxTokens is split
// with SplitTurns, the chunks are summarized concurrently (at most parallel
// at once; the first failure cancels the rest), and their summaries are
// summarized once more into one Result whose Chunks says how many pieces
// there were. A transcript that fits goes to s unchanged. The result also
// implements Streamer when s does: the chunks are summarized first, and the
// combining call streams.
func Chunked(s Summarizer, maxTokens, parallel int) Summarizer {
	if parallel <= 0 {
		parallel = DefaultChunkParallel
	}
	c := chunked{next: s, maxTokens: maxTokens, parallel: parallel}
	if st, ok := s.(Streamer); ok {
		return chunkedStreamer{chunked: c, stream: st}
	}
	return c
}

type chunked struct {
	next      Summarizer
	maxTokens int
	parallel  int
}

// maxFolds bounds how many times partial summaries are themselves split and
// summarized again; past it the combining call takes them as they are.
const maxFolds = 3

func (c chunked) Summarize(ctx context.Context, req Request) (Result, error) {
	return c.summarize(ctx, req, 0)
}

func (c chunked) summarize(ctx context.Context, req Request, depth int) (Result, error) {
	chunks := SplitTurns(req.Transcript, c.maxTokens)
	if len(chunks) == 1 || depth > maxFolds {
		return c.next.Summarize(ctx, req)
	}
	parts, err := c.summarizeChunks(ctx, req, chunks)
	if err != nil {
		return Result{}, err
	}
	combine := combineRequest(req, parts)
	var res Result
	if EstimateTokens(combine.Transcript) > c.maxTokens {
		res, err = c.summarize(ctx, combine, depth+1)
	} else {
		res, err = c.next.Summarize(ctx, combine)
	}
	if err != nil {
		return Result{}, fmt.Errorf("combine %d chunk summaries: %w", len(chunks), err)
	}
	return mergeParts(res, parts, len(chunks), req), nil
}

// summarizeChunks summarizes each chunk as its own request, in order.
func (c chunked) summarizeChunks(ctx context.Context, req Request, chunks []string) ([]Result, error) {
	parts := make([]Result, len(chunks))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.parallel)
	for i, chunk := range chunks {
		g.Go(func() error {
			part := req
			part.ID = fmt.Sprintf("%s-part%d", req.ID, i+1)
			part.Transcript = chunk
			res, err := c.next.Summarize(gctx, part)
			if err != nil {
				return fmt.Errorf("summarize chunk %d of %d: %w", i+1, len(chunks), err)
			}
			parts[i] = res
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return parts, nil
}

// combineRequest is req with the chunk summaries, labelled in order, as the
// text to summarize.
func combineRequest(req Request, parts []Result) Request {
	var b strings.Builder
	for i, p := range parts {
		fmt.Fprintf(&b, "Summary of part %d of %d of the call:\n%s\n\n", i+1, len(parts), p.Summary)
	}
	combine := req
	combine.ID = req.ID + "-combine"
	combine.Transcript = b.String()
	return combine
}

// mergeParts completes the combining call's result: usage of every call,
// the number of chunks, and key points and action items gathered from the
// chunks (where the detail is), without duplicates.
func mergeParts(res Result, parts []Result, chunks int, req Request) Result {
	for _, p := range parts {
		res.Usage = res.Usage.Add(p.Usage)
	}
	res.Chunks = chunks
	if req.Wants(SectionKeyPoints) {
		var points []string
		seen := map[string]bool{}
		for _, p := range parts {
			for _, k := range p.KeyPoints {
				if key := strings.ToLower(strings.TrimSpace(k)); !seen[key] {
					seen[key] = true
					points = append(points, k)
				}
			}
		}
		res.KeyPoints = points
	}
	if req.Wants(SectionActionItems) {
		var items []ActionItem
		seen := map[ActionItem]bool{}
		for _, p := range parts {
			for _, a := range p.ActionItems {
				if !seen[a] {
					seen[a] = true
					items = append(items, a)
				}
			}
		}
		res.ActionItems = items
	}
	return res
}

type chunkedStreamer struct {
	chunked
	stream Streamer
}

func (c chunkedStreamer) SummarizeStream(ctx context.Context, req Request) (Stream, error) {
	chunks := SplitTurns(req.Transcript, c.maxTokens)
	if len(chunks) == 1 {
		return c.stream.SummarizeStream(ctx, req)
	}
	parts, err := c.summarizeChunks(ctx, req, chunks)
	if err != nil {
		return nil, err
	}
	combine := combineRequest(req, parts)
	for fold := 0; fold < maxFolds && EstimateTokens(combine.Transcript) > c.maxTokens; fold++ {
		// Fold the partial summaries down until one call can take them.
		sub := SplitTurns(combine.Transcript, c.maxTokens)
		more, err := c.summarizeChunks(ctx, combine, sub)
		if err != nil {
			return nil, err
		}
		parts = append(parts, more...)
		combine = combineRequest(req, more)
	}
	st, err := c.stream.SummarizeStream(ctx, combine)
	if err != nil {
		return nil, fmt.Errorf("combine %d chunk summaries: %w", len(chunks), err)
	}
	// Start from the first part: Add knows the cost only when both sides
	// do, and an empty Usage has none.
	usage := parts[0].Usage
	for _, p := range parts[1:] {
		usage = usage.Add(p.Usage)
	}
	return &chunkedStream{Stream: st, usage: usage, chunks: len(chunks)}, nil
}

// chunkedStream adds the chunks' usage and count to the combining stream's
// result.
type chunkedStream struct {
	Stream
	usage  Usage
	chunks int
}

func (s *chunkedStream) Result() Result {
	res := s.Stream.Result()
	res.Usage = res.Usage.Add(s.usage)
	res.Chunks = s.chunks
	return res
}
