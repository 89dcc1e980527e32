package summary

import (
	"strings"
	"unicode"
)

// bulletStream lays streamed text out as bullets, as Layout does for a
// whole text: every non-empty line starts with "- " (a model's own "* " or
// "• " becomes "- "), blank lines are dropped. "- " is written only in front
// of a line's first visible character, so no bullet is ever empty; a marker
// is held back until the next rune tells whether it is one ("-5%" is text).
type bulletStream struct {
	Stream
	lineStart bool   // nothing of the current line is written yet
	head      []rune // a held marker rune
}

func newBulletStream(st Stream) *bulletStream { return &bulletStream{Stream: st, lineStart: true} }

// Recv implements Stream.
func (b *bulletStream) Recv() (string, error) {
	for {
		text, err := b.Stream.Recv()
		var out strings.Builder
		for _, r := range text {
			b.feed(r, &out)
		}
		if err != nil {
			b.flush(&out)
			if out.Len() > 0 {
				// The text first; the error on the next call.
				b.Stream = &errStream{Stream: b.Stream, err: err}
				return out.String(), nil
			}
			return "", err
		}
		if out.Len() > 0 {
			return out.String(), nil
		}
	}
}

func (b *bulletStream) feed(r rune, out *strings.Builder) {
	if !b.lineStart {
		out.WriteRune(r)
		b.lineStart = r == '\n'
		return
	}
	switch {
	case len(b.head) == 0 && unicode.IsSpace(r):
		// Leading space, blank lines, and the space after a dropped marker.
	case len(b.head) == 0 && isBulletMarkerRune(r):
		b.head = append(b.head, r)
	case len(b.head) > 0 && unicode.IsSpace(r):
		b.head = b.head[:0] // it was a marker: drop it
	default:
		out.WriteString("- ")
		out.WriteString(string(b.head)) // a held "-" that was text ("-5%")
		out.WriteRune(r)
		b.head = b.head[:0]
		b.lineStart = r == '\n'
	}
}

// flush ends the text: a marker still held is a lone one, and is dropped.
func (b *bulletStream) flush(*strings.Builder) {
	b.head = nil
}

// errStream returns err from Recv; the rest is Stream's.
type errStream struct {
	Stream
	err error
}

func (e *errStream) Recv() (string, error) { return "", e.err }
