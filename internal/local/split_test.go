package local

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/llm-testing/llm-testing/internal/transcript"
)

// line is the part of a Sentence a splitting test checks.
type line struct {
	role Role
	text string
}

func lines(sents []Sentence) []line {
	out := make([]line, len(sents))
	for i, s := range sents {
		out[i] = line{s.Role, s.Text}
	}
	return out
}

func TestSplit(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []line
	}{
		{"agent and customer labels", "Agent: Hello there.\nCustomer: My router is broken.",
			[]line{{RoleAgent, "Hello there."}, {RoleCustomer, "My router is broken."}}},
		{"fillers and stutters", "Customer: Um, so I, I was, uh, charged, you know, twice for the the same month.",
			[]line{{RoleCustomer, "I was charged twice for the same month."}}},
		{"a number read out keeps its repeats", "Agent: The claim is C L M 5 5 1 8 2, and the line is five five five one.",
			[]line{{RoleAgent, "The claim is C L M 5 5 1 8 2, and the line is five five five one."}}},
		{"a filler after a greeting", "Customer: Hi, um, my claim number is 55182 and the table broke.",
			[]line{{RoleCustomer, "My claim number is 55182 and the table broke."}}},
		{"leading markers", "Customer: Okay so well, the app crashes on start.",
			[]line{{RoleCustomer, "The app crashes on start."}}},
		{"annotations dropped, placeholders kept", "Customer: My email is [EMAIL] [inaudible] and (laughs) that is it.",
			[]line{{RoleCustomer, "My email is [EMAIL] and that is it."}}},
		{"lower-case i", "Customer: i think i'll cancel it.",
			[]line{{RoleCustomer, "I think I'll cancel it."}}},
		{"abbreviations and decimals", "Agent: Mr. Smith paid $12.50 at 10:30 a.m. today. Next question.",
			[]line{{RoleAgent, "Mr. Smith paid $12.50 at 10:30 a.m. today."}, {RoleAgent, "Next question."}}},
		{"ellipsis before lower case continues", "Customer: I was... charged twice. Then nothing.",
			[]line{{RoleCustomer, "I was... charged twice."}, {RoleCustomer, "Then nothing."}}},
		{"no labels", "hello I need help with my bill",
			[]line{{RoleOther, "Hello I need help with my bill."}}},
		{"trailing dash and curly apostrophe", "Customer: I don’t know, I paid —\nAgent: Okay, we’ll see;",
			[]line{{RoleCustomer, "I don't know, I paid."}, {RoleAgent, "We'll see."}}},
		{"only fillers", "Customer: um uh hmm", nil},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := lines(Split(tt.in))
			if len(got) != len(tt.want) {
				t.Fatalf("Split(%q) = %q, want %q", tt.in, got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("sentence %d = %q, want %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestSplitBackchannels(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"ok", true},
		{"Yeah.", true},
		{"Yeah, sure.", true},
		{"Got it, thanks.", true},
		{"Mm-hmm, okay.", true},
		{"Thank you so much.", true},
		{"No.", true},
		{"No, the refund never arrived.", false},
		{"Okay, I was charged twice.", false},
		{"Sure, my account number is 4471.", false},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			sents := Split("Customer: " + tt.text)
			if len(sents) != 1 {
				t.Fatalf("Split gave %d sentences, want 1: %+v", len(sents), sents)
			}
			if got := sents[0].Backchannel; got != tt.want {
				t.Errorf("Backchannel = %v, want %v (text %q)", got, tt.want, sents[0].Text)
			}
		})
	}
}

func TestSplitCutsRunsWithoutSentenceEnds(t *testing.T) {
	words := make([]string, 500)
	for i := range words {
		words[i] = []string{"the", "modem", "keeps", "dropping", "every", "evening"}[i%6]
	}
	sents := Split("Customer: " + strings.Join(words, " "))
	if len(sents) < 500/maxSentenceWords {
		t.Fatalf("got %d sentences, want at least %d", len(sents), 500/maxSentenceWords)
	}
	total := 0
	for _, s := range sents {
		n := len(strings.Fields(s.Text))
		if n > maxSentenceWords {
			t.Errorf("sentence of %d words, want at most %d", n, maxSentenceWords)
		}
		total += n
	}
	if total != 500 {
		t.Errorf("sentences hold %d words, want all 500", total)
	}
}

func TestSplitCutsCompoundSentences(t *testing.T) {
	in := "Agent: I'll turn off the duplicate retry on your autopay right away, and I will send you a confirmation email with the reference number today."
	got := lines(Split(in))
	want := []line{
		{RoleAgent, "I'll turn off the duplicate retry on your autopay right away."},
		{RoleAgent, "I will send you a confirmation email with the reference number today."},
	}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("Split = %q, want %q", got, want)
	}
}

