package local

import (
	"strings"
	"testing"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// TestSummarizeTopicFirst checks the selection the issue asks for on
// conversations that are not support calls: the topic stated near the
// opening is kept, and questions, reactions and stock phrases are not.
func TestSummarizeTopicFirst(t *testing.T) {
	tests := []struct {
		name, transcript string
		want             []string
		not              []string
		max              int
	}{
		{"everyday dialogue",
			"Person1: Hey, I saw you carrying boxes out of the garage. What's going on?\n" +
				"Person2: We're selling the old canoe and the camping gear at the flea market on Sunday.\n" +
				"Person1: No way! That's amazing.\n" +
				"Person2: It's been sitting there for six years.\n" +
				"Person1: Well, there are two sides to every story.\n" +
				"Person2: Do you want the tent? It's yours for twenty dollars.\n" +
				"Person1: Sure, I'll take the tent.",
			[]string{"flea market"}, []string{"amazing", "two sides", "?", "Agent", "Customer"}, 45},
		{"no labels",
			"Can I ask you something?\n" +
				"Of course.\n" +
				"My landlord wants to raise the rent by two hundred dollars in March.\n" +
				"Wow, really?\n" +
				"Yes. I think I'll look for a smaller flat closer to the station.",
			[]string{"rent"}, []string{"Wow", "?", "Agent", "Customer"}, 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := summarize(t, summary.Request{Transcript: tt.transcript, MaxLength: tt.max})
			for _, w := range tt.want {
				if !strings.Contains(res.Summary, w) {
					t.Errorf("summary misses %q: %q", w, res.Summary)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(res.Summary, w) {
					t.Errorf("summary has %q: %q", w, res.Summary)
				}
			}
		})
	}
}

// TestOpeningWeighsMost checks that of two sentences alike in all but
// place, the one near the opening scores well ahead.
func TestOpeningWeighsMost(t *testing.T) {
	a := analyse("Person1: The red van broke down near the old bridge.\n" +
		"Person2: Mm-hmm.\n" +
		"Person1: Traffic was slow for most of the afternoon there.\n" +
		"Person2: The drivers waited for a tow truck in the rain.\n" +
		"Person1: Nobody could get past the junction until six.\n" +
		"Person2: The blue van broke down near the new station.")
	first, last := 0, len(a.sents)-1
	if a.score[first] < 1.5*a.score[last] {
		t.Errorf("opening scores %.3f, its twin at the end %.3f: want the opening well ahead", a.score[first], a.score[last])
	}
}

// TestQuestionsWeighLess checks that a question scores well below the same
// words said as a statement.
func TestQuestionsWeighLess(t *testing.T) {
	a := analyse("Speaker 1: The gate code changed to four seven one nine last week.\n" +
		"Speaker 2: The parcel was left at the front desk instead.\n" +
		"Speaker 1: Has the gate code changed to four seven one nine last week?")
	statement, question := 0, len(a.sents)-1
	if a.score[question] > 0.6*a.score[statement] {
		t.Errorf("question scores %.3f, the statement %.3f: want the question well below", a.score[question], a.score[statement])
	}
}

// TestShortSummaryTellsOutcome: at 20 words, where the problem and a
// detail of it would fill the budget, the summary keeps the problem and
// says what was done about it.
func TestShortSummaryTellsOutcome(t *testing.T) {
	res := summarize(t, summary.Request{MaxLength: 20, Transcript: "Agent: Thanks for calling Northwind, this is Ana.\n" +
		"Customer: Hi Ana, my package never arrived but the tracking page says delivered.\n" +
		"Customer: The package was a birthday present for my daughter.\n" +
		"Agent: Let me check that for you.\n" +
		"Agent: The driver left the package at the wrong address.\n" +
		"Agent: I've shipped a replacement by express."})
	for _, w := range []string{"never arrived", "replacement"} {
		if !strings.Contains(res.Summary, w) {
			t.Errorf("summary misses %q: %q", w, res.Summary)
		}
	}
}

// TestHeadClauseFitsShortBudget: a sentence too long for the budget is
// quoted by its main clause rather than left out.
func TestHeadClauseFitsShortBudget(t *testing.T) {
	transcript := "Agent: Skyway Airlines, Maria speaking.\n" +
		"Customer: I'm booked to Denver on Friday, but I have a family emergency and need to fly on Sunday.\n" +
		"Agent: There's a Sunday flight at 10:40 with seats available.\n" +
		"Customer: Thanks so much."
	res := summarize(t, summary.Request{MaxLength: 16, Transcript: transcript})
	if !strings.Contains(res.Summary, "booked to Denver on Friday.") {
		t.Errorf("summary misses the head clause: %q", res.Summary)
	}
	if strings.Contains(res.Summary, "emergency") {
		t.Errorf("summary quotes the whole sentence in 16 words: %q", res.Summary)
	}
}

func TestHeadCut(t *testing.T) {
	tests := []struct{ in, want string }{
		{"I'm booked to Denver on Friday, but I have a family emergency.", "I'm booked to Denver on Friday"},
		{"The modem is old and slow, so I'm sending a new one today.", "The modem is old and slow"},
		{"The refund to my card failed because the card expired last month.", "The refund to my card failed"},
		{"It broke, but it works now.", ""},                     // head too short
		{"The card was charged twice on Friday, and then.", ""}, // tail too short
		{"Nothing to cut in this sentence at all.", ""},
	}
	for _, tt := range tests {
		got := ""
		if cut := headCut(tt.in, strings.ToLower(tt.in)); cut > 0 {
			got = tt.in[:cut]
		}
		if got != tt.want {
			t.Errorf("head of %q = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestOutcome(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"Agent: I've added a one-day credit to your account.", true},
		{"Agent: I'll send you a replacement card today.", true},
		{"Agent: Your ticket number is 4471.", true},
		{"Customer: I've restarted the router three times.", false},
		{"Agent: Have you restarted the router?", false},
		{"Agent: The modem is an older model.", false},
	}
	for _, tt := range tests {
		a := analyse(tt.line)
		if got := a.outcome(0); got != tt.want {
			t.Errorf("outcome(%q) = %v, want %v", tt.line, got, tt.want)
		}
	}
}

// TestSpreadMatchesSimilarity: a vector laid out by term compares with
// another to the last bit as the two sorted vectors do.
func TestSpreadMatchesSimilarity(t *testing.T) {
	a := analyse(generateTranscript(t, 5, 30000))
	pairs := 0
	for i := range a.vecs {
		for j := i; j < len(a.vecs) && j < i+40; j++ {
			a.spread.set(i, a.vecs[i])
			c1, s1, o1 := a.spread.similarity(a.vecs[j])
			c2, s2, o2 := similarity(a.vecs[i], a.vecs[j])
			if c1 != c2 || s1 != s2 || o1 != o2 {
				t.Fatalf("sentences %d, %d: spread gives %v %d %v, similarity %v %d %v", i, j, c1, s1, o1, c2, s2, o2)
			}
			if s1 > 0 {
				pairs++
			}
		}
	}
	if pairs < 100 {
		t.Fatalf("only %d pairs share a term", pairs)
	}
}
