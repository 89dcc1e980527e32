package summary

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCountWords(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{"", 0},
		{"one", 1},
		{"  two  words ", 2},
		{"- first point\n- second point here", 5},
		{"* star bullet\n• dot bullet", 4},
		{"a - b", 3},
		{"-\n-", 0},
		{"a\u00a0b\u3000c\u2028d", 4},
		{"•\u00a0x\n– y", 2},
		{"\xe2\x80 x é", 3},
	}
	for _, tt := range tests {
		if got := CountWords(tt.text); got != tt.want {
			t.Errorf("CountWords(%q) = %d, want %d", tt.text, got, tt.want)
		}
	}
}

func TestEnforce(t *testing.T) {
	tests := []struct {
		name, text string
		max        int
		format     Format
		want       string
		cut        bool
	}{
		{"fits", "Short text.", 5, FormatParagraph, "Short text.", false},
		{"sentence boundary", "One two three. Four five six seven.", 5, FormatParagraph, "One two three.", true},
		{"word boundary", "one two three four five six", 4, FormatParagraph, "one two three four…", true},
		{"strip trailing comma", "one two, three four", 2, FormatParagraph, "one two…", true},
		{"bullets keep whole lines", "- a b c\n- d e f\n- g h i", 6, FormatBullets, "- a b c\n- d e f", true},
		{"bullets cut a long line", "- a b c\n- d e f g h i", 6, FormatBullets, "- a b c\n- d e f…", true},
		{"zero", "a b", 0, FormatParagraph, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, cut := Enforce(tt.text, tt.max, tt.format)
			if got != tt.want || cut != tt.cut {
				t.Errorf("Enforce = %q, %v; want %q, %v", got, cut, tt.want, tt.cut)
			}
			if n := CountWords(got); n > tt.max {
				t.Errorf("result has %d words, max %d", n, tt.max)
			}
		})
	}
}

func TestEnforceNeverExceeds(t *testing.T) {
	var b strings.Builder
	for i := range 400 {
		fmt.Fprintf(&b, "word%d ", i)
		if i%7 == 0 {
			b.WriteString("end. ")
		}
		if i%13 == 0 {
			b.WriteString("\n- ")
		}
	}
	text := b.String()
	for _, f := range []Format{FormatParagraph, FormatBullets} {
		for max := 1; max <= 500; max += 7 {
			got, _ := Enforce(text, max, f)
			if n := CountWords(got); n > max {
				t.Fatalf("format %s max %d: %d words", f, max, n)
			}
		}
	}
}

func TestLayout(t *testing.T) {
	if got, want := Layout([]string{"A.", " ", "B."}, FormatBullets), "- A.\n- B."; got != want {
		t.Errorf("bullets = %q, want %q", got, want)
	}
	if got, want := Layout([]string{"A.", "B."}, FormatParagraph), "A. B."; got != want {
		t.Errorf("paragraph = %q, want %q", got, want)
	}
}

type funcSummarizer struct {
	summarize func(context.Context, Request) (Result, error)
}

func (f *funcSummarizer) Summarize(ctx context.Context, r Request) (Result, error) {
	return f.summarize(ctx, r)
}

func (f *funcSummarizer) SummarizeStream(ctx context.Context, r Request) (Stream, error) {
	return StreamWhole(ctx, r, f.Summarize)
}

var _ Summarizer = (*funcSummarizer)(nil)

func TestLimitEnforces(t *testing.T) {
	long := strings.Repeat("This is a sentence of eight words here. ", 30)
	g := Limit(&funcSummarizer{summarize: func(context.Context, Request) (Result, error) {
		return Result{Summary: long, Model: "m"}, nil
	}})
	r, err := g.Summarize(context.Background(), Request{MaxLength: 20, Format: FormatParagraph})
	if err != nil {
		t.Fatal(err)
	}
	if n := CountWords(r.Summary); n > 20 || n < 16 {
		t.Errorf("summary has %d words, want 16..20", n)
	}
	if !r.Truncated || r.Chunks != 1 || r.ProducedWords != 240 {
		t.Errorf("Truncated=%v Chunks=%d ProducedWords=%d, want true, 1, 240", r.Truncated, r.Chunks, r.ProducedWords)
	}
}

func TestWordLimit(t *testing.T) {
	l := newWordLimit(3)
	var got []string
	for _, p := range []string{"one tw", "o three fo", "ur five"} {
		got = append(got, l.take(p))
	}
	if strings.Join(got, "") != "one two three" || !l.cut || l.words() != 5 {
		t.Errorf("got %q cut=%v words=%d, want one two three, cut, 5 words", got, l.cut, l.words())
	}
}

// TestWordLimitMatchesCountWords splits texts into pieces at every few
// bytes and checks the streamed prefix against CountWords.
func TestWordLimitMatchesCountWords(t *testing.T) {
	texts := []string{
		"one two three four five six seven eight nine ten eleven twelve",
		"- first point here\n- second point\n- third and last point\n* star item\n• dot item",
		"  leading spaces\n\n- \n-\nword - dash inside\tand\ttabs\r\nend",
		"- - double marker\n–  en dash marker line",
		"non\u00a0breaking\u2003em\u3000ideographic\vvertical\fform\u0085next words here",
	}
	for _, text := range texts {
		total := CountWords(text)
		for max := 1; max <= total+1; max++ {
			for step := 1; step <= 7; step += 3 {
				l := newWordLimit(max)
				var out strings.Builder
				runes := []rune(text) // deltas are whole UTF-8 strings
				for i := 0; i < len(runes); i += step {
					out.WriteString(l.take(string(runes[i:min(i+step, len(runes))])))
				}
				if l.words() != total || l.cut != (total > max) {
					t.Fatalf("max %d step %d: words %d cut %v, want %d words, cut %v", max, step, l.words(), l.cut, total, total > max)
				}
				got := out.String()
				if !strings.HasPrefix(text, got) {
					t.Fatalf("max %d step %d: %q is not a prefix of %q", max, step, got, text)
				}
				if n, want := CountWords(got), min(max, total); n != want {
					t.Fatalf("max %d step %d: %q has %d words, want %d", max, step, got, n, want)
				}
			}
		}
	}
}

// TestCharacters: Characters counts as utf8.RuneCountInString on valid
// UTF-8, across the eight-byte steps and the tail.
func TestCharacters(t *testing.T) {
	for _, s := range []string{"", "abc", "abcdefgh", strings.Repeat("été ", 100), "a😀é\u2003z", strings.Repeat("😀", 9)} {
		if got, want := Characters(s), utf8.RuneCountInString(s); got != want {
			t.Errorf("Characters(%q) = %d, want %d", s, got, want)
		}
	}
}
