package main

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/llm-testing/llm-testing/api/client"
	"github.com/llm-testing/llm-testing/internal/transcript/transcripttest"
)

// TestFormsEndToEnd sends each form of a call, small and one hour long,
// through the generated client to the real server, and checks that every
// citation names a turn the response returns.
func TestFormsEndToEnd(t *testing.T) {
	const key = "forms-key-0123456789abcdef"
	base, _, _, _ := startServer(t, map[string]string{"API_KEYS": `{"keys":["` + key + `"]}`})
	c, err := client.NewClientWithResponses(base, client.WithRequestEditorFn(keyEditor(key)))
	if err != nil {
		t.Fatal(err)
	}
	doc := func(data []byte) *map[string]any {
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		return &m
	}
	agent, customer := client.TurnInputRoleAgent, client.TurnInputRoleCustomer
	small, hour := transcripttest.Call(1), transcripttest.Call(60)
	forms := map[string]client.SummarizeRequest{
		"transcript": {Transcript: ptr("Agent: Thank you for calling. How can I help?\nCustomer: I was charged twice.\nAgent: I will refund the second charge today.")},
		"turns": {Turns: &[]client.TurnInput{
			{Speaker: "Dana", Role: &agent, Text: "Thank you for calling. How can I help?"},
			{Speaker: "Sam", Role: &customer, Text: "I was charged twice for March."},
			{Speaker: "Dana", Role: &agent, Text: "I will refund the second charge today."}}},
		"transcribe small":     {Document: doc(transcripttest.Transcribe(small))},
		"transcribe hour":      {Document: doc(transcripttest.Transcribe(hour))},
		"call analytics small": {Document: doc(transcripttest.CallAnalytics(small))},
		"call analytics hour":  {Document: doc(transcripttest.CallAnalytics(hour))},
		"contact lens small":   {Document: doc(transcripttest.ContactLens(small))},
		"contact lens hour":    {Document: doc(transcripttest.ContactLens(hour))},
	}
	sections := []client.SummarizeOptionsSections{client.KeyPoints, client.ActionItems}
	for name, req := range forms {
		t.Run(name, func(t *testing.T) {
			req.Options = &client.SummarizeOptions{Sections: &sections, IncludeTurns: ptr(true)}
			res, err := c.SummarizeWithResponse(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode() != 200 || res.JSON200 == nil {
				t.Fatalf("status %d: %.300s", res.StatusCode(), res.Body)
			}
			s := res.JSON200
			if s.Turns == nil || len(*s.Turns) == 0 {
				t.Fatalf("no turns returned")
			}
			n := int64(len(*s.Turns))
			if name == "transcript" && n != 3 {
				t.Errorf("the text's three labelled lines gave %d turns", n)
			}
			valid := func(ids []int64) {
				for _, id := range ids {
					if id < 0 || id >= n {
						t.Errorf("cites turn %d of %d", id, n)
					}
				}
			}
			cites := 0
			if s.KeyPointTurns != nil {
				for _, ids := range *s.KeyPointTurns {
					if ids != nil {
						valid(*ids)
						cites += len(*ids)
					}
				}
			}
			for _, a := range *s.ActionItems {
				valid(*a.Turns)
				cites += len(*a.Turns)
			}
			if cites == 0 {
				t.Errorf("nothing cited: %.300s", res.Body)
			}
			if name != "turns" && (*s.Turns)[0].Role != client.TurnOutputRoleAgent {
				t.Errorf("first turn's role = %s, want agent from the label or document", (*s.Turns)[0].Role)
			}
		})
	}
}
