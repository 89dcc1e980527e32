// Package eval scores summaries against a dataset of support calls, so a team
// can test a model, a prompt or a setting before it ships: it loads the set,
// runs it through a Target with bounded concurrency, scores each summary
// (ROUGE, required and forbidden facts, the maxLength limit, latency, tokens
// and cost), compares two targets and checks thresholds for CI.
package eval

import (
	"strings"
	"unicode"
)

// Rouge holds precision, recall and F1 of one ROUGE measure.
type Rouge struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

// Tokens splits text the way Lin's ROUGE does before counting: lowercase runs
// of letters and digits, everything else a separator, no stemming and no
// stopword removal.
func Tokens(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// RougeN scores candidate against reference on n-grams, with each n-gram's
// count clipped to its count in the reference (Lin 2004). Precision divides the
// overlap by the candidate's n-grams, recall by the reference's.
func RougeN(reference, candidate string, n int) Rouge {
	ref := ngrams(Tokens(reference), n)
	cand := ngrams(Tokens(candidate), n)
	refTotal, candTotal := total(ref), total(cand)
	overlap := 0
	for g, c := range cand {
		overlap += min(c, ref[g])
	}
	return newRouge(overlap, candTotal, refTotal)
}

// RougeL scores candidate against reference on the longest common subsequence
// of the two whole token sequences (Lin 2004, section 3.1).
func RougeL(reference, candidate string) Rouge {
	ref, cand := Tokens(reference), Tokens(candidate)
	return newRouge(lcs(ref, cand), len(cand), len(ref))
}

func newRouge(overlap, candTotal, refTotal int) Rouge {
	var r Rouge
	if candTotal > 0 {
		r.Precision = float64(overlap) / float64(candTotal)
	}
	if refTotal > 0 {
		r.Recall = float64(overlap) / float64(refTotal)
	}
	if r.Precision > 0 && r.Recall > 0 {
		r.F1 = 2 * r.Precision * r.Recall / (r.Precision + r.Recall)
	}
	return r
}

func ngrams(tokens []string, n int) map[string]int {
	out := make(map[string]int)
	for i := 0; i+n <= len(tokens); i++ {
		out[strings.Join(tokens[i:i+n], "\x00")]++
	}
	return out
}

func total(m map[string]int) int {
	t := 0
	for _, c := range m {
		t += c
	}
	return t
}

// lcs is the length of the longest common subsequence of a and b, computed in
// two rows so that long summaries cost O(len(b)) memory.
func lcs(a, b []string) int {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			switch {
			case a[i-1] == b[j-1]:
				cur[j] = prev[j-1] + 1
			case prev[j] >= cur[j-1]:
				cur[j] = prev[j]
			default:
				cur[j] = cur[j-1]
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
