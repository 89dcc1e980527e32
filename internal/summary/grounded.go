package summary

import (
	"context"
	"slices"
)

// Grounded wraps a provider so that every turn index its result cites names
// a turn of the request it was given: an index outside [FirstTurn,
// FirstTurn+len(Turns)) is dropped and counted in DroppedCitations, never
// passed on. The surviving indices of each claim are sorted and unique.
// KeyPointTurns is made to parallel KeyPoints.
func Grounded(s Summarizer) Summarizer { return grounded{next: s} }

type grounded struct{ next Summarizer }

// Summarize implements Summarizer.
func (g grounded) Summarize(ctx context.Context, req Request) (Result, error) {
	res, err := g.next.Summarize(ctx, req)
	if err != nil {
		return res, err
	}
	ground(&res, req)
	return res, nil
}

// SummarizeStream implements Summarizer: the finished result is grounded.
func (g grounded) SummarizeStream(ctx context.Context, req Request) (Stream, error) {
	st, err := g.next.SummarizeStream(ctx, req)
	if err != nil {
		return nil, err
	}
	return groundedStream{Stream: st, req: req}, nil
}

type groundedStream struct {
	Stream
	req Request
}

func (s groundedStream) Result() Result {
	res := s.Stream.Result()
	ground(&res, s.req)
	return res
}

// ground drops res's citations that name no turn of req.
func ground(res *Result, req Request) {
	lo, hi := req.FirstTurn, req.FirstTurn+len(req.Turns)
	dropped := 0
	keep := func(ids []int) []int {
		if len(ids) == 0 {
			return nil
		}
		out := make([]int, 0, len(ids))
		for _, id := range ids {
			if id < lo || id >= hi {
				dropped++
				continue
			}
			out = append(out, id)
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	if len(res.KeyPointTurns) > 0 || len(res.KeyPoints) > 0 {
		turns := make([][]int, len(res.KeyPoints))
		for i, ids := range res.KeyPointTurns {
			if i < len(turns) {
				turns[i] = keep(ids)
			} else {
				dropped += len(ids) // a citation of no key point at all
			}
		}
		res.KeyPointTurns = turns
	}
	for i := range res.ActionItems {
		res.ActionItems[i].Turns = keep(res.ActionItems[i].Turns)
	}
	res.DroppedCitations += dropped
}
