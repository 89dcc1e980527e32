package transcript

import "strings"

// turnText collects a turn's text as FromText reads it. A turn read from a
// single piece of the input keeps that piece, a substring of the input, so
// that a long one-line transcript is not copied; only a turn made of
// several pieces is joined into a string of its own.
type turnText struct {
	one    string // the text while it is one piece
	b      strings.Builder
	joined bool
}

func (t *turnText) WriteString(s string) {
	switch {
	case s == "":
	case t.joined:
		t.b.WriteString(s)
	case t.one == "":
		t.one = s
	default:
		t.b.WriteString(t.one)
		t.b.WriteString(s)
		t.one, t.joined = "", true
	}
}

func (t *turnText) Len() int { return len(t.one) + t.b.Len() }

func (t *turnText) String() string {
	if t.joined {
		return t.b.String()
	}
	return t.one
}

func (t *turnText) Reset() {
	t.one, t.joined = "", false
	t.b.Reset()
}
