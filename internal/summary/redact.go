package summary

import (
	"math/bits"
	"regexp"
	"slices"
	"strings"

	"github.com/llm-testing/llm-testing/internal/swar"
)

// The placeholders that replace personal data.
const (
	PlaceholderCard  = "[CARD]"
	PlaceholderSSN   = "[SSN]"
	PlaceholderEmail = "[EMAIL]"
	PlaceholderPhone = "[PHONE]"
)

// The patterns are deliberately narrow: a call transcript is full of order
// numbers, amounts, dates and ticket ids that must survive. Go's regexp runs
// in linear time, so Redact is linear in the text whatever it contains.
var (
	// Card numbers: 13-19 contiguous digits, or groups of four separated by
	// a space or a dash (Amex 4-6-5 too). The Luhn check runs afterwards.
	cardRE = regexp.MustCompile(`\d{13,19}|\d{4}[ -]\d{4}[ -]\d{4}[ -]\d{1,7}|\d{4}[ -]\d{6}[ -]\d{5}`)
	// US social security numbers in their usual ddd-dd-dddd form.
	ssnRE   = regexp.MustCompile(`(\d{3})-(\d{2})-(\d{4})`)
	emailRE = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`)
	// US numbers: optional +1, an area code (bare or in parentheses), then
	// 3 and 4 digits, separated by space, dot or dash.
	usPhoneRE = regexp.MustCompile(`(?:\+?1[ .-]?)?(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4}`)
	// International numbers written with a leading + and a country code.
	intlPhoneRE = regexp.MustCompile(`\+[1-9]\d{0,2}(?:[ .-]?\(?\d{1,4}\)?){2,6}`)
)

// Redact returns text with payment card numbers (Luhn-checked), US social
// security numbers, email addresses and phone numbers replaced by [CARD],
// [SSN], [EMAIL] and [PHONE]. It runs before a transcript leaves the process
// and on every summary, whatever the summarizer.
//
// Most of a transcript is words, so the patterns run only on the windows that
// could hold personal data: runs of digits and separators with enough digits,
// and runs of address characters around an "@".
func Redact(text string) string {
	var emails []span
	if strings.IndexByte(text, '@') >= 0 { // else no window has one: skip the walk
		for _, w := range windows(text, &addressBytes, '@', 1) {
			emails = collect(emails, text, w, emailRE, PlaceholderEmail, nil)
		}
	}
	spans := slices.Clone(emails)
	var numbers [][2]int
	if countDigits(text) >= numberWindowDigits { // else no window has enough: skip the walk
		numbers = windows(text, &numberBytes, 0, numberWindowDigits)
	}
	for _, w := range numbers {
		// Email spans are sorted; only those reaching into w can overlap it.
		i, _ := slices.BinarySearchFunc(emails, w[0], func(s span, start int) int { return s.end - start - 1 })
		var local []span
		for ; i < len(emails) && emails[i].start < w[1]; i++ {
			local = append(local, emails[i])
		}
		found := len(local)
		local = collect(local, text, w, cardRE, PlaceholderCard, isCard)
		local = collect(local, text, w, ssnRE, PlaceholderSSN, isSSN)
		local = collect(local, text, w, intlPhoneRE, PlaceholderPhone, isIntlPhone)
		local = collect(local, text, w, usPhoneRE, PlaceholderPhone, nil)
		spans = append(spans, local[found:]...)
	}
	if len(spans) == 0 {
		return text
	}
	slices.SortFunc(spans, func(a, b span) int { return a.start - b.start })
	var b strings.Builder
	last := 0
	for _, s := range spans {
		b.WriteString(text[last:s.start])
		b.WriteString(s.placeholder)
		last = s.end
	}
	b.WriteString(text[last:])
	return b.String()
}

// numberWindowDigits is how many digits a run of number characters needs
// for Redact to look in it for cards, SSNs and phone numbers.
const numberWindowDigits = 8

// HasNumberRun reports whether text holds a run of number characters
// (digits with spaces, dots, dashes, brackets or a plus between them) with at
// least digits digits: what Redact looks in for cards, SSNs and phone
// numbers, whether or not the run turns out to be one. It stops at the first
// such run and builds nothing: the local summarizer asks it of every
// sentence.
func HasNumberRun(text string, digits int) bool {
	if digits > 0 && countDigits(text) < digits {
		return false // as most sentences have too few digits to hold one
	}
	n := 0 // digits in the run so far
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case isDigit(c):
			if n++; n >= digits {
				return true
			}
		case !numberBytes[c]:
			n = 0
		case digits <= 0:
			return true
		}
	}
	return false
}

// countDigits counts the ASCII digits of text, eight bytes at once where
// they are ASCII.
func countDigits(text string) int {
	n, i := 0, 0
	for ; i+8 <= len(text); i += 8 {
		x := swar.Load(text, i)
		if x&swar.High != 0 {
			for _, c := range []byte(text[i : i+8]) {
				if isDigit(c) {
					n++
				}
			}
			continue
		}
		n += bits.OnesCount64(swar.Between(x, '0', '9'))
	}
	for ; i < len(text); i++ {
		if isDigit(text[i]) {
			n++
		}
	}
	return n
}

// span is a piece of text to replace.
type span struct {
	start, end  int
	placeholder string
}

// windows returns the maximal runs [start, end) of bytes in class that
// contain at least min bytes that are digits, or that equal mark when mark is
// not 0.
func windows(text string, class *[256]bool, mark byte, min int) [][2]int {
	var out [][2]int
	for i := 0; i < len(text); {
		if !class[text[i]] {
			i++
			continue
		}
		j, n := i, 0
		for ; j < len(text) && class[text[j]]; j++ {
			if (mark == 0 && isDigit(text[j])) || (mark != 0 && text[j] == mark) {
				n++
			}
		}
		if n >= min {
			out = append(out, [2]int{i, j})
		}
		i = j
	}
	return out
}

// numberBytes and addressBytes are isNumberByte and isAddressByte as
// tables: windows looks every byte of a transcript up twice.
var numberBytes, addressBytes = byteTable(isNumberByte), byteTable(isAddressByte)

func byteTable(class func(byte) bool) (t [256]bool) {
	for c := range 256 {
		t[c] = class(byte(c))
	}
	return t
}

func isNumberByte(c byte) bool {
	return isDigit(c) || c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '+'
}

func isAddressByte(c byte) bool {
	return isWordByte(c) || c == '.' || c == '%' || c == '+' || c == '-' || c == '@'
}

// collect appends to spans every match of re inside window w of text that
// stands alone (not glued to letters, digits or joining punctuation on either
// side), does not overlap a span already found, and that accept, when given,
// approves.
func collect(spans []span, text string, w [2]int, re *regexp.Regexp, placeholder string, accept func(string) bool) []span {
	for _, loc := range re.FindAllStringIndex(text[w[0]:w[1]], -1) {
		start, end := w[0]+loc[0], w[0]+loc[1]
		if !standsAlone(text, start, end) || overlaps(spans, start, end) || (accept != nil && !accept(text[start:end])) {
			continue
		}
		spans = append(spans, span{start, end, placeholder})
	}
	return spans
}

func overlaps(spans []span, start, end int) bool {
	for _, s := range spans {
		if start < s.end && s.start < end {
			return true
		}
	}
	return false
}

// standsAlone reports whether text[start:end] is not part of a longer token
// such as "INC-555-123-4567" or "12345678901234567890".
func standsAlone(text string, start, end int) bool {
	if start > 0 {
		c := text[start-1]
		if isWordByte(c) || c == '-' || c == '+' || c == '/' || c == '@' || c == '$' {
			return false
		}
		if c == '.' && start > 1 && isWordByte(text[start-2]) {
			return false
		}
	}
	if end < len(text) {
		c := text[end]
		if isWordByte(c) || c == '-' || c == '/' || c == '@' {
			return false
		}
		if (c == '.' || c == ',') && end+1 < len(text) && isDigit(text[end+1]) {
			return false
		}
	}
	return true
}

func isWordByte(c byte) bool {
	return isDigit(c) || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func digitsOf(s string) []byte {
	d := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			d = append(d, s[i]-'0')
		}
	}
	return d
}

// isCard reports whether s holds 13-19 digits that pass the Luhn check.
func isCard(s string) bool {
	d := digitsOf(s)
	if len(d) < 13 || len(d) > 19 {
		return false
	}
	sum := 0
	for i := len(d) - 1; i >= 0; i-- {
		v := int(d[i])
		if (len(d)-1-i)%2 == 1 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return sum%10 == 0
}

// isSSN excludes the numbers the SSA never issues: area 000, 666 or 9xx,
// group 00, serial 0000.
func isSSN(s string) bool {
	area, group, serial := s[0:3], s[4:6], s[7:11]
	return area != "000" && area != "666" && area[0] != '9' && group != "00" && serial != "0000"
}

// isIntlPhone accepts E.164-sized numbers: 8 to 15 digits in all.
func isIntlPhone(s string) bool {
	n := len(digitsOf(s))
	return n >= 8 && n <= 15
}
