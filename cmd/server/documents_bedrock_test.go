package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/llm-testing/llm-testing/internal/bedrock/bedrocktest"
	"github.com/llm-testing/llm-testing/internal/transcript/transcripttest"
)

// TestDocumentRolesAndRedactionReachThePrompt sends a Call Analytics and a
// Contact Lens document, each with an email address and a card number in a
// turn, to the server on the fake Bedrock: the prompt Bedrock receives has
// the turns numbered with the roles the document gave, and neither the
// email nor the card.
func TestDocumentRolesAndRedactionReachThePrompt(t *testing.T) {
	fake, srv := bedrocktest.NewServer(t, bedrocktest.Options{})
	awsEnv(t, srv.URL)
	const key = "documents-key-0123456789"
	base, _, _, stop := startServer(t, map[string]string{"SUMMARIZER": "bedrock", "API_KEYS": key})
	defer stop()
	lines := []transcripttest.Line{
		{Agent: true, Text: "Thank you for calling, this is Dana.", StartMs: 0, EndMs: 2000},
		{Agent: false, Text: "My card 4111 1111 1111 1111 was charged twice; write to sam@example.com.", StartMs: 2000, EndMs: 6000},
		{Agent: true, Text: "I will refund the second charge today.", StartMs: 6000, EndMs: 9000},
	}
	for name, doc := range map[string][]byte{
		"call analytics": transcripttest.CallAnalytics(lines),
		"contact lens":   transcripttest.ContactLens(lines),
	} {
		t.Run(name, func(t *testing.T) {
			before := len(fake.Calls())
			body, _ := json.Marshal(map[string]any{"document": json.RawMessage(doc), "options": map[string]any{"sections": []string{"actionItems"}}})
			resp := post(t, base+"/api/v1/summarize", key, string(body))
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", resp.StatusCode, b)
			}
			calls := fake.Calls()
			if len(calls) != before+1 {
				t.Fatalf("%d Bedrock calls, want 1", len(calls)-before)
			}
			var prompt strings.Builder
			for _, m := range calls[len(calls)-1].Request.Messages {
				for _, c := range m.Content {
					prompt.WriteString(c.Text)
				}
			}
			p := prompt.String()
			for _, want := range []string{"[0] agent: Thank you", "[1] customer: My card", "[2] agent: I will refund"} {
				if !strings.Contains(p, want) {
					t.Errorf("prompt lacks %q:\n%s", want, p)
				}
			}
			for _, leak := range []string{"4111", "sam@example.com"} {
				if strings.Contains(p, leak) {
					t.Errorf("prompt holds %q: redaction missed a turn:\n%s", leak, p)
				}
			}
		})
	}
}
