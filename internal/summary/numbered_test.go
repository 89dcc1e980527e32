package summary

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"unsafe"
)

// oldNumbered is the numbered transcript as it was written before it was
// cut into pieces: each turn's text respaced with strings.Fields.
func oldNumbered(turns []Turn, first int) string {
	var b strings.Builder
	for i, t := range turns {
		writeLabel(&b, first+i, t)
		b.WriteString(strings.Join(strings.Fields(t.Text), " "))
		b.WriteByte('\n')
	}
	return b.String()
}

// TestNumberedPieces: whatever the cut, the pieces give back the numbered
// transcript, and a long turn that needs no respacing is its own piece, the
// turn's own bytes.
func TestNumberedPieces(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	words := []string{"été", "a", "  ", "\t", "\u00a0", "\n", "call", "x\u2003y", " ", "ok."}
	for n := range 300 {
		var turns []Turn
		for range rng.IntN(5) + 1 {
			var b strings.Builder
			for range rng.IntN(40) {
				b.WriteString(words[rng.IntN(len(words))])
				if rng.IntN(3) > 0 {
					b.WriteByte(' ')
				}
			}
			turns = append(turns, Turn{Speaker: []string{"", "Maria", "agent"}[rng.IntN(3)], Role: RoleAgent, Text: b.String()})
		}
		want := oldNumbered(turns, n)
		for _, long := range []int{0, 1, 16, math.MaxInt} {
			if got := strings.Join(NumberedPieces(turns, n, long), ""); got != want {
				t.Fatalf("long %d: pieces give\n%q\nwant\n%q", long, got, want)
			}
		}
		if got := NumberedPieces(turns, n, math.MaxInt); len(got) != 1 {
			t.Fatalf("with no long turn, %d pieces, want 1", len(got))
		}
	}

	big := strings.Repeat("été ", 2000) + "fin"
	turns := []Turn{{Role: RoleAgent, Text: "hello"}, {Speaker: "Sam", Role: RoleCustomer, Text: big}, {Role: RoleAgent, Text: "bye"}}
	pieces := NumberedPieces(turns, 0, 1024)
	if got, want := len(pieces), 3; got != want {
		t.Fatalf("%d pieces %q, want %d", got, pieces, want)
	}
	if unsafe.StringData(pieces[1]) != unsafe.StringData(big) {
		t.Error("the long turn's piece is a copy, want the turn's text itself")
	}
	if got, want := pieces[0], "[0] agent: hello\n[1] Sam (customer): "; got != want {
		t.Errorf("first piece = %q, want %q", got, want)
	}
}

// TestSingleSpaced: singleSpaced says whether the text is its fields joined
// by single spaces, for every kind of space, at the ends and in between,
// and for runes that share a lead byte with a space.
func TestSingleSpaced(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	// TestSingleSpaced also checks EstimateTokens: words of one byte
	// between single spaces outnumber a quarter of the bytes.
	words := []string{"a", "été", " ", "  ", "\t", "\n", "\v", "\f", "\r", "\u0085", "\u00a0", "\u00e9", "\u1680", "\u2003",
		"\u2028", "\u202f", "\u205f", "\u3000", "\u2019", "\u00b0", "\u30a2", "\u1e00", "x"}
	// At the edge: 202 words in 803 bytes, one over the length's estimate.
	if got, want := EstimateTokens(strings.Repeat("abc ", 200)+"a a"), 202; got != want {
		t.Errorf("EstimateTokens at the edge = %d, want %d", got, want)
	}
	dense := []string{"", "a", "a a a a a", "a\u00a0a\u00a0a\u00a0a", "a\tb\tc\td\te", "a\u3000b\u3000c\u3000d", "ab ab ab ab"}
	for n := range 5000 + len(dense) {
		var b strings.Builder
		for range rng.IntN(40) << (rng.IntN(2) * 4) { // some long enough for EstimateTokens's bound
			b.WriteString(words[rng.IntN(len(words))])
		}
		text := b.String()
		if n < len(dense) {
			text = strings.Repeat(dense[n], 1+rng.IntN(200))
		}
		joined := strings.Join(strings.Fields(text), " ")
		if got, want := singleSpaced(text), joined == text; got != want {
			t.Fatalf("singleSpaced(%q) = %v, want %v", text, got, want)
		}
		var w strings.Builder
		if writeFields(&w, text); w.String() != joined {
			t.Fatalf("writeFields(%q) = %q, want %q", text, w.String(), joined)
		}
		// The estimate skips the word count only when the spaces bound it.
		if got, want := EstimateTokens(text), max((len(text)+3)/4, len(strings.Fields(text))); got != want {
			t.Fatalf("EstimateTokens(%q) = %d, want %d", text, got, want)
		}
	}
}