func TestSplitTurnsAndSpeakers(t *testing.T) {
	sents := Split("Agent (Maria): Hi. How are you?\nCustomer: Fine. My bill is wrong.")
	wantTurns := []int{0, 0, 1, 1}
	if len(sents) != len(wantTurns) {
		t.Fatalf("got %d sentences, want %d", len(sents), len(wantTurns))
	}
	for i, s := range sents {
		if s.Turn != wantTurns[i] {
			t.Errorf("sentence %d turn = %d, want %d", i, s.Turn, wantTurns[i])
		}
	}
	if got, want := sents[0].Speaker, "Agent (Maria)"; got != want {
		t.Errorf("Speaker = %q, want %q", got, want)
	}
}

func TestFieldTokensMatchStringsFields(t *testing.T) {
	for _, s := range []string{"", " ", "a", " a  b\tc\nd\r\ne ", "\v\fx\v", "naïve  café", "a\u00a0b\u2003c", "x\u0085y",
		"Hello, I'm (calling) about [inaudible] my-bill  so... OK? uh-huh", "x, y. Z"} {
		got := fieldTokens(tokens{}, s)
		want := strings.Fields(s)
		if strings.Join(got.words, "|") != strings.Join(want, "|") || len(got.words) != len(want) {
			t.Errorf("fieldTokens(%q) = %q, want %q", s, got.words, want)
		}
		for i, w := range want {
			if i >= len(got.bares) || got.bares[i] != bare(w) {
				t.Errorf("fieldTokens(%q).bares = %q, want bare(%q) at %d", s, got.bares, w, i)
				break
			}
		}
	}
}

// TestSkipPlainStopsBeforeACut: skipPlain never steps past a byte a
// sentence may be cut at, and steps over a long plain run.
func TestSkipPlainStopsBeforeACut(t *testing.T) {
	const alphabet = "ab ,'\n.!?\xe2\x80\xa6\xc3\xa9"
	r := rand.New(rand.NewPCG(9, 10))
	for range 3000 {
		b := make([]byte, r.IntN(40))
		for i := range b {
			if b[i] = 'a'; r.IntN(6) == 0 {
				b[i] = alphabet[r.IntN(len(alphabet))]
			}
		}
		text := string(b)
		for i := range len(text) {
			j := skipPlain(text, i)
			for k := i; k < j; k++ {
				if sentenceBytes[text[k]] {
					t.Fatalf("skipPlain(%q, %d) = %d, past a cut byte at %d", text, i, j, k)
				}
			}
		}
	}
	if j := skipPlain(strings.Repeat("a", 20)+".", 0); j < 8 {
		t.Errorf("skipPlain steps over %d bytes of a plain run", j)
	}
}

// TestConcurrentReadingMatchesSerial: a call large enough to be read on two
// goroutines gives the sentences, cues, word counts and vectors that one
// goroutine gives.
func TestConcurrentReadingMatchesSerial(t *testing.T) {
	turns := transcript.FromText(generateTranscript(t, 2, 4*concurrentBytes))
	size := 0
	for _, tu := range turns {
		size += len(tu.Text)
	}
	if size < concurrentBytes {
		t.Fatalf("the call has %d bytes, too few to be read concurrently", size)
	}
	sents := SplitTurns(turns)
	if want := splitRange(turns, 0, len(turns), size, 0); !slices.Equal(sents, want) {
		t.Fatalf("SplitTurns gives %d sentences, splitRange %d, or other ones", len(sents), len(want))
	}
	got, want := analyseSentences(sents), &analysis{sents: sents}
	want.vecs, want.cues, want.words = make([][]weight, len(sents)), make([]cueKind, len(sents)), make([]int, len(sents))
	want.readCues()
	df := want.termCounts(size)
	if !slices.Equal(got.lower, want.lower) || !slices.Equal(got.cues, want.cues) || !slices.Equal(got.words, want.words) ||
		got.spread.terms != len(df) {
		t.Fatal("concurrent countTerms differs in lower-cased texts, cues, word counts or terms")
	}
	termsOf := func(vec []weight) (terms []int32) { // weigh changes the weights, not the terms
		for _, w := range vec {
			terms = append(terms, w.term)
		}
		return terms
	}
	for i := range want.vecs {
		if !slices.Equal(termsOf(got.vecs[i]), termsOf(want.vecs[i])) {
			t.Fatalf("sentence %d: vector %v, want %v", i, got.vecs[i], want.vecs[i])
		}
	}
}
