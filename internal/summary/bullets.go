package summary

import (
	"strings"
	"unicode"
)

// bulletMarkerRunes open a bullet line as models write them.
var bulletMarkerRunes = map[rune]bool{'-': true, '*': true, '•': true, '–': true}

// bulletStream lays streamed text out as bullets, as Layout does for a
// whole text: every non-empty line starts with "- " (a model's own "* " or
// "• " becomes "- "), blank lines are dropped. It holds back at most the
// first two characters of a line, until it knows whether they are a marker.
type bulletStream struct {
	Stream
	lineStart bool   // the next character starts a line
	head      []rune // the start of the line, held until it is decided
	skipSpace bool   // drop spaces after a marker
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
	switch {
	case b.lineStart && len(b.head) == 0 && unicode.IsSpace(r):
		return // leading space and blank lines
	case b.lineStart:
		b.head = append(b.head, r)
		if bulletMarkerRunes[b.head[0]] && len(b.head) < 2 {
			return // a marker, or "-5%"? the next rune tells
		}
		if bulletMarkerRunes[b.head[0]] && b.head[1] == '\n' {
			b.head = b.head[:0] // a marker alone on its line: start over
			return
		}
		out.WriteString("- ")
		if bulletMarkerRunes[b.head[0]] && unicode.IsSpace(b.head[1]) {
			b.skipSpace = true
		} else {
			out.WriteString(string(b.head))
		}
		b.head = b.head[:0]
		b.lineStart = false
	case b.skipSpace && (r == ' ' || r == '\t'):
		return
	default:
		b.skipSpace = false
		out.WriteRune(r)
		if r == '\n' {
			b.lineStart = true
		}
	}
}

// flush ends the text: a held line start is written unless it is a lone
// marker.
func (b *bulletStream) flush(out *strings.Builder) {
	if len(b.head) > 0 && !(len(b.head) == 1 && bulletMarkerRunes[b.head[0]]) {
		out.WriteString("- " + string(b.head))
	}
	b.head = nil
}

// errStream returns err from Recv; the rest is Stream's.
type errStream struct {
	Stream
	err error
}

func (e *errStream) Recv() (string, error) { return "", e.err }
