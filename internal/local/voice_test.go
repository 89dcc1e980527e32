package local

import (
	"strings"
	"testing"
)

func TestRender(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"role label, I was", "Customer: I was charged twice.", "The customer was charged twice."},
		{"role with a name, present verb", "Customer (Paul): I need a new card.", "The customer needs a new card."},
		{"name with a role in brackets", "Maria (Agent): I'll send the form today.", "The agent will send the form today."},
		{"caller keeps its own word", "Caller: I smell gas in my kitchen.", "The caller smells gas in their kitchen."},
		{"PersonN is not renamed", "Person1: I'm nervous about Thursday.", "Person1 is nervous about Thursday."},
		{"a name's possessive", "Dana: My team ships on Friday.", "Dana's team ships on Friday."},
		{"adverb before the verb", "Agent: I really want to fix it for you.", "Agent: I really want to fix it for you."},
		{"adverb, no you", "Agent: I really want to fix it today.", "The agent really wants to fix it today."},
		{"I'd before a past participle", "Rep: I'd finished the form already.", "The rep had finished the form already."},
		{"I am not, my", "Customer: I am not happy with my bill.", "The customer is not happy with their bill."},
		{"-es and -ies", "Speaker 2: I watch it and I try again.", "Speaker 2 watches it and they try again."},
		{"modal unchanged", "Client: I can pay by Friday.", "The client can pay by Friday."},
		{"you keeps the label", "Person1: I'll drive one week, you drive the next.", "Person1: I'll drive one week, you drive the next."},
		{"we keeps the label", "Speaker 2: We close at five today.", "Speaker 2: We close at five today."},
		{"a marker before I is dropped", "Person2: Actually, I think I saw her.", "Person2 thinks they saw her."},
		{"I not first keeps the label", "Person2: Then I think I saw her.", "Person2: Then I think I saw her."},
		{"no pronoun, no label", "Person2: The rent is only eighty dollars more.", "The rent is only eighty dollars more."},
		{"no labels at all", "I think I saw a grey cat this morning.", "I think I saw a grey cat this morning."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sents := Split(tt.in)
			if len(sents) != 1 {
				t.Fatalf("Split gave %d sentences, want 1", len(sents))
			}
			if got := render(sents[0], strings.ToLower(sents[0].Text)); got != tt.want {
				t.Errorf("render = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSplitStripsGreeting(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Customer: Hi Sam, my internet has been down since seven.", "My internet has been down since seven."},
		{"Customer: Hello, I need to cancel my membership.", "I need to cancel my membership."},
		{"Customer: Hi, thanks.", "Hi, thanks."},
		{"Customer: Hey there, how is it going today?", "How is it going today?"},
	}
	for _, tt := range tests {
		if got := Split(tt.in)[0].Text; got != tt.want {
			t.Errorf("Split(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
