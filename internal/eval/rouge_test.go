package eval

import (
	"math"
	"slices"
	"testing"
)

// The expected values below are worked by hand; each case shows the work.
func TestRouge(t *testing.T) {
	tests := []struct {
		name       string
		ref, cand  string
		r1, r2, rl Rouge
	}{
		{
			// unigrams: the×2, cat, on, mat shared = 5 of 6 each side.
			// bigrams: "the cat", "on the", "the mat" shared = 3 of 5 each side.
			// LCS: the cat on the mat = 5.
			name: "one word changed",
			ref:  "the cat sat on the mat", cand: "the cat lay on the mat",
			r1: Rouge{5.0 / 6, 5.0 / 6, 5.0 / 6},
			r2: Rouge{3.0 / 5, 3.0 / 5, 3.0 / 5},
			rl: Rouge{5.0 / 6, 5.0 / 6, 5.0 / 6},
		},
		{
			// Lin 2004, S1 against S2: police, the, gunman = 3 of 4; bigram
			// "the gunman" = 1 of 3; LCS "police the gunman" = 3.
			name: "lin S2",
			ref:  "police killed the gunman", cand: "police kill the gunman",
			r1: Rouge{3.0 / 4, 3.0 / 4, 3.0 / 4},
			r2: Rouge{1.0 / 3, 1.0 / 3, 1.0 / 3},
			rl: Rouge{3.0 / 4, 3.0 / 4, 3.0 / 4},
		},
		{
			// Lin 2004, S1 against S3: same unigrams and bigram as S2, but the
			// LCS is only "the gunman" = 2, so ROUGE-L tells them apart.
			name: "lin S3 word order",
			ref:  "police killed the gunman", cand: "the gunman kill police",
			r1: Rouge{3.0 / 4, 3.0 / 4, 3.0 / 4},
			r2: Rouge{1.0 / 3, 1.0 / 3, 1.0 / 3},
			rl: Rouge{2.0 / 4, 2.0 / 4, 2.0 / 4},
		},
		{
			// clipping: "the" counts once, as often as the reference has it.
			// P = 1/4, R = 1/2, F = 2(1/8)/(3/4) = 1/3. No shared bigram.
			name: "clipped counts",
			ref:  "the cat", cand: "the the the the",
			r1: Rouge{1.0 / 4, 1.0 / 2, 1.0 / 3},
			r2: Rouge{},
			rl: Rouge{1.0 / 4, 1.0 / 2, 1.0 / 3},
		},
		{
			// tokens: ref [refund of 49 99 issued], cand [refund issued 49 99].
			// R1: 4 shared, P = 4/4, R = 4/5, F = 1.6/1.8 = 8/9.
			// R2: only "49 99", P = 1/3, R = 1/4, F = (1/6)/(7/12) = 2/7.
			// LCS "refund 49 99" = 3, P = 3/4, R = 3/5, F = 0.9/1.35 = 2/3.
			name: "case and punctuation",
			ref:  "Refund of $49.99, issued!", cand: "REFUND issued: 49.99",
			r1: Rouge{1, 4.0 / 5, 8.0 / 9},
			r2: Rouge{1.0 / 3, 1.0 / 4, 2.0 / 7},
			rl: Rouge{3.0 / 4, 3.0 / 5, 2.0 / 3},
		},
		{
			// shorter candidate: a c e is a subsequence, P = 1, R = 1/2,
			// F = 1/1.5 = 2/3; no adjacent pair survives.
			name: "subsequence",
			ref:  "a b c d e f", cand: "a c e",
			r1: Rouge{1, 1.0 / 2, 2.0 / 3},
			r2: Rouge{},
			rl: Rouge{1, 1.0 / 2, 2.0 / 3},
		},
		{
			name: "empty candidate",
			ref:  "the cat", cand: "",
		},
		{
			name: "nothing shared",
			ref:  "refund issued", cand: "password reset",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkRouge(t, "rouge1", RougeN(tt.ref, tt.cand, 1), tt.r1)
			checkRouge(t, "rouge2", RougeN(tt.ref, tt.cand, 2), tt.r2)
			checkRouge(t, "rougeL", RougeL(tt.ref, tt.cand), tt.rl)
		})
	}
}

func checkRouge(tb testing.TB, name string, got, want Rouge) {
	tb.Helper()
	const eps = 1e-12
	if math.Abs(got.Precision-want.Precision) > eps || math.Abs(got.Recall-want.Recall) > eps || math.Abs(got.F1-want.F1) > eps {
		tb.Errorf("%s = %+v, want %+v", name, got, want)
	}
}

func TestTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Agent: Hello, I'm Dana.", []string{"agent", "hello", "i", "m", "dana"}},
		{"order #A-1042 on 3/14", []string{"order", "a", "1042", "on", "3", "14"}},
		{"Café RÉSUMÉ", []string{"café", "résumé"}},
		{"  ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Tokens(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
