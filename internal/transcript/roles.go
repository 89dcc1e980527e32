package transcript

import (
	"regexp"
	"strings"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// diarized matches the labels a diarizing recogniser gives speakers it
// cannot name: Transcribe's spk_0, "Speaker 1", "ch_0".
var diarized = regexp.MustCompile(`(?i)^(spk|speaker|ch|channel)[ _-]?[0-9]{1,2}$`)

// greetings are what an agent, and only an agent, says in opening a
// support call.
var greetings = []string{"thank you for calling", "thanks for calling", "how can i help",
	"how may i help", "how can i assist", "how may i assist", "this call may be recorded",
	"this call is being recorded", "what can i do for you today", "you've reached",
	"you have reached"}

// cueTurns is how many of a speaker's first turns are searched for
// greetings.
const cueTurns = 3

// InferRoles gives roles to diarized speakers, by one stated rule and only
// when it is unambiguous: when the call has exactly two speakers, both
// diarized labels (spk_0 and spk_1, "Speaker 1" and "Speaker 2"), no turn
// has a role yet, and exactly one of them says a greeting (greetings) in
// their first cueTurns turns, that one is the agent and the other the
// customer. Otherwise every role stays as it is: other, not a guess.
func InferRoles(turns []summary.Turn) {
	var speakers []string
	greeted := map[string]bool{}
	seen := map[string]int{}
	for _, t := range turns {
		if t.Role != summary.RoleOther && t.Role != "" || !diarized.MatchString(t.Speaker) {
			return
		}
		if _, ok := seen[t.Speaker]; !ok {
			speakers = append(speakers, t.Speaker)
		}
		seen[t.Speaker]++
		if seen[t.Speaker] <= cueTurns && hasGreeting(t.Text) {
			greeted[t.Speaker] = true
		}
	}
	if len(speakers) != 2 || len(greeted) != 1 {
		return
	}
	for i := range turns {
		if greeted[turns[i].Speaker] {
			turns[i].Role = summary.RoleAgent
		} else {
			turns[i].Role = summary.RoleCustomer
		}
	}
}

func hasGreeting(text string) bool {
	lower := strings.ToLower(text)
	for _, g := range greetings {
		if strings.Contains(lower, g) {
			return true
		}
	}
	return false
}
