package eval

import (
	"context"
	"slices"
	"testing"

	"github.com/llm-testing/llm-testing/internal/summary"
)

func TestCheckCitations(t *testing.T) {
	turns := []summary.Turn{
		{Speaker: "Maria", Role: summary.RoleAgent, Text: "Thanks for calling Acme, this is Maria."},
		{Speaker: "Sam", Role: summary.RoleCustomer, Text: "I was charged twice for my March bill."},
		{Speaker: "Maria", Role: summary.RoleAgent, Text: "I will refund the duplicate charge today."},
	}
	tests := []struct {
		name        string
		keyPoints   []string
		kpTurns     [][]int
		items       []summary.ActionItem
		cited, supp int
		unsupported []string
	}{
		{name: "nothing cited", keyPoints: []string{"Sam was charged twice."}, kpTurns: [][]int{nil}},
		{name: "key point on its turn", keyPoints: []string{"The customer was charged twice for March."}, kpTurns: [][]int{{1}}, cited: 1, supp: 1},
		{name: "case and punctuation do not matter", keyPoints: []string{"BILL!"}, kpTurns: [][]int{{1}}, cited: 1, supp: 1},
		{name: "key point on the wrong turn", keyPoints: []string{"The customer was charged twice."}, kpTurns: [][]int{{0}},
			cited: 1, unsupported: []string{"turn 0: The customer was charged twice."}},
		{name: "only stop words and short words shared", keyPoints: []string{"The agent will do this today for the customer."}, kpTurns: [][]int{{2}},
			cited: 1, unsupported: []string{"turn 2: The agent will do this today for the customer."}},
		{name: "a turn that does not exist", keyPoints: []string{"Refund."}, kpTurns: [][]int{{7}},
			cited: 1, unsupported: []string{"turn 7: Refund."}},
		{name: "action items, some turns hold up", items: []summary.ActionItem{
			{Owner: summary.OwnerAgent, Description: "Refund the duplicate charge for March.", Turns: []int{1, 2}},
			{Owner: summary.OwnerAgent, Description: "Send an email confirmation.", Turns: []int{2}}},
			cited: 3, supp: 2, unsupported: []string{"turn 2: Send an email confirmation."}},
		{name: "key points without citations past the list", keyPoints: []string{"Charged twice.", "Refund today."}, kpTurns: [][]int{{1}}, cited: 1, supp: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := CheckCitations(turns, tt.keyPoints, tt.kpTurns, tt.items)
			if got, want := c.Cited, tt.cited; got != want {
				t.Errorf("cited %d, want %d", got, want)
			}
			if got, want := c.Supported, tt.supp; got != want {
				t.Errorf("supported %d, want %d", got, want)
			}
			if !slices.Equal(c.Unsupported, tt.unsupported) {
				t.Errorf("unsupported %q, want %q", c.Unsupported, tt.unsupported)
			}
		})
	}
}

func TestCitationValidityAggregate(t *testing.T) {
	cite := func(cited, supported int) ItemResult {
		return ItemResult{Scores: Scores{NoReference: true}, Citations: &Citations{Cited: cited, Supported: supported}}
	}
	tests := []struct {
		name    string
		results []ItemResult
		want    float64
		ok      bool
		citing  int
	}{
		{name: "nothing cited is n/a", results: []ItemResult{{ID: "a"}, {ID: "b"}}},
		{name: "mean over the items that cite", results: []ItemResult{cite(4, 4), cite(2, 1), {ID: "none"}}, want: 0.75, ok: true, citing: 2},
		{name: "invented grounding", results: []ItemResult{cite(3, 0)}, want: 0, ok: true, citing: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := AggregateOf(tt.results)
			v, ok := a.Value("citationValidity")
			if ok != tt.ok || v != tt.want {
				t.Errorf("citationValidity = %v, %v; want %v, %v", v, ok, tt.want, tt.ok)
			}
			if a.CitingItems != tt.citing {
				t.Errorf("citingItems = %d, want %d", a.CitingItems, tt.citing)
			}
			if got := formatValue("citationValidity", v, ok); !ok && got != "n/a" {
				t.Errorf("shown as %q, want n/a", got)
			}
		})
	}
	thresholds, err := ParseGate("citationValidity>=0.9")
	if err != nil {
		t.Fatal(err)
	}
	if g := ApplyGate(thresholds, AggregateOf([]ItemResult{cite(2, 1)}), nil); g.Passed {
		t.Errorf("gate citationValidity>=0.9 passed on 0.5: %+v", g)
	}
	if g := ApplyGate(thresholds, AggregateOf([]ItemResult{{ID: "a"}}), nil); g.Passed {
		t.Errorf("gate citationValidity>=0.9 passed with nothing cited: %+v", g)
	}
}

// TestEvaluateCitations runs a provider inside the pipeline on a call sent
// as turns, and checks its citations reach the run's citation validity:
// honest grounding scores 1, a key point pinned on the wrong turn 0.
func TestEvaluateCitations(t *testing.T) {
	it := Item{ID: "turns", Must: [][]string{{"refund"}}, Options: Options{Sections: []string{"keyPoints", "actionItems"}},
		Turns: []Turn{{Speaker: "Dana", Role: "agent", Text: "Thanks for calling, how can I help?"},
			{Speaker: "Sam", Role: "customer", Text: "I was charged twice for March."},
			{Speaker: "Dana", Role: "agent", Text: "I will refund the second charge today."}}}
	tests := []struct {
		name string
		cite int
		want float64
	}{
		{name: "honest", cite: 1, want: 1},
		{name: "wrong turn", cite: 0, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &FakeSummarizer{SummarizeFunc: func(_ context.Context, req summary.Request) (summary.Result, error) {
				return summary.Result{Summary: "Sam was charged twice; Dana will refund it.", Model: "fake",
					KeyPoints: []string{"Sam was charged twice in March."}, KeyPointTurns: [][]int{{tt.cite}},
					ActionItems: []summary.ActionItem{{Owner: summary.OwnerAgent, Description: "Refund the second charge.", Turns: []int{2}}}}, nil
			}}
			run, err := Evaluate(context.Background(), NewSummarizerTarget("fake", p, summary.Policy{}), []Item{it}, RunOptions{})
			if err != nil {
				t.Fatal(err)
			}
			a := run.Aggregate
			if a.CitationValidity == nil || a.CitingItems != 1 {
				t.Fatalf("citationValidity %v over %d items, want a value over 1", a.CitationValidity, a.CitingItems)
			}
			// The action item always cites turn 2, which holds up, so the
			// item scores (1 + key point) / 2.
			if got, want := *a.CitationValidity, (1+tt.want)/2; got != want {
				t.Errorf("citationValidity = %v, want %v (%+v)", got, want, run.Items[0].Citations)
			}
		})
	}
}
