package eval

import "strings"

// normalize lowercases text and collapses runs of whitespace, so that a fact
// written on one line matches a summary that wraps it.
func normalize(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// contains reports whether phrase appears in text, case-insensitively and
// ignoring differences in whitespace.
func contains(text, phrase string) bool {
	p := normalize(phrase)
	return p != "" && strings.Contains(normalize(text), p)
}

// FactRecall returns how many of the required facts the summary states (a
// fact counts when any of its alternative wordings appears) and their share;
// with no facts the share is 1. missed lists the first wording of each fact
// not found.
func FactRecall(summaryText string, must [][]string) (found int, recall float64, missed []string) {
	for _, fact := range must {
		hit := false
		for _, alt := range fact {
			if contains(summaryText, alt) {
				hit = true
				break
			}
		}
		if hit {
			found++
		} else if len(fact) > 0 {
			missed = append(missed, fact[0])
		}
	}
	if len(must) == 0 {
		return 0, 1, nil
	}
	return found, float64(found) / float64(len(must)), missed
}

// ForbiddenHits returns the forbidden phrases that appear in the summary.
func ForbiddenHits(summaryText string, mustNot []string) []string {
	var hits []string
	for _, p := range mustNot {
		if contains(summaryText, p) {
			hits = append(hits, p)
		}
	}
	return hits
}
