package summary

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"
)

// Chunked wraps s for long transcripts: a transcript over maxTokens is split
// with SplitTurns, the chunks are summarized concurrently (at most parallel
// at once, at least one; the first failure cancels the rest), and their
// summaries are summarized once more, whole or streamed, into one Result
// whose Chunks says how many pieces there were. Partial summaries too long
// for one call are folded the same way first. A transcript that fits goes
// to s unchanged.
func Chunked(s Summarizer, maxTokens, parallel int) Summarizer {
	return chunked{next: s, maxTokens: maxTokens, parallel: max(parallel, 1)}
}

type chunked struct {
	next      Summarizer
	maxTokens int
	parallel  int
}

// maxFolds bounds how many times partial summaries are themselves split and
// summarized again; past it the combining call takes them as they are.
const maxFolds = 3

// plan is a long transcript summarized in chunks, ready for the combining
// call.
type plan struct {
	combine Request  // the chunk summaries, labelled, as one request
	parts   []Result // the first chunks' summaries, in order
	usage   Usage    // of every call so far, folds included
	chunks  int
}

// Summarize implements Summarizer.
func (c chunked) Summarize(ctx context.Context, req Request) (Result, error) {
	p, err := c.prepare(ctx, req)
	switch {
	case err != nil:
		return Result{}, err
	case p == nil:
		return c.next.Summarize(ctx, req)
	}
	res, err := c.next.Summarize(ctx, p.combine)
	if err != nil {
		return Result{}, fmt.Errorf("combine %d chunk summaries: %w", p.chunks, err)
	}
	return p.merge(res, req), nil
}

// SummarizeStream implements Summarizer: the chunks are summarized first,
// and the combining call streams.
func (c chunked) SummarizeStream(ctx context.Context, req Request) (Stream, error) {
	p, err := c.prepare(ctx, req)
	switch {
	case err != nil:
		return nil, err
	case p == nil:
		return c.next.SummarizeStream(ctx, req)
	}
	st, err := c.next.SummarizeStream(ctx, p.combine)
	if err != nil {
		return nil, fmt.Errorf("combine %d chunk summaries: %w", p.chunks, err)
	}
	return &chunkedStream{Stream: st, plan: p, req: req}, nil
}

// prepare summarizes the chunks of a transcript that does not fit in one
// call, and folds their summaries down until one call can take them. It
// returns nil for a transcript that fits.
func (c chunked) prepare(ctx context.Context, req Request) (*plan, error) {
	chunks := splitRequest(req, c.maxTokens)
	if len(chunks) == 1 {
		return nil, nil
	}
	parts, err := c.summarizeChunks(ctx, req, chunks)
	if err != nil {
		return nil, err
	}
	p := &plan{combine: combineRequest(req, parts), parts: parts, chunks: len(chunks), usage: sumUsage(parts)}
	for fold := 0; fold < maxFolds && EstimateTokens(p.combine.Transcript) > c.maxTokens; fold++ {
		more, err := c.summarizeChunks(ctx, p.combine, splitRequest(p.combine, c.maxTokens))
		if err != nil {
			return nil, err
		}
		p.usage = p.usage.Add(sumUsage(more))
		p.combine = combineRequest(req, more)
	}
	return p, nil
}

// splitRequest cuts req into the requests of its chunks: at turns when it
// has turns (chunkTurns), else its text at speaker labels (SplitTurns).
func splitRequest(req Request, maxTokens int) []Request {
	var out []Request
	if req.Turns != nil {
		for _, ch := range chunkTurns(req.Turns, req.FirstTurn, maxTokens) {
			part := req
			// A chunk's text is its turns: a copy as text would hold the
			// call twice.
			part.Turns, part.FirstTurn, part.Transcript = ch.turns, ch.first, ""
			out = append(out, part)
		}
		return out
	}
	for _, text := range SplitTurns(req.Transcript, maxTokens) {
		part := req
		part.Transcript = text
		out = append(out, part)
	}
	return out
}

// sumUsage adds up the usage of parts. It starts from the first: Add knows
// the cost only when both sides do, and an empty Usage has none.
func sumUsage(parts []Result) Usage {
	u := parts[0].Usage
	for _, p := range parts[1:] {
		u = u.Add(p.Usage)
	}
	return u
}

// summarizeChunks summarizes each chunk as its own request, in order.
func (c chunked) summarizeChunks(ctx context.Context, req Request, chunks []Request) ([]Result, error) {
	parts := make([]Result, len(chunks))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.parallel)
	for i, chunk := range chunks {
		g.Go(func() error {
			part := chunk
			part.ID = fmt.Sprintf("%s-part%d", req.ID, i+1)
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
	combine.Turns, combine.FirstTurn = nil, 0 // summaries cite no turn
	return combine
}

// merge completes the combining call's result: usage of every call, the
// number of chunks, and key points and action items gathered from the
// chunks (where the detail is), without duplicates.
func (p *plan) merge(res Result, req Request) Result {
	res.Usage = res.Usage.Add(p.usage)
	res.Chunks = p.chunks
	// The combining call's sections are replaced by the chunks', and so
	// are its citations (of summaries, not turns).
	res.DroppedCitations = 0
	for _, part := range p.parts {
		res.DroppedCitations += part.DroppedCitations
	}
	if req.Wants(SectionKeyPoints) {
		res.KeyPoints, res.KeyPointTurns = nil, nil
		at := map[string]int{}
		for _, part := range p.parts {
			for i, k := range part.KeyPoints {
				var cited []int
				if i < len(part.KeyPointTurns) {
					cited = part.KeyPointTurns[i]
				}
				key := strings.ToLower(strings.TrimSpace(k))
				if j, ok := at[key]; ok {
					res.KeyPointTurns[j] = union(res.KeyPointTurns[j], cited)
					continue
				}
				at[key] = len(res.KeyPoints)
				res.KeyPoints = append(res.KeyPoints, k)
				res.KeyPointTurns = append(res.KeyPointTurns, slices.Clone(cited))
			}
		}
	}
	if req.Wants(SectionActionItems) {
		var items []ActionItem
		at := map[[2]string]int{}
		for _, part := range p.parts {
			for _, a := range part.ActionItems {
				key := [2]string{string(a.Owner), a.Description}
				if j, ok := at[key]; ok {
					items[j].Turns = union(items[j].Turns, a.Turns)
					continue
				}
				at[key] = len(items)
				a.Turns = slices.Clone(a.Turns)
				items = append(items, a)
			}
		}
		res.ActionItems = items
	}
	return res
}

// union is the sorted indices in a or b, each once.
func union(a, b []int) []int {
	out := slices.Concat(a, b)
	slices.Sort(out)
	return slices.Compact(out)
}

// chunkedStream completes the combining stream's result as merge does.
type chunkedStream struct {
	Stream
	plan *plan
	req  Request
}

func (s *chunkedStream) Result() Result { return s.plan.merge(s.Stream.Result(), s.req) }
