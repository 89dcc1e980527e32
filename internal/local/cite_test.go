package local

import (
	"context"
	"strings"
	"testing"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// TestCitesTheTurnsItQuotes: from turns, every key point and action item
// cites the turn whose words it quotes, offset by FirstTurn; from text
// without turns nothing is cited.
func TestCitesTheTurnsItQuotes(t *testing.T) {
	turns := []summary.Turn{
		{Speaker: "AGENT", Role: summary.RoleAgent, Text: "Thank you for calling Acme, how can I help?"},
		{Speaker: "CUSTOMER", Role: summary.RoleCustomer, Text: "My invoice for March charged me twice for the router rental."},
		{Speaker: "AGENT", Role: summary.RoleAgent, Text: "I see the duplicate router charge. I will refund the second charge today."},
		{Speaker: "CUSTOMER", Role: summary.RoleCustomer, Text: "Thanks, that fixes it."},
	}
	for _, first := range []int{0, 7} {
		req := summary.Request{Turns: turns, FirstTurn: first, MaxLength: 50, Sections: []summary.Section{summary.SectionKeyPoints, summary.SectionActionItems}}
		res, err := New().Summarize(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.KeyPointTurns) != len(res.KeyPoints) || len(res.ActionItems) == 0 {
			t.Fatalf("key points %q cite %v; action items %+v", res.KeyPoints, res.KeyPointTurns, res.ActionItems)
		}
		check := func(claim string, ids []int) {
			if len(ids) != 1 || ids[0] < first || ids[0] >= first+len(turns) {
				t.Fatalf("%q cites %v, want one turn in [%d,%d)", claim, ids, first, first+len(turns))
			}
			words := strings.Fields(strings.ToLower(strings.TrimSuffix(claim, ".")))
			if src := strings.ToLower(turns[ids[0]-first].Text); !strings.Contains(src, words[len(words)-1]) {
				t.Errorf("%q cites turn %d, %q, which does not say it", claim, ids[0], src)
			}
		}
		for i, k := range res.KeyPoints {
			check(k, res.KeyPointTurns[i])
		}
		for _, a := range res.ActionItems {
			check(a.Description, a.Turns)
		}
	}
	res, _ := New().Summarize(context.Background(), summary.Request{Transcript: "Agent: I will refund the second charge today.", MaxLength: 50, Sections: []summary.Section{summary.SectionActionItems}})
	if len(res.ActionItems) != 1 || res.ActionItems[0].Turns != nil {
		t.Errorf("text without turns: action items %+v, want one citing nothing", res.ActionItems)
	}
}
