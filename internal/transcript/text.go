package transcript

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// maxLabelBytes bounds a speaker label; longer text before a colon is speech.
const maxLabelBytes = 40

// FromText reads a plain-text transcript into turns. A label opens a turn
// at a line start ("Agent:", "Maria (Agent):", "00:01:23 Speaker 1:") or
// inside a line when it names a role ("... thanks. Customer: hi"), and
// leading timestamps are dropped. Lines without a label continue the
// current turn; before the first label each line is a turn of its own,
// with no speaker. A label's role is the side a word of it names
// (RoleOfLabel), else other; diarized labels then get InferRoles's rule.
// Text with no words gives nil: a request keeps it as text.
func FromText(text string) []summary.Turn {
	turns := make([]summary.Turn, 0, strings.Count(text, "\n")+1)
	var b turnText
	flush := func() {
		if len(turns) > 0 {
			turns[len(turns)-1].Text = b.String()
		}
		b.Reset()
	}
	roles := map[string]summary.Role{} // a call repeats a few labels
	open := func(label string) {
		flush()
		r, ok := roles[label]
		if !ok {
			r = summary.RoleOther
			if named, _, ok := RoleOfLabel(label); ok {
				r = named
			}
			roles[label] = r
		}
		turns = append(turns, summary.Turn{Speaker: label, Role: r})
	}
	labels := map[string]bool{}
	for line := range strings.SplitSeq(text, "\n") {
		line = strings.TrimSpace(skipTimestamp(strings.TrimSpace(line)))
		if line == "" {
			continue
		}
		if label, rest, ok := lineLabel(line, labels); ok {
			open(label)
			line = strings.TrimSpace(skipTimestamp(strings.TrimSpace(rest)))
		} else if len(turns) == 0 || len(labels) == 0 {
			// Without any label yet, each line is taken as a turn: a
			// transcript without labels has one speaker a line.
			open("")
		} else if b.Len() > 0 {
			b.WriteString("\n")
		}
		for line != "" {
			at, label, next, ok := inlineLabel(line)
			if !ok {
				b.WriteString(line)
				break
			}
			b.WriteString(strings.TrimSpace(line[:at]))
			open(label)
			line = strings.TrimSpace(skipTimestamp(line[next:]))
		}
	}
	flush()
	out := turns[:0]
	for _, t := range turns {
		if strings.TrimSpace(t.Text) != "" {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return nil
	}
	InferRoles(out)
	return out
}

// skipTimestamp returns s without a leading timestamp such as "[00:01:23]",
// "(1:23)", "00:01:23.450 -" or "12:03 |".
func skipTimestamp(s string) string {
	i := 0
	closer := byte(0)
	if i < len(s) && (s[i] == '[' || s[i] == '(') {
		closer = ']'
		if s[i] == '(' {
			closer = ')'
		}
		i++
	}
	groups, digits := 0, 0
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
			if digits > 2 && groups == 0 || digits > 3 {
				return s
			}
		case c == ':' && digits > 0 && groups < 2:
			groups++
			digits = 0
		case (c == '.' || c == ',') && groups >= 1 && digits == 2:
			digits = 0
			groups = 3
		default:
			goto end
		}
	}
end:
	if groups == 0 || digits == 0 {
		return s
	}
	if closer != 0 {
		if i >= len(s) || s[i] != closer {
			return s
		}
		i++
	} else if i < len(s) && s[i] != ' ' && s[i] != '\t' {
		return s
	}
	rest := trimBlanks(s[i:])
	for _, sep := range timestampSeparators {
		if rest == "" || rest[0] != sep[0] {
			continue
		}
		if after, ok := strings.CutPrefix(rest, sep); ok && (after == "" || after[0] == ' ') {
			return trimBlanks(after)
		}
	}
	return rest
}

// timestampSeparators may stand between a timestamp and the text after it.
var timestampSeparators = []string{"-", "–", "—", "|", ">"}

// trimBlanks is strings.TrimLeft(s, " \t").
func trimBlanks(s string) string {
	for s != "" && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	return s
}

// lineLabel reads a speaker label at the start of a line. Any short run of
// capitalised words before a colon counts there ("Maria:", "John Smith:").
// known caches the labels already accepted, since a call repeats a few.
func lineLabel(line string, known map[string]bool) (label, rest string, ok bool) {
	colon := strings.IndexByte(line, ':')
	if colon <= 0 || colon > maxLabelBytes || !colonEnds(line, colon) {
		return "", "", false
	}
	label = strings.TrimSpace(line[:colon])
	if known[label] {
		return label, line[colon+1:], true
	}
	if isRoleLabel(label) || isNumbered(label) {
		known[label] = true
		return label, line[colon+1:], true
	}
	words := strings.Fields(label)
	if len(words) == 0 || len(words) > 3 || notSpeakers[strings.ToLower(strings.Trim(words[0], ".()"))] {
		return "", "", false
	}
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) && !unicode.IsDigit(r) && r != '(' {
			return "", "", false
		}
	}
	known[label] = true
	return label, line[colon+1:], true
}

// inlineLabel finds a role label inside a line: a capitalised role word, a
// numbered speaker or a role with a name in parentheses, followed by a
// colon. It returns where the label starts and where its text starts.
func inlineLabel(line string) (at int, label string, next int, ok bool) {
	for from := 0; from < len(line); {
		c := strings.IndexByte(line[from:], ':')
		if c < 0 {
			return 0, "", 0, false
		}
		colon := from + c
		from = colon + 1
		if !colonEnds(line, colon) {
			continue
		}
		for _, start := range labelStarts(line, colon) {
			cand := line[start:colon]
			r, _ := utf8.DecodeRuneInString(cand)
			if !unicode.IsUpper(r) {
				continue
			}
			if isRoleLabel(cand) || isNumbered(cand) {
				return start, strings.TrimSpace(cand), colon + 1, true
			}
		}
	}
	return 0, "", 0, false
}

// labelStarts lists the starts of the last one, two and three words before
// the colon, nearest first.
func labelStarts(line string, colon int) []int {
	var starts []int
	end := colon
	for len(starts) < 3 && end > 0 {
		sp := strings.LastIndexAny(line[:end], " \t")
		start := sp + 1
		if colon-start > maxLabelBytes {
			break
		}
		if start < end {
			starts = append(starts, start)
		}
		end = sp
		for end > 0 && (line[end-1] == ' ' || line[end-1] == '\t') {
			end--
		}
	}
	return starts
}

// colonEnds reports whether the colon at i ends a label: it is followed by
// whitespace or the end of the line, not by "30" as in "10:30".
func colonEnds(s string, i int) bool {
	return i+1 >= len(s) || s[i+1] == ' ' || s[i+1] == '\t'
}

// isNumbered reports whether label is a generic numbered speaker such as
// "Speaker 1", "Speaker A" or "SPK_2".
func isNumbered(label string) bool {
	words := strings.FieldsFunc(label, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '_' || r == '-'
	})
	if len(words) != 2 || !speakerWords[strings.ToLower(words[0])] {
		return false
	}
	id := words[1]
	if len(id) == 1 && unicode.IsUpper(rune(id[0])) {
		return true
	}
	for _, c := range []byte(id) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(id) > 0 && len(id) <= 3
}
