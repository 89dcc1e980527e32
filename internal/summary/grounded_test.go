package summary

import (
	"context"
	"fmt"
	"testing"
)

// citing is a provider that cites fixed turn ids.
type citing struct{ res Result }

func (c citing) Summarize(context.Context, Request) (Result, error) { return c.res, nil }
func (c citing) SummarizeStream(ctx context.Context, req Request) (Stream, error) {
	return StreamWhole(ctx, req, c.Summarize)
}

func TestGroundedDropsCitationsOfNoTurn(t *testing.T) {
	turns := make([]Turn, 3)
	res := func() Result {
		return Result{Summary: "s", KeyPoints: []string{"a", "b"}, KeyPointTurns: [][]int{{2, 0, 2, 3}, {-1}, {1}},
			ActionItems: []ActionItem{{Owner: OwnerAgent, Description: "d", Turns: []int{5, 1}}}}
	}
	got, err := Grounded(citing{res()}).Summarize(context.Background(), Request{Turns: turns, FirstTurn: 0})
	if err != nil {
		t.Fatal(err)
	}
	if s := fmt.Sprint(got.KeyPointTurns, got.ActionItems[0].Turns, got.DroppedCitations); s != "[[0 2] []] [1] 4" {
		t.Errorf("got %s, want [[0 2] []] [1] 4", s)
	}
	// A chunk starting at turn 2 holds turns 2..4.
	got, _ = Grounded(citing{res()}).Summarize(context.Background(), Request{Turns: turns, FirstTurn: 2})
	if s := fmt.Sprint(got.KeyPointTurns, got.ActionItems[0].Turns, got.DroppedCitations); s != "[[2 3] []] [] 5" {
		t.Errorf("chunk: got %s", s)
	}
}
