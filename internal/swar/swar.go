// Package swar reads text eight bytes at a time in a uint64 ("SIMD within
// a register"): the masks, the load and the byte tests that summary's and
// local's eight-byte loops share. A test marks the bytes it finds by their
// high bit; the tests of ranges assume the eight bytes are ASCII (the
// caller checks High first), so that no byte's sum carries into the next.
package swar

import "encoding/binary"

// Masks of every byte of a word of eight bytes: its high bit, and 1.
const (
	High = 0x8080808080808080
	Ones = 0x0101010101010101
)

// Load reads the eight bytes of s from i on as a number, the first byte
// lowest.
func Load(s string, i int) uint64 {
	return binary.LittleEndian.Uint64([]byte(s[i : i+8]))
}

// Between marks each byte of x, eight ASCII bytes, from lo to hi.
func Between(x uint64, lo, hi byte) uint64 {
	atLeast := x + uint64(0x80-lo)*Ones
	above := x + uint64(0x80-hi-1)*Ones
	return atLeast &^ above & High
}

// Has is not 0 when one of the eight bytes of x is b. It marks the first
// such byte and may mark bytes after it that are not b, so it answers
// whether, not where.
func Has(x uint64, b byte) uint64 {
	t := x ^ (uint64(b) * Ones)
	return (t - Ones) &^ t & High
}
