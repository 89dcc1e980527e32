package local

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// maxActionItems bounds the action items of one call.
const maxActionItems = 10

// selfTriggers open a commitment by the speaker ("I'll send you ...").
var selfTriggers = []string{"i will", "i'll", "i am going to", "i'm going to", "i'm gonna",
	"we will", "we'll", "we are going to", "we're going to", "we're gonna", "i can go ahead and",
	"i'm also going to", "i will also", "i'll also", "we will also", "we'll also", "i'll make sure",
	"i will make sure", "i promise to", "i need to"}

// otherTriggers open an instruction to the listener ("please restart it").
var otherTriggers = []string{"you'll need to", "you will need to", "you need to", "you should",
	"please", "make sure you", "make sure to", "you'll want to", "you have to", "be sure to",
	"don't forget to", "remember to", "you can go ahead and"}

// companyTriggers announce what the company's systems will do; said by the
// agent they are the agent's side's commitment.
var companyTriggers = []string{"you'll receive", "you will receive", "you should receive",
	"you'll get", "you will get", "you should see", "you'll see", "will be sent",
	"will be credited", "will be refunded", "will be processed", "will be shipped",
	"will be issued", "will follow up", "will call you", "will reach out", "will contact you",
	"will get back to you", "will be in touch"}

// skipWords may sit between a trigger and its verb ("I'll go ahead and send").
var skipWords = set("also", "go", "ahead", "and", "personally", "definitely", "just", "now",
	"then", "right", "immediately", "be", "actually", "certainly", "try", "to", "quickly",
	"first", "need", "have", "get", "you", "make", "sure")

// actionVerbs are the verbs, stemmed, that make a trigger a commitment.
var actionVerbs = set("send", "email", "e-mail", "call", "follow", "process", "issue", "refund",
	"credit", "reset", "escalate", "submit", "update", "cancel", "schedule", "ship", "replace",
	"mail", "text", "reach", "contact", "look", "investigate", "file", "open", "create", "set",
	"arrange", "waive", "reverse", "apply", "add", "remove", "change", "fix", "book", "note",
	"notify", "review", "monitor", "expedite", "activate", "upload", "restart", "reinstall",
	"pay", "return", "visit", "log", "sign", "forward", "research", "request", "reimburse",
	"honor", "document", "flag", "put", "keep", "deliver", "provide", "share", "give", "check",
	"reply", "click", "enter", "confirm", "bring", "install", "unplug", "plug",
	"clear", "delete", "download", "power", "reboot", "complete", "fill", "transfer",
	"back", "order", "dispatch", "write", "report")

// rule maps trigger phrases to the owner of what follows, given the role of
// the speaker ("" when the phrase commits no one in that mouth).
type rule struct {
	triggers []string
	owner    func(Role) summary.Owner
	needVerb bool
}

// rules are tried in order; the first trigger that matches wins.
var rules = []rule{
	{selfTriggers, ownerOf, true},
	{otherTriggers, agentOnly(summary.OwnerCustomer), true},
	{companyTriggers, agentOnly(summary.OwnerAgent), false},
}

func agentOnly(o summary.Owner) func(Role) summary.Owner {
	return func(r Role) summary.Owner {
		if r == RoleAgent {
			return o
		}
		return ""
	}
}

// commitment reads an action item from a sentence: who committed and the
// commitment itself, from its trigger phrase to the sentence end. Questions
// and negated phrases ("I won't") are not commitments. lower is the
// sentence lower-cased and found its cue phrases.
func commitment(s Sentence, lower string, found cueKind) (summary.ActionItem, bool) {
	if found&cueTrigger == 0 || s.Backchannel || strings.HasSuffix(s.Text, "?") {
		return summary.ActionItem{}, false
	}
	pairs := pairsOf(lower)
	for _, ru := range rules {
		for _, t := range ru.triggers {
			if !pairs.mayHold(t) {
				continue
			}
			at := wordIndex(lower, t)
			if at < 0 {
				continue
			}
			owner := ru.owner(s.Role)
			if owner == "" || ru.needVerb && !verbFollows(lower[at+len(t):]) {
				continue
			}
			desc := s.Text
			if ru.needVerb && len(lower) == len(s.Text) {
				desc = capitalise(s.Text[at:])
			}
			return summary.ActionItem{Owner: owner, Description: desc}, true
		}
	}
	return summary.ActionItem{}, false
}

func ownerOf(r Role) summary.Owner {
	switch r {
	case RoleAgent:
		return summary.OwnerAgent
	case RoleCustomer:
		return summary.OwnerCustomer
	}
	return summary.OwnerOther
}

// bytePairs is a filter of the pairs of adjacent bytes in a text: a phrase
// whose first or last pair is not among them is not in the text, so that
// most trigger phrases need no search.
type bytePairs [4]uint64

func pairsOf(s string) bytePairs {
	var p bytePairs
	for i := 0; i+1 < len(s); i++ {
		k := pairBit(s[i], s[i+1])
		p[k/64] |= 1 << (k % 64)
	}
	return p
}

func pairBit(x, y byte) uint { return (uint(x)*37 + uint(y)) % 256 }

// mayHold reports whether phrase may be in the text: false only when it is
// not.
func (p *bytePairs) mayHold(phrase string) bool {
	if len(phrase) < 2 {
		return true
	}
	first, last := pairBit(phrase[0], phrase[1]), pairBit(phrase[len(phrase)-2], phrase[len(phrase)-1])
	return p[first/64]&(1<<(first%64)) != 0 && p[last/64]&(1<<(last%64)) != 0
}

// wordIndex finds phrase in s at word boundaries, or returns -1.
func wordIndex(s, phrase string) int {
	for from := 0; from < len(s); {
		i := strings.Index(s[from:], phrase)
		if i < 0 {
			return -1
		}
		i += from
		end := i + len(phrase)
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[end:])
		if (i == 0 || !unicode.IsLetter(before)) && (end == len(s) || !unicode.IsLetter(after)) {
			return i
		}
		from = i + 1
	}
	return -1
}

// verbFollows reports whether an action verb follows within a few words.
func verbFollows(rest string) bool {
	k := 0
	for w := range strings.FieldsSeq(rest) {
		if k >= 4 {
			return false
		}
		k++
		b := bare(w)
		if actionVerbs[b] || actionVerbs[string(stem([]byte(b)))] {
			return true
		}
		if !skipWords[b] {
			return false
		}
	}
	return false
}

func capitalise(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if unicode.IsLower(r) {
		return string(unicode.ToUpper(r)) + s[size:]
	}
	return s
}

// actionItems lists the commitments of a call in transcript order, each
// once. lower holds each sentence's lower-cased text and found its cue
// phrases.
func actionItems(sents []Sentence, lower []string, found []cueKind) []summary.ActionItem {
	items := []summary.ActionItem{}
	seen := map[string]bool{}
	for i, s := range sents {
		item, ok := commitment(s, lower[i], found[i])
		if !ok {
			continue
		}
		key := strings.ToLower(item.Description)
		if seen[key] {
			continue
		}
		seen[key] = true
		item.Turns = []int{s.Turn}
		items = append(items, item)
		if len(items) == maxActionItems {
			break
		}
	}
	return items
}
