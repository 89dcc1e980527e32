package transcript_test

import (
	"testing"

	"github.com/llm-testing/llm-testing/internal/summary"
	"github.com/llm-testing/llm-testing/internal/transcript"
)

// turn is a summary.Turn of plain text, which has no times.
func turn(speaker string, role summary.Role, text string) summary.Turn {
	return summary.Turn{Speaker: speaker, Role: role, Text: text}
}

const (
	agent    = summary.RoleAgent
	customer = summary.RoleCustomer
	other    = summary.RoleOther
)

func TestFromText(t *testing.T) {
	tests := []struct {
		name, text string
		want       []summary.Turn
	}{
		{"roles named", "Agent: Hello.\nCustomer: Hi,\nI was charged twice.\n",
			[]summary.Turn{turn("Agent", agent, "Hello."), turn("Customer", customer, "Hi,\nI was charged twice.")}},
		{"inline labels on one line", "Agent: How can I help? Customer: I was charged twice. Agent: Let me look.",
			[]summary.Turn{turn("Agent", agent, "How can I help?"), turn("Customer", customer, "I was charged twice."), turn("Agent", agent, "Let me look.")}},
		{"inline label after a line label", "Agent: Hello. Customer: My router keeps rebooting.",
			[]summary.Turn{turn("Agent", agent, "Hello."), turn("Customer", customer, "My router keeps rebooting.")}},
		{"role synonyms", "Representative: We can fix it.\nCaller: Great.\nSupport: Sure.\nClient: Thanks.",
			[]summary.Turn{turn("Representative", agent, "We can fix it."), turn("Caller", customer, "Great."),
				turn("Support", agent, "Sure."), turn("Client", customer, "Thanks.")}},
		{"company words win", "Customer Service Rep: Hello.",
			[]summary.Turn{turn("Customer Service Rep", agent, "Hello.")}},
		{"name and role", "Agent (Maria): I reset it.\nMaria (Agent): Done.\nJohn Smith: Hi.",
			[]summary.Turn{turn("Agent (Maria)", agent, "I reset it."), turn("Maria (Agent)", agent, "Done."), turn("John Smith", other, "Hi.")}},
		{"upper-case labels", "AGENT: restart it\nCUSTOMER: ok",
			[]summary.Turn{turn("AGENT", agent, "restart it"), turn("CUSTOMER", customer, "ok")}},
		{"bracketed timestamps", "[00:01:23] Agent: Refunded.\n[00:01:30] Customer: Thanks.",
			[]summary.Turn{turn("Agent", agent, "Refunded."), turn("Customer", customer, "Thanks.")}},
		{"dashed and short timestamps", "00:01:23.450 - Agent: Shipped.\n12:03 | Customer: Where?\n(1:23) Agent: Here.",
			[]summary.Turn{turn("Agent", agent, "Shipped."), turn("Customer", customer, "Where?"), turn("Agent", agent, "Here.")}},
		{"timestamp after label", "Agent: [00:00:05] Hi, this is Sam.",
			[]summary.Turn{turn("Agent", agent, "Hi, this is Sam.")}},
		{"unlabelled lines are turns of their own", "just some words\nand more",
			[]summary.Turn{turn("", other, "just some words"), turn("", other, "and more")}},
		{"unlabelled lines before the first label", "Call notes\nAgent: Hello.\nsee you",
			[]summary.Turn{turn("", other, "Call notes"), turn("Agent", agent, "Hello.\nsee you")}},
		{"only labels", "Agent:\nCustomer:\n", nil},
		{"empty", "", nil},
		{"metadata is not a speaker", "Note: call was recorded.",
			[]summary.Turn{turn("", other, "Note: call was recorded.")}},
		{"times are not labels", "Agent: we open at 10:30 tomorrow",
			[]summary.Turn{turn("Agent", agent, "we open at 10:30 tomorrow")}},
		{"lower-case words are not a line label", "so then: it broke",
			[]summary.Turn{turn("", other, "so then: it broke")}},
		{"an inline label needs a role", "Agent: I asked Maria: is it on?",
			[]summary.Turn{turn("Agent", agent, "I asked Maria: is it on?")}},
		{"names with an agent label are not inferred", "Agent: Hello, what can I do?\nJohn: My card was declined.",
			[]summary.Turn{turn("Agent", agent, "Hello, what can I do?"), turn("John", other, "My card was declined.")}},
		{"diarized, greeting", "spk_1: Thank you for calling Acme.\nspk_0: My bill is wrong.\nspk_1: Let me look.",
			[]summary.Turn{turn("spk_1", agent, "Thank you for calling Acme."), turn("spk_0", customer, "My bill is wrong."), turn("spk_1", agent, "Let me look.")}},
		{"diarized, greeter speaks second", "Speaker 1: I'm calling about my bill.\nSpeaker 2: Thank you for calling Acme, how can I help?",
			[]summary.Turn{turn("Speaker 1", customer, "I'm calling about my bill."), turn("Speaker 2", agent, "Thank you for calling Acme, how can I help?")}},
		{"diarized, the company answers", "Speaker 1: Hello, you've reached Harborline, my name is Deb.\nSpeaker 2: My card got declined.",
			[]summary.Turn{turn("Speaker 1", agent, "Hello, you've reached Harborline, my name is Deb."), turn("Speaker 2", customer, "My card got declined.")}},
		{"diarized, no greeting", "Speaker 1: Hello.\nSpeaker 2: Hi.",
			[]summary.Turn{turn("Speaker 1", other, "Hello."), turn("Speaker 2", other, "Hi.")}},
		{"diarized, both greet", "spk_0: Thanks for calling.\nspk_1: Thanks for calling too.",
			[]summary.Turn{turn("spk_0", other, "Thanks for calling."), turn("spk_1", other, "Thanks for calling too.")}},
		{"lettered and everyday speakers are not inferred", "Speaker A: Thanks for calling.\nSpeaker B: Hello there.\nPerson1: Hi.",
			[]summary.Turn{turn("Speaker A", other, "Thanks for calling."), turn("Speaker B", other, "Hello there."), turn("Person1", other, "Hi.")}},
		{"named speakers are not inferred", "Maria: Thank you for calling Acme.\nJohn: Hi.",
			[]summary.Turn{turn("Maria", other, "Thank you for calling Acme."), turn("John", other, "Hi.")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := transcript.FromText(tt.text)
			if len(got) != len(tt.want) || (got == nil) != (tt.want == nil) {
				t.Fatalf("got %#v, want %#v (nil for text with no words: it stays text)", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("turn %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestRoleOfLabel(t *testing.T) {
	tests := []struct {
		label, word string
		role        summary.Role
	}{
		{"Agent", "agent", agent},
		{"Customer Service Rep", "rep", agent},
		{"Customer (Paul)", "customer", customer},
		{"Speaker 1", "", ""},
		{"Maria", "", ""},
		{"the agent who was on the line", "", ""},
	}
	for _, tt := range tests {
		role, word, ok := transcript.RoleOfLabel(tt.label)
		if role != tt.role || word != tt.word || ok != (tt.role != "") {
			t.Errorf("RoleOfLabel(%q) = %s, %q, %v; want %s, %q", tt.label, role, word, ok, tt.role, tt.word)
		}
	}
}
