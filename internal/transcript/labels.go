package transcript

import (
	"strings"
	"unicode"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// The word lists below are read-only after package initialisation. Keys are
// lower case.

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// agentWords name the company's side of a call in a speaker label.
var agentWords = set("agent", "rep", "representative", "support", "advisor", "adviser",
	"operator", "associate", "specialist", "csr", "technician", "tech", "consultant",
	"helpdesk", "assistant", "staff", "employee", "banker", "pharmacist")

// customerWords name the caller's side of a call in a speaker label.
var customerWords = set("customer", "caller", "client", "user", "member", "patient",
	"guest", "buyer", "subscriber", "cust", "policyholder", "tenant", "account holder")

// speakerWords are generic labels followed by a number or letter ("Speaker 1").
var speakerWords = set("speaker", "person", "participant", "spk", "party", "voice",
	"agent", "customer", "caller", "rep", "unknown", "s")

// notSpeakers are words that look like a "Name:" label at a line start but
// introduce metadata or prose instead.
var notSpeakers = set("note", "notes", "re", "subject", "ps", "summary", "date", "time",
	"call", "transcript", "ticket", "duration", "total", "step", "example", "warning",
	"update", "reason", "address", "email", "phone", "order", "account", "http", "https",
	"tip", "question", "answer", "q", "a", "issue", "result", "status", "case", "ref")

// maxRoleLabelWords bounds a label that names a role; more words are speech.
const maxRoleLabelWords = 4

// RoleOfLabel is the side of the call a speaker label names and the word
// of the label that names it; ok is false when it names none (a person's
// name, "Speaker 1"). Company words win over customer words, so that
// "Customer Service Rep" is an agent, with word "rep".
func RoleOfLabel(label string) (role summary.Role, word string, ok bool) {
	words := strings.FieldsFunc(strings.ToLower(label), func(r rune) bool {
		return !unicode.IsLetter(r)
	})
	if len(words) == 0 || len(words) > maxRoleLabelWords {
		return "", "", false
	}
	for _, w := range words {
		switch {
		case agentWords[w]:
			return summary.RoleAgent, w, true
		case customerWords[w] && word == "":
			role, word = summary.RoleCustomer, w
		}
	}
	if isNumbered(label) && (words[0] == "speaker" || words[0] == "person" || words[0] == "participant") {
		return "", "", false
	}
	return role, word, word != ""
}

// isRoleLabel reports whether label names a side of the call.
func isRoleLabel(label string) bool {
	_, _, ok := RoleOfLabel(label)
	return ok
}
