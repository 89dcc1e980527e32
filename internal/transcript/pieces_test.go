package transcript_test

import (
	"strings"
	"testing"
	"unsafe"

	"github.com/llm-testing/llm-testing/internal/transcript"
)

// within reports whether s lies inside the memory of outer.
func within(s, outer string) bool {
	p, o := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.StringData(outer)))
	return p >= o && p+uintptr(len(s)) <= o+uintptr(len(outer))
}

// TestFromTextShares checks that a turn read from one line of the input is
// that line, not a copy (a long one-line call would otherwise be held
// twice), and that a turn of several lines is still joined.
func TestFromTextShares(t *testing.T) {
	long := strings.Repeat("été ", 5000)
	text := "Agent: " + long + "\nCustomer: thanks\nand bye"
	turns := transcript.FromText(text)
	if got, want := len(turns), 2; got != want {
		t.Fatalf("got %d turns, want %d", got, want)
	}
	if got, want := turns[0].Text, strings.TrimSpace(long); got != want {
		t.Errorf("turn 0 = %.20q..., want the line's text", got)
	}
	if !within(turns[0].Text, text) {
		t.Error("turn 0 is a copy of its line, want the input's own bytes")
	}
	if got, want := turns[1].Text, "thanks\nand bye"; got != want {
		t.Errorf("turn 1 = %q, want %q", got, want)
	}
}
