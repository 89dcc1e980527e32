package local

import (
	"strings"
	"unicode/utf8"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// Role is which side of a support call spoke.
type Role string

// The roles a speaker can have. They match summary.Owner's values.
const (
	RoleAgent    Role = "agent"
	RoleCustomer Role = "customer"
	RoleOther    Role = "other"
)

// Sentence is one sentence of a transcript as Split reads it: cleaned of
// speaker labels, timestamps, non-speech annotations and filler words, and
// capitalised with end punctuation, ready to quote in a summary.
type Sentence struct {
	// Turn is the index of the speaker turn the sentence belongs to.
	Turn int
	// Speaker is the label as written ("Agent (Maria)", "Speaker 1"), or ""
	// when the transcript has no labels.
	Speaker string
	// Role is the side of the call the speaker is on.
	Role Role
	// Text is the cleaned sentence.
	Text string
	// Backchannel marks an utterance that carries nothing on its own, such
	// as "Okay." or "Yeah, sure."
	Backchannel bool
}

// Split reads a call transcript into sentences in transcript order. It
// understands speaker labels at line starts and inline ("Agent:",
// "Customer:", "Speaker 1:", "Agent (Maria):", "Maria:"), leading timestamps
// ("[00:01:23]", "00:01:23 -"), bracketed annotations ("[inaudible]"),
// filler words and stutters, and one-word turns. Speakers labelled only by
// number or name are given roles by what they say: the one who greets the
// caller on the company's behalf is the agent; with no such cue nobody is.
// Text with no sentence ends is
// cut into pseudo-sentences of at most maxSentenceWords words.
func Split(transcript string) []Sentence {
	turns := parseTurns(transcript)
	assignRoles(turns)
	return splitTurns(turns)
}

// SplitTurns reads normalised turns into sentences, each with its turn's
// index, speaker and role as given: nothing is parsed or guessed again.
func SplitTurns(ts []summary.Turn) []Sentence {
	turns := make([]turn, len(ts))
	for i, t := range ts {
		turns[i] = turn{label: t.Speaker, role: Role(t.Role), text: t.Text}
		if turns[i].role == "" {
			turns[i].role = RoleOther
		}
	}
	return splitTurns(turns)
}

// splitTurns cuts turns into sentences.
func splitTurns(turns []turn) []Sentence {
	out := make([]Sentence, 0, len(turns)*2)
	var scratch []string // reused: no sentence keeps its words
	for i, t := range turns {
		eachSentence(t.text, func(raw string) {
			scratch = fields(scratch[:0], raw)
			for _, words := range cutLong(cleanWords(scratch)) {
				text := finish(words)
				if text == "" {
					continue
				}
				out = append(out, Sentence{
					Turn:        i,
					Speaker:     t.label,
					Role:        t.role,
					Text:        text,
					Backchannel: isBackchannel(words),
				})
			}
		})
	}
	return out
}

// fields appends the whitespace-separated words of s to dst, as
// strings.Fields would, reusing dst's storage.
func fields(dst []string, s string) []string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return append(dst, strings.Fields(s)...)
		}
	}
	start := -1
	for i := 0; i < len(s); i++ {
		space := s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\v' || s[i] == '\f'
		switch {
		case space && start >= 0:
			dst = append(dst, s[start:i])
			start = -1
		case !space && start < 0:
			start = i
		}
	}
	if start >= 0 {
		dst = append(dst, s[start:])
	}
	return dst
}

// speakerStats is what role assignment knows about one label.
type speakerStats struct {
	key      string
	first    int
	turns    int
	agent    int
	customer int
}

// agentCues are what an agent says early in a call.
var agentCues = []string{"thank you for calling", "thanks for calling", "how can i help",
	"how may i help", "how can i assist", "how may i assist", "what can i do for you",
	"welcome to", "speaking", "my name is", "calling from", "can i have your",
	"can i get your", "may i have your", "verify", "for security", "this call may be recorded",
	"i'd be happy to help", "i can help", "let me pull up", "let me look", "i see here"}

// customerCues are what a caller says early in a call.
var customerCues = []string{"i'm calling about", "i am calling about", "i'm calling because",
	"i am calling because", "calling to", "my account", "i have a problem", "i need help",
	"i was charged", "my order", "my bill", "i can't", "i cannot", "i'm having", "i am having",
	"my password", "my card", "i got charged", "i received", "i'd like to"}

// assignRoles gives every turn a role. Labels that name a role keep it;
// among the others the one with the most agent cues in its first turns is
// the agent and, with an agent known, the busiest remaining speaker is the
// customer. Without labels or cues everyone is other: who spoke first
// says nothing about who they are.
func assignRoles(turns []turn) {
	order, hasAgent, hasCustomer := tally(turns)
	roles := guessRoles(order, hasAgent, hasCustomer)
	for i := range turns {
		t := &turns[i]
		if t.role != "" {
			continue
		}
		if r, ok := roles[strings.ToLower(t.label)]; ok {
			t.role = r
		} else {
			t.role = RoleOther
		}
	}
}

// tally gives the turns whose label names a role that role, and counts the
// turns and cues of every other speaker, in order of first turn.
func tally(turns []turn) (order []*speakerStats, hasAgent, hasCustomer bool) {
	stats := map[string]*speakerStats{}
	named := map[string]Role{}
	for i := range turns {
		t := &turns[i]
		if t.label == "" {
			t.role = RoleOther
			continue
		}
		role, ok := named[t.label]
		if !ok {
			role = roleOfLabel(t.label)
			named[t.label] = role
		}
		t.role = role
		switch t.role {
		case RoleAgent:
			hasAgent = true
			continue
		case RoleCustomer:
			hasCustomer = true
			continue
		}
		key := strings.ToLower(t.label)
		st := stats[key]
		if st == nil {
			st = &speakerStats{key: key, first: i}
			stats[key] = st
			order = append(order, st)
		}
		st.turns++
		if st.turns <= 3 {
			lower := strings.ToLower(t.text)
			st.agent += countCues(lower, agentCues)
			st.customer += countCues(lower, customerCues)
		}
	}
	return order, hasAgent, hasCustomer
}

// guessRoles picks the agent and the customer among the speakers no label
// names, by their cues.
func guessRoles(order []*speakerStats, hasAgent, hasCustomer bool) map[string]Role {
	roles := map[string]Role{}
	if !hasAgent {
		if best := pick(order, roles, func(s *speakerStats) int { return s.agent - s.customer }); best != nil {
			roles[best.key] = RoleAgent
			hasAgent = true
		}
	}
	if !hasCustomer && hasAgent {
		best := pick(order, roles, func(s *speakerStats) int { return s.customer - s.agent })
		if best == nil {
			best = pick(order, roles, func(s *speakerStats) int { return s.turns })
		}
		if best != nil {
			roles[best.key] = RoleCustomer
		}
	}
	return roles
}

// pick returns the unassigned speaker with the highest positive score,
// the earliest on a tie, or nil.
func pick(order []*speakerStats, taken map[string]Role, score func(*speakerStats) int) *speakerStats {
	var best *speakerStats
	for _, s := range order {
		if _, ok := taken[s.key]; ok || score(s) <= 0 {
			continue
		}
		if best == nil || score(s) > score(best) {
			best = s
		}
	}
	return best
}

func countCues(lower string, cues []string) int {
	n := 0
	for _, c := range cues {
		if strings.Contains(lower, c) {
			n++
		}
	}
	return n
}
