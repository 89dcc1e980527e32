package local

import (
	"context"
	"time"

	"github.com/llm-testing/llm-testing/internal/summary"
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
		{"no pronoun, no label", "Person2: The rent is only a little more.", "The rent is only a little more."},
		{"compressed, then voiced", "Customer: I'm calling because I was charged like forty dollars twice.", "The customer was charged $40 twice."},
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

// TestNumberRunsAreNotQuoted: a number read out digit by digit (a card or
// account number that redaction may not recognise) keeps its sentence out
// of the summary; amounts, dates and short references do not.
func TestNumberRunsAreNotQuoted(t *testing.T) {
	for text, want := range map[string]bool{
		"My card is 4111 1111 1111 1112 if you need it.": true,
		"The account is 123-456-789.":                    true,
		"Call me on 555 123 4567.":                       true,
		"Or on (555) 123-4567.":                          true,
		"The charge was $1,249.99 on March 3rd.":         false,
		"Order 88231 shipped on 2026.12.01.":             false,
		"It ends in 6011, zip code 97214.":               false,
	} {
		if got := holdsNumberRun(text); got != want {
			t.Errorf("holdsNumberRun(%q) = %v, want %v", text, got, want)
		}
	}
	s := New()
	res, err := summary.NewPipeline(s, summary.Policy{Timeout: time.Second}).Summarize(context.Background(), summary.Request{
		Transcript: "Customer: My refund never arrived. Customer: The card number is 4111 1111 1111 1112. Agent: I will resend the refund today.",
		MaxLength:  40, Format: summary.FormatParagraph,
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(res.Summary, "1111") {
		t.Errorf("summary quotes the number: %q", res.Summary)
	}
}

// TestHasFigure: a digit or a currency sign anywhere is a figure; other
// letters and symbols, the bytes "€" and "£" share with them included, are
// not.
func TestHasFigure(t *testing.T) {
	for text, want := range map[string]bool{
		"": false, "no figures here.": false, "it was 5.": true, "$ only": true, "costs €": true,
		"about £": true, "a dash – and a quote ’ and an â": false, "¢ and ¥": false, "9": true,
		"eight bytes, then 0": true, "eight by/:@tes, th$n": true, "no digit in this longer ASCII sentence at all.": false,
		"from 0 to 9, as 0123456789 ends": true, "just :;<=>?@ and /.-,": false, "a figure late in a long one: 7": true, "it is 9 or so, not later": true,
	} {
		if got := hasFigure(text); got != want {
			t.Errorf("hasFigure(%q) = %v, want %v", text, got, want)
		}
	}
}
