package local

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/llm-testing/llm-testing/internal/summary"
)

func lowered(sents []Sentence) []string {
	out := make([]string, len(sents))
	for i, s := range sents {
		out[i] = strings.ToLower(s.Text)
	}
	return out
}

func matched(sents []Sentence) []cueKind {
	out := make([]cueKind, len(sents))
	for i, s := range sents {
		out[i] = cues.match(strings.ToLower(s.Text))
	}
	return out
}

func TestActionItems(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []summary.ActionItem
	}{
		{"agent sends", "Agent: I will send you a confirmation email today.",
			[]summary.ActionItem{{Owner: summary.OwnerAgent, Description: "I will send you a confirmation email today."}}},
		{"agent contraction after a clause", "Agent: Okay, so what happens next is I'll go ahead and issue the refund.",
			[]summary.ActionItem{{Owner: summary.OwnerAgent, Description: "I'll go ahead and issue the refund."}}},
		{"we will follow up", "Agent: We'll follow up by Friday with the technician's visit.",
			[]summary.ActionItem{{Owner: summary.OwnerAgent, Description: "We'll follow up by Friday with the technician's visit."}}},
		{"customer commitment", "Customer: I'll upload the receipt tonight.",
			[]summary.ActionItem{{Owner: summary.OwnerCustomer, Description: "I'll upload the receipt tonight."}}},
		{"agent instructs customer", "Agent: Please restart the router after the update.",
			[]summary.ActionItem{{Owner: summary.OwnerCustomer, Description: "Please restart the router after the update."}}},
		{"you'll need to", "Agent: You'll need to sign in again on every device.",
			[]summary.ActionItem{{Owner: summary.OwnerCustomer, Description: "You'll need to sign in again on every device."}}},
		{"company system commitment keeps its subject", "Agent: A technician will call you within 48 hours.",
			[]summary.ActionItem{{Owner: summary.OwnerAgent, Description: "A technician will call you within 48 hours."}}},
		{"unlabelled speaker", "I will send the form tomorrow.",
			[]summary.ActionItem{{Owner: summary.OwnerOther, Description: "I will send the form tomorrow."}}},
		{"negated", "Agent: I won't send anything else and I will not call again.", nil},
		{"question", "Customer: Will you send me the receipt?", nil},
		{"not an action", "Agent: I'll be honest with you, that plan is popular.", nil},
		{"customer saying please asks, not commits", "Customer: Please send me the invoice.", nil},
		{"hold is not an action", "Agent: Please hold for a moment.", nil},
		{"duplicates once", "Agent: I'll send the form.\nAgent: I'll send the form.",
			[]summary.ActionItem{{Owner: summary.OwnerAgent, Description: "I'll send the form."}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sents := Split(tt.in)
			got := actionItems(sents, lowered(sents), matched(sents))
			if len(got) != len(tt.want) {
				t.Fatalf("actionItems = %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i].Owner != tt.want[i].Owner || got[i].Description != tt.want[i].Description {
					t.Errorf("item %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestSentiment(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want summary.Sentiment
	}{
		{"negation flips", "Customer: I am not happy with this service at all.", summary.SentimentNegative},
		{"plainly negative", "Customer: This is ridiculous, I'm really frustrated and angry.", summary.SentimentNegative},
		{"plainly positive", "Customer: That's great, I'm so happy it works, thank you.", summary.SentimentPositive},
		{"negated negative is not negative", "Customer: Honestly it's not bad, I'm not upset, this is great.", summary.SentimentPositive},
		{"factual is neutral", "Customer: My account number is 4471 and I moved in March.", summary.SentimentNeutral},
		{"both ways is mixed", "Customer: I was furious about the double charge.\nAgent: I refunded it.\nCustomer: Great, I'm happy now, thanks.", summary.SentimentMixed},
		{"only the customer counts", "Agent: This is terrible, awful, horrible.\nCustomer: Okay, I moved house in May.", summary.SentimentNeutral},
		{"without a customer, non-agents count", "I am very disappointed and upset.", summary.SentimentNegative},
		{"contraction negates", "Customer: I don't love this at all.", summary.SentimentNegative},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sentiment(Split(tt.in)); got != tt.want {
				t.Errorf("sentiment(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestResolution(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want summary.Resolution
	}{
		{"fixed on the call", "Customer: My app crashes.\nAgent: Try the update.\nCustomer: It works now, thank you so much.", summary.ResolutionResolved},
		{"still broken", "Customer: My app crashes.\nAgent: Try the update.\nCustomer: It still doesn't open. This is a waste of time.", summary.ResolutionUnresolved},
		{"escalated", "Customer: The outage is back.\nAgent: I'm going to escalate this to our network team and a specialist will call you.", summary.ResolutionEscalated},
		{"transferred", "Customer: I want to dispute this.\nAgent: Let me transfer you to billing.", summary.ResolutionEscalated},
		{"negated resolved", "Customer: The issue is not resolved.", summary.ResolutionUnresolved},
		{"no cue", "Customer: My address changed.\nAgent: Noted.", summary.ResolutionUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sents := Split(tt.in)
			if got := resolution(sents, matched(sents)); got != tt.want {
				t.Errorf("resolution = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestResolutionReadsTheClosingTurns(t *testing.T) {
	var b strings.Builder
	b.WriteString("Customer: It works now, problem solved.\n")
	for range 40 {
		b.WriteString("Agent: Let me read the next part of the plan terms.\nCustomer: Which part covers roaming charges?\n")
	}
	b.WriteString("Customer: Unfortunately the router is still not working.\n")
	sents := Split(b.String())
	if got, want := resolution(sents, matched(sents)), summary.ResolutionUnresolved; got != want {
		t.Errorf("resolution = %s, want %s: an early fix must not outweigh a failing close", got, want)
	}
}

// plainWords lower-cases the words nextWord reads the obvious way: runs of
// ASCII letters, digits, non-ASCII bytes and inner apostrophes.
func plainWords(text string) []string {
	var out []string
	var w []byte
	for i := 0; i <= len(text); i++ {
		c := byte(' ')
		if i < len(text) {
			c = text[i]
		}
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 0x80:
			w = append(w, c)
		case c >= 'A' && c <= 'Z':
			w = append(w, c+'a'-'A')
		case c == '\'' && len(w) > 0:
			w = append(w, c)
		default:
			if s := strings.TrimRight(string(w), "'"); s != "" {
				out = append(out, s)
			}
			w = w[:0]
		}
	}
	return out
}

func TestNextWordMatchesPlainWords(t *testing.T) {
	texts := []string{"", "'", "''a''", "Don't STOP, it's 5'o", "naïve CAFÉ's", "x'", "a  b\n\tc", "end'"}
	r := rand.New(rand.NewPCG(7, 8))
	for range 2000 {
		b := make([]byte, r.IntN(24))
		for i := range b {
			const alphabet = "aZ9' .,-\xc3\xa9"
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		texts = append(texts, string(b))
	}
	for _, text := range texts {
		var got []string
		for i := 0; i < len(text); {
			var w []byte
			if w, i = nextWord(text, i, nil); len(w) > 0 {
				got = append(got, string(w))
			}
		}
		if want := plainWords(text); !slices.Equal(got, want) {
			t.Fatalf("nextWord over %q reads %q, want %q", text, got, want)
		}
	}
}
