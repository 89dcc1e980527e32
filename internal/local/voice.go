package local

import (
	"strings"

	"github.com/llm-testing/llm-testing/internal/transcript"
)

// The summary-voice rule (docs/evaluation.md, "Speakers and voice"): a
// summary names a speaker only as the transcript does, and never guesses a
// role. A sentence without personal pronouns is quoted as it is. A
// sentence that opens with "I" or "My" and has no other kind of personal
// pronoun is put in the third person, its speaker named by the label: the
// role a label gives ("the customer" for "Customer (Paul):"), else the
// label as written ("Dana", "Person1", "Speaker 2"). Any other sentence in
// the first or second person keeps the transcript's own label in front,
// since "I'll drive one week, you drive the next" means nothing without
// it. A transcript without labels is quoted as it is.

// person is a set of kinds of personal pronoun.
type person uint8

const (
	firstSingular person = 1 << iota
	otherPerson          // we, us, our, you, your...
)

// pronouns are the personal pronouns a summary's voice depends on.
var pronouns = map[string]person{
	"i": firstSingular, "i'm": firstSingular, "i'll": firstSingular, "i've": firstSingular,
	"i'd": firstSingular, "my": firstSingular, "me": firstSingular, "mine": firstSingular,
	"myself": firstSingular, "we": otherPerson, "we're": otherPerson, "we'll": otherPerson,
	"we've": otherPerson, "we'd": otherPerson, "our": otherPerson, "us": otherPerson, "ours": otherPerson,
	"ourselves": otherPerson, "let's": otherPerson, "you": otherPerson, "you're": otherPerson,
	"you'll": otherPerson, "you've": otherPerson, "you'd": otherPerson, "your": otherPerson,
	"yours": otherPerson, "yourself": otherPerson, "y'all": otherPerson,
}

// personsIn returns the kinds of personal pronoun in lower, a lower-cased
// sentence.
func personsIn(lower string) person {
	var p person
	var buf [16]byte
	eachWord(lower, buf[:0], func(w []byte) { p |= pronouns[string(w)] })
	return p
}

// speakerNoun names a speaker in summary voice: "the agent" for a label
// that gives a role, the label as written otherwise.
func speakerNoun(label string) string {
	if _, word, ok := transcript.RoleOfLabel(label); ok {
		return "the " + word
	}
	return strings.Join(strings.Fields(label), " ")
}

// render is a sentence as a summary shows it: compressed, then in summary
// voice by the summary-voice rule. lower is its text lower-cased.
func render(s Sentence, lower string) string {
	if c := compress(s.Text); c != s.Text {
		s.Text, lower = c, strings.ToLower(c)
	}
	p := personsIn(lower)
	if p == 0 || s.Speaker == "" {
		return s.Text
	}
	if p == firstSingular {
		if t, ok := thirdPerson(s.Text, speakerNoun(s.Speaker)); ok {
			return t
		}
	}
	return strings.Join(strings.Fields(s.Speaker), " ") + ": " + s.Text
}

// thirdPerson puts a sentence that opens with "I" or "My" in the third
// person, naming the speaker noun; ok is false when it does not open so.
func thirdPerson(text, noun string) (string, bool) {
	words := strings.Fields(text)
	if len(words) < 2 {
		return "", false
	}
	out := make([]string, 0, len(words)+1)
	head, tail := splitPunct(words[0])
	switch strings.ToLower(head) {
	case "my":
		out = append(out, possessive(noun)+tail)
	case "i":
		out = append(out, noun)
		k := 1
		for k < len(words)-1 && adverbs[bare(words[k])] {
			out = append(out, words[k])
			k++
		}
		v, p := splitPunct(words[k])
		out = append(out, thirdSingular(v)+p)
		words = words[k:]
	default:
		subject, ok := contracted[strings.ToLower(head)]
		if !ok {
			return "", false
		}
		if next := bare(words[1]); subject == "would" && (isPast(next) || next == "been") {
			subject = "had"
		}
		out = append(out, noun, subject+tail)
	}
	for _, w := range words[1:] {
		head, tail := splitPunct(w)
		if r, ok := objects[strings.ToLower(head)]; ok {
			w = r + tail
		}
		out = append(out, w)
	}
	out[0] = capitalise(out[0])
	return strings.Join(out, " "), true
}

// contracted are the opening "I" contractions and the verb each leaves
// after the speaker noun.
var contracted = map[string]string{"i'm": "is", "i've": "has", "i'll": "will", "i'd": "would"}

// objects are the first-person words after the opening and their
// third-person forms; "they" stands for the speaker, as singular "they".
var objects = map[string]string{"my": "their", "me": "them", "mine": "theirs",
	"myself": "themselves", "i": "they", "i'm": "they're", "i've": "they've",
	"i'll": "they'll", "i'd": "they'd"}

// adverbs may sit between "I" and its verb.
var adverbs = set("just", "really", "also", "already", "still", "never", "always", "only",
	"actually", "usually", "even", "often", "sometimes", "honestly", "probably", "definitely",
	"totally", "certainly", "recently", "finally", "then", "now", "mostly")

// unchanged are verbs that keep their form after a third-person subject:
// modals, pasts and negated auxiliaries.
var unchanged = set("can", "could", "will", "would", "shall", "should", "may", "might", "must",
	"was", "had", "did", "got", "went", "took", "made", "said", "saw", "bought", "left", "came",
	"paid", "put", "sent", "told", "thought", "found", "gave", "lost", "kept", "felt", "heard",
	"met", "ran", "read", "set", "sold", "spent", "tried", "knew", "forgot", "broke", "wrote",
	"can't", "couldn't", "won't", "wouldn't", "didn't", "wasn't", "shouldn't", "cannot",
	"hadn't", "mustn't", "used", "let")

// irregular are verbs whose third-person singular is not just -s.
var irregular = map[string]string{"am": "is", "have": "has", "do": "does", "go": "goes",
	"don't": "doesn't", "haven't": "hasn't", "were": "was", "be": "is"}

// thirdSingular is the form of verb v after "he" or "she".
func thirdSingular(v string) string {
	lower := strings.ToLower(v)
	if r, ok := irregular[lower]; ok {
		return r
	}
	n := len(lower)
	switch {
	case unchanged[lower] || n == 0 || isPast(lower) || strings.HasSuffix(lower, "n't"):
		return v
	case strings.HasSuffix(lower, "s") || strings.HasSuffix(lower, "sh") || strings.HasSuffix(lower, "ch") ||
		strings.HasSuffix(lower, "x") || strings.HasSuffix(lower, "z") || strings.HasSuffix(lower, "o"):
		return v + "es"
	case n > 1 && lower[n-1] == 'y' && !strings.ContainsRune("aeiou", rune(lower[n-2])):
		return v[:n-1] + "ies"
	}
	return v + "s"
}

// isPast reports whether a lower-case verb looks like a regular past
// ("charged", not "need").
func isPast(v string) bool {
	return strings.HasSuffix(v, "ed") && !strings.HasSuffix(v, "eed")
}

// possessive is noun's possessive: "the customer's", "Dana's".
func possessive(noun string) string {
	if strings.HasSuffix(noun, "s") {
		return noun + "'"
	}
	return noun + "'s"
}

// splitPunct cuts the punctuation that ends a word off it.
func splitPunct(w string) (head, tail string) {
	i := len(w)
	for i > 0 && strings.IndexByte(".,;:!?\"')", w[i-1]) >= 0 {
		i--
	}
	return w[:i], w[i:]
}
