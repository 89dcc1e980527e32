package summary

import (
	"math/bits"
	"strconv"
	"strings"

	"github.com/llm-testing/llm-testing/internal/swar"
)

// Role is the side of a support call a speaker is on.
type Role string

// The roles of a speaker. A speaker whose side is not known is RoleOther,
// never a guessed agent or customer.
const (
	RoleAgent    Role = "agent"
	RoleCustomer Role = "customer"
	RoleOther    Role = "other"
)

// Roles lists every Role.
func Roles() []Role { return []Role{RoleAgent, RoleCustomer, RoleOther} }

// Turn is one speaker's uninterrupted stretch of talk: the normalised form
// every input (plain text, turns, an AWS transcript document) becomes
// before a provider sees it. A turn's index in Request.Turns is what key
// points and action items cite.
type Turn struct {
	// Speaker is the label as the source gave it ("Agent", "spk_0",
	// "Maria"); "" when the source has none.
	Speaker string
	Role    Role
	Text    string
	// StartMs and EndMs are offsets from the start of the call, when Timed.
	StartMs, EndMs int64
	Timed          bool
}

// SpokenRunes counts the characters (Unicode code points) spoken in turns:
// what MaxTranscriptRune bounds for structured input. Turns hold valid
// UTF-8 (they come from decoded JSON), as Characters needs.
func SpokenRunes(turns []Turn) int {
	n := 0
	for _, t := range turns {
		n += Characters(t.Text)
	}
	return n
}

// Characters is utf8.RuneCountInString for valid UTF-8: the bytes that do
// not continue a character. Eight bytes are looked at a time: a
// continuation byte is 10xxxxxx, its top bit set and the next one clear.
func Characters(s string) int {
	n, i := len(s), 0
	for ; i+8 <= len(s); i += 8 {
		w := swar.Load(s, i)
		n -= bits.OnesCount64(w &^ (w << 1) & swar.High)
	}
	for ; i < len(s); i++ {
		if s[i]&0xC0 == 0x80 {
			n--
		}
	}
	return n
}

// writeNumbered writes turn i as a provider reads it, with the index a
// citation names: "[3] Maria (agent): text", "[4] spk_1 (other): text" or
// "[5] customer: text" for a speaker with no label of their own.
func writeNumbered(b *strings.Builder, i int, t Turn) {
	writeLabel(b, i, t)
	writeFields(b, t.Text)
}

// writeLabel writes what precedes turn i's text on its numbered line.
func writeLabel(b *strings.Builder, i int, t Turn) {
	var num [24]byte
	b.WriteByte('[')
	b.Write(strconv.AppendInt(num[:0], int64(i), 10))
	b.WriteString("] ")
	role := t.Role
	if role == "" {
		role = RoleOther
	}
	if speaker := strings.TrimSpace(t.Speaker); speaker != "" && !strings.EqualFold(speaker, string(role)) {
		b.WriteString(speaker)
		b.WriteString(" (")
		b.WriteString(string(role))
		b.WriteString("): ")
		return
	}
	b.WriteString(string(role))
	b.WriteString(": ")
}

// NumberedPieces renders turns one a line, numbered from first (the index
// of turns[0] in the whole call), as the Bedrock prompt shows them, in
// pieces that concatenate to the whole: the text of a turn of at least long
// bytes that needs no respacing is a piece of its own, shared with the turn
// rather than copied, and the lines around such turns are joined into the
// pieces between. With long math.MaxInt there is one piece (none for no
// turns).
func NumberedPieces(turns []Turn, first, long int) []string {
	var out []string
	var b strings.Builder
	b.Grow(numberedSize(turns, long))
	for i, t := range turns {
		if len(t.Text) < long || !singleSpaced(t.Text) {
			writeNumbered(&b, first+i, t)
			b.WriteByte('\n')
			continue
		}
		writeLabel(&b, first+i, t)
		out = append(out, b.String(), t.Text)
		b = strings.Builder{}
		b.WriteByte('\n')
	}
	if b.Len() > 0 {
		out = append(out, b.String())
	}
	return out
}

// numberedSize bounds the bytes NumberedPieces joins before the first turn
// it leaves as a piece of its own, so that its builder grows once.
func numberedSize(turns []Turn, long int) int {
	n := 0
	for _, t := range turns {
		n += len(t.Speaker) + 32
		if len(t.Text) >= long { // perhaps a piece of its own
			break
		}
		n += len(t.Text)
	}
	return n
}

// PlainTranscript renders turns as "Speaker: text" lines, the plain-text
// form of a call for a reader that takes text.
func PlainTranscript(turns []Turn) string {
	var b strings.Builder
	for _, t := range turns {
		label := strings.TrimSpace(t.Speaker)
		if label == "" {
			label = string(t.Role)
			if label == "" {
				label = string(RoleOther)
			}
		}
		b.WriteString(label)
		b.WriteString(": ")
		writeFields(&b, t.Text)
		b.WriteByte('\n')
	}
	return b.String()
}
