package swar

import (
	"strings"
	"testing"
)

// TestAgainstBytes holds Between and Has to a byte-at-a-time reading of
// every eight-byte window of ASCII text with every kind of byte in it.
func TestAgainstBytes(t *testing.T) {
	var b strings.Builder
	for c := range 0x80 {
		b.WriteByte(byte(c))
		b.WriteByte(byte(0x7f - c))
	}
	s := b.String()
	for i := 0; i+8 <= len(s); i++ {
		x := Load(s, i)
		for _, r := range [][2]byte{{'0', '9'}, {'A', 'Z'}, {'\t', '\r'}, {0, 0x7f}, {'a', 'a'}} {
			var want uint64
			for k := range 8 {
				if c := s[i+k]; c >= r[0] && c <= r[1] {
					want |= 0x80 << (8 * k)
				}
			}
			if got := Between(x, r[0], r[1]); got != want {
				t.Fatalf("Between(%q, %q, %q) = %#x, want %#x", s[i:i+8], r[0], r[1], got, want)
			}
		}
		for _, c := range []byte{'\n', '.', '$', 0, 0x7f} {
			if got, want := Has(x, c) != 0, strings.IndexByte(s[i:i+8], c) >= 0; got != want {
				t.Fatalf("Has(%q, %q) = %v, want %v", s[i:i+8], c, got, want)
			}
		}
	}
	if Load("abcdefgh", 0)&0xff != 'a' || Load("abcdefgh", 0)>>56 != 'h' {
		t.Error("Load is not little-endian")
	}
}
