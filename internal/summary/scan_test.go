package summary

import (
	"math/rand/v2"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// The regexps the scanners replaced, as the reference they must agree with.
var (
	refTurnStart   = regexp.MustCompile(`(?m)^[ \t]*\p{L}[\p{L}\p{N} ._'-]{0,30}:`)
	refSentenceEnd = regexp.MustCompile(`[.!?]["')\]]*\s+`)
)

// scanInputs are edge cases and random texts over the characters that
// matter to the scanners.
func scanInputs() []string {
	in := []string{"", "Agent: hi", "  Agent: hi\n\tCustomer 2: yes.\nno label\nDr. Smith: ok!  ", "a.b. c?\"  d!)\n",
		"été été. Été: oui", strings.Repeat("x", 40) + ": too long a label", "...  ", ":\n:", "A:\n\nB:"}
	alphabet := []string{"a", "Z", "é", "1", " ", "\t", "\n", ".", "!", "?", "\"", "'", ")", "]", ":", "-", "_", "\r", "\f", "\v", "\u00a0", "\u0085", "\u2003", "\u3000", "\u1680", "\u2028", "\u00c2", "\xc2", "\xe2\x80"}
	return append(in, randomTexts(1, 2000, 60, alphabet)...)
}

// randomTexts returns n texts of up to most pieces of alphabet each, drawn
// from a source seeded with seed.
func randomTexts(seed uint64, n, most int, alphabet []string) []string {
	r := rand.New(rand.NewPCG(seed, seed+1))
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for range r.IntN(most) {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		out[i] = b.String()
	}
	return out
}

func TestScannersMatchRegexps(t *testing.T) {
	for _, text := range scanInputs() {
		var turns, ends []int
		for _, loc := range refTurnStart.FindAllStringIndex(text, -1) {
			turns = append(turns, loc[0])
		}
		for _, loc := range refSentenceEnd.FindAllStringIndex(text, -1) {
			ends = append(ends, loc[1])
		}
		if got := turnStarts(text); !slices.Equal(got, turns) {
			t.Errorf("turnStarts(%q) = %v, want %v", text, got, turns)
		}
		if got := sentenceEnds(text); !slices.Equal(got, ends) {
			t.Errorf("sentenceEnds(%q) = %v, want %v", text, got, ends)
		}
		if got, want := countWords(text), len(strings.Fields(text)); got != want {
			t.Errorf("countWords(%q) = %d, want %d", text, got, want)
		}
	}
}

// TestSplitTurnsShares: chunks are substrings of the transcript, not copies.
func TestSplitTurnsShares(t *testing.T) {
	tr := strings.Repeat("été ", 50_000)
	chunks := SplitTurns(tr, 60_000)
	if len(chunks) < 2 || strings.Join(chunks, "") != tr {
		t.Fatalf("%d chunks that do not give back the transcript", len(chunks))
	}
	if allocs := testing.AllocsPerRun(3, func() { SplitTurns(tr, 60_000) }); allocs > 100 {
		t.Errorf("SplitTurns of 50,000 words: %.0f allocations, want a handful", allocs)
	}
	// A slice of its 50,000 words would be 800 KB and more.
	if n := allocatedBytes(func() { SplitTurns(tr, 60_000) }); n > int64(len(tr)) {
		t.Errorf("SplitTurns of %d bytes allocated %d bytes, want far fewer", len(tr), n)
	}
}

// allocatedBytes is about how many bytes f allocates: the least of a few
// runs, as the count is the process's and other goroutines add to it.
func allocatedBytes(f func()) int64 {
	least := int64(-1)
	for range 3 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		f()
		runtime.ReadMemStats(&after)
		if n := int64(after.TotalAlloc - before.TotalAlloc); least < 0 || n < least {
			least = n
		}
	}
	return least
}

// TestHasNumberRunMatchesWindows holds HasNumberRun's early-stopping scan
// to the runs windows finds for Redact.
func TestHasNumberRunMatchesWindows(t *testing.T) {
	alphabet := []string{"0", "1", "5", "9", " ", "-", ".", "(", ")", "+", "x", "/", ":", "\n", "é", "\x80"}
	for _, text := range append(scanInputs(), randomTexts(3, 3000, 60, alphabet)...) {
		digits := 0
		for _, c := range []byte(text) {
			if c >= '0' && c <= '9' {
				digits++
			}
		}
		if got := countDigits(text); got != digits {
			t.Fatalf("countDigits(%q) = %d, want %d", text, got, digits)
		}
		for digits := range 12 {
			want := len(windows(text, &numberBytes, 0, digits)) > 0
			if got := HasNumberRun(text, digits); got != want {
				t.Fatalf("HasNumberRun(%q, %d) = %v, want %v", text, digits, got, want)
			}
		}
	}
}

// TestCountWordsEightAtOnce holds countWords, which reads eight ASCII
// bytes at once, to strings.Fields on long texts of the bytes either side
// of the blanks, with a non-ASCII space or letter now and then.
func TestCountWordsEightAtOnce(t *testing.T) {
	ascii := []string{"a", " ", " ", "\t", "\n", "\v", "\f", "\r", "\x08", "\x0e", "\x1f", "!", "\x7f", "\x00"}
	alphabet := slices.Concat(ascii, ascii, ascii, ascii, []string{"é", "\u00a0", "\u2003", "\u3000"}) // mostly ASCII
	for _, text := range randomTexts(5, 3000, 100, alphabet) {
		if got, want := countWords(text), len(strings.Fields(text)); got != want {
			t.Fatalf("countWords(%q) = %d, want %d", text, got, want)
		}
	}
}
