package local

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/llm-testing/llm-testing/internal/swar"
)

// figures writes the spoken numbers of words in figures, as a written
// summary does: an amount of money always ("seventy-five dollar fee" reads
// "$75 fee", "two hundred thirty-eight dollars" "$238"), any other number
// from ten up ("forty-five minutes" reads "45 minutes"), and one to nine
// only before a unit that takes figures ("six PM", "five percent"). A run
// of number words that does not read as one number ("twelve fifty",
// "nineteen eighty-five", digits read one by one) is left as it is: a
// wrong figure is worse than a long one. Thousands are not read ("two
// thousand dollars" stays), so a figure has at most three digits.
func figures(words []string) []string {
	out := words[:0:0]
	for i := 0; i < len(words); {
		n, v, ok := spokenNumber(words[i:])
		if !ok {
			// Keep the whole run as said, not a figure for its tail.
			n = max(1, numberRun(words[i:]))
			out = append(out, words[i:i+n]...)
			i += n
			continue
		}
		last := words[i+n-1]
		_, tail := splitPunct(last)
		unit := ""
		if tail == "" && i+n < len(words) {
			unit = bare(words[i+n])
		}
		figure := strconv.Itoa(v)
		switch {
		case unit == "dollars" || unit == "dollar" || unit == "bucks":
			_, tail = splitPunct(words[i+n])
			out = append(out, "$"+figure+tail)
			n++
		case v >= 10 || figureUnits[unit]:
			out = append(out, figure+tail)
		default:
			out = append(out, words[i:i+n]...)
		}
		i += n
	}
	return out
}

// figureUnits are units a number below ten is written in figures before.
var figureUnits = set("pm", "am", "p.m", "a.m", "percent", "%")

// numberValues are the number words by value.
var numberValues = map[string]int{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
	"nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
	"fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
	"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}

// spokenNumber reads the number words that open words ("a hundred and
// two", "thirty-eight", "four hundred fifty"): how many words they take,
// their value, and whether they read as exactly one number.
func spokenNumber(words []string) (n, value int, ok bool) {
	var hundreds, below int // the pending hundreds and the part below them
	sawHundred, sawBelow := false, false
	for n < len(words) {
		w := words[n]
		head, tail := splitPunct(w)
		b := strings.ToLower(head)
		switch {
		case b == "a" && n == 0 && n+1 < len(words) && bare(words[1]) == "hundred" && tail == "":
			below, sawBelow = 1, true
		case b == "and" && sawHundred && !sawBelow && tail == "":
		case b == "hundred" && sawBelow && !sawHundred && below < 10:
			hundreds, below, sawHundred, sawBelow = below*100, 0, true, false
		default:
			v, isNum := compound(b)
			if !isNum {
				return finishNumber(n, hundreds+below, sawHundred || sawBelow, words)
			}
			if sawBelow && !(below >= 20 && below%10 == 0 && v < 10) {
				return 0, 0, false // "twelve fifty": two numbers
			}
			below += v
			sawBelow = true
		}
		n++
		if tail != "" {
			break
		}
	}
	return finishNumber(n, hundreds+below, sawHundred || sawBelow, words)
}

// numberRun is how many words at the start of words are number words,
// "hundred", or an "and" or "a" inside such a run.
func numberRun(words []string) int {
	n := 0
	for n < len(words) {
		b := bare(words[n])
		_, num := compound(b)
		inner := (b == "and" || b == "a") && n > 0 && n+1 < len(words)
		if !num && b != "hundred" && !inner {
			break
		}
		n++
	}
	return n
}

// finishNumber checks the number words read: at least one, and not ending
// in "and" or "a".
func finishNumber(n, value int, read bool, words []string) (int, int, bool) {
	if !read || n == 0 {
		return 0, 0, false
	}
	if b := bare(words[n-1]); b == "and" || b == "a" {
		return 0, 0, false
	}
	return n, value, true
}

// compound is the value of a number word, "thirty-eight" included.
func compound(b string) (int, bool) {
	if v, ok := numberValues[b]; ok {
		return v, true
	}
	tens, units, found := strings.Cut(b, "-")
	t, u := numberValues[tens], numberValues[units]
	if !found || t < 20 || t%10 != 0 || u == 0 || u > 9 {
		return 0, false
	}
	return t + u, true
}

// readOut reports whether the bare word b may be one symbol of something
// read out a symbol at a time ("C L M 5 5 1 8 2", "five five five, oh
// one"): a word with a digit, a number word or a single letter other than
// "a" and "i". A repeat of such a word is part of what is read, not a
// stutter or a restart, so neither is dropped.
func readOut(b string) bool {
	if strings.ContainsAny(b, "0123456789") || b == "zero" || b == "oh" {
		return true
	}
	if _, ok := numberValues[b]; ok {
		return true
	}
	return len(b) == 1 && b[0] >= 'a' && b[0] <= 'z' && b != "a" && b != "i"
}

// hasFigure reports whether s holds a digit or a currency sign: amounts,
// dates and reference numbers are the facts of a call.
func hasFigure(s string) bool {
	i := 0
	for ; i+8 <= len(s); i += 8 { // eight ASCII bytes at once while none is a figure
		x := swar.Load(s, i)
		if x&swar.High != 0 || swar.Between(x, '0', '9')|swar.Has(x, '$') != 0 {
			break
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; figureBytes[c] && (c < utf8.RuneSelf || strings.HasPrefix(s[i:], "€") || strings.HasPrefix(s[i:], "£")) {
			return true
		}
	}
	return false
}

// figureBytes marks the digits, "$" and the first bytes of "€" and "£".
var figureBytes = func() (is [256]bool) {
	for _, c := range []byte("0123456789$" + "€"[:1] + "£"[:1]) {
		is[c] = true
	}
	return is
}()
