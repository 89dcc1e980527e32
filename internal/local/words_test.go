package local

import (
	"slices"
	"strings"
	"testing"
)

// naiveCues finds cue phrases the slow, obvious way: every phrase of every
// list tried at every word start.
func naiveCues(lower string) cueKind {
	lists := map[cueKind][][]string{cueProblem: {problemCues}, cueOutcome: {outcomeCues},
		cuePleasantry: {pleasantries}, cueEscalated: {escalatedCues}, cueResolved: {resolvedCues},
		cueUnresolved: {unresolvedCues}, cueTrigger: {selfTriggers, otherTriggers, companyTriggers},
		cueReaction: {reactions}, cueDecision: {decisionCues}}
	var found cueKind
	for i := 0; i+1 < len(lower); i++ {
		if !isWordByte(lower[i]) || i > 0 && isWordByte(lower[i-1]) {
			continue
		}
		for kind, group := range lists {
			for _, list := range group {
				for _, p := range list {
					if strings.HasPrefix(lower[i:], p) && !(kind&negatable != 0 && negatedBefore(lower[:i])) {
						found |= kind
					}
				}
			}
		}
	}
	return found
}

func TestCueIndexMatchesEveryPhrase(t *testing.T) {
	var texts []string
	for _, list := range [][]string{problemCues, outcomeCues, pleasantries, escalatedCues, resolvedCues,
		unresolvedCues, selfTriggers, otherTriggers, companyTriggers, reactions, decisionCues} {
		for _, p := range list {
			texts = append(texts, p, "so "+p+" now", "x"+p, "it's not "+p, p[:len(p)-1], "("+p+")")
		}
	}
	texts = append(texts, "", "a", "the problem was fixed", "never resolved, but all set", "unresolved",
		"i'll escalate it, that's great")
	for _, s := range Split(generateTranscript(t, 4, 20000)) {
		texts = append(texts, strings.ToLower(s.Text))
	}
	for _, s := range texts {
		if got, want := cues.match(s), naiveCues(s); got != want {
			t.Errorf("cues.match(%q) = %b, want %b", s, got, want)
		}
	}
}

func TestWordSetsHoldTheirWords(t *testing.T) {
	sets := map[string]struct {
		set  wordSet
		list map[string]bool
	}{"fillers": {fillerWords, fillers}, "abbreviations": {abbreviationWords, abbreviations},
		"greetings": {greetingSet, greetingWords}, "backchannels": {backchannelSet, backchannelWords}}
	for name, s := range sets {
		for w := range s.list {
			if !s.set.has(w) {
				t.Errorf("%s: has(%q) = false", name, w)
			}
		}
		for _, w := range []string{"", "about", "u", "umbrella", "refund", "the", "mrs.", "drive"} {
			if s.set.has(w) != s.list[w] {
				t.Errorf("%s: has(%q) = %v", name, w, !s.list[w])
			}
		}
		for _, w := range []string{"", "Mr", "DR", "E.g", "APPROX", "Dept", "I", "About", "ok", "\u212ao", "İnc", "ÉTC", "Sept"} {
			if got, want := s.set.hasLower(w), s.list[strings.ToLower(w)]; got != want {
				t.Errorf("%s: hasLower(%q) = %v", name, w, got)
			}
		}
		for w := range s.list {
			if up := strings.ToUpper(w); !s.set.hasLower(up) {
				t.Errorf("%s: hasLower(%q) = false", name, up)
			}
		}
	}
	for w := range leadMarkers {
		if !leadFilter.may(w[0], secondByte(w), len(w)) {
			t.Errorf("leadFilter turns away %q", w)
		}
	}
	for w := range moodWords {
		if !moodFilter.may(w[0], secondByte(w), len(w)) {
			t.Errorf("moodFilter turns away %q", w)
		}
	}
}

func TestLowerMatchesStringsToLower(t *testing.T) {
	for _, w := range []string{"", "i", "I", "A", "ok", "Okay", "I'm", "THANKS", "Thank", "Jordan",
		"Supercalifragilistic", "İstanbul", "ÉCOLE", "Straße", "mIxEd", "\xff", "A1B2",
		"@AZ[`az{ ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 @[`{~\x7f", "EIGHT BYTES THEN É", "Ok, THEN"} {
		if got, want := lower(w), strings.ToLower(w); got != want {
			t.Errorf("lower(%q) = %q, want %q", w, got, want)
		}
		if got, want := string(appendLower([]byte("x"), w)), "x"+strings.ToLower(w); got != want {
			t.Errorf("appendLower(%q) = %q, want %q", w, got, want)
		}
	}
}

func TestIsBareWordsAreBare(t *testing.T) {
	for _, w := range []string{"", "don't", "uh-huh", "it's", "-", "'", "123", "ok,", "end.", "(a)", "Hi", "é", "a_b"} {
		if isBare(w) && bare(w) != w {
			t.Errorf("isBare(%q), but bare(%q) = %q", w, w, bare(w))
		}
	}
}

func TestNextTerm(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"", nil},
		{"I'm charged $64.99 twice!", []string{"i'm", "charged", "64.99", "twice"}},
		{"Don’t RESET it.", []string{"don't", "reset", "it"}},
		{"'quoted' 3. end", []string{"quoted", "3", "end"}},
		{"Ünïcode Straße, naïve", []string{"ünïcode", "straße", "naïve"}},
		{"a-b c_d\xffe", []string{"a", "b", "c", "d", "e"}},
	}
	for _, tt := range tests {
		var got []string
		var buf []byte
		for j := 0; j < len(tt.text); {
			if buf, j = nextTerm(tt.text, j, buf); len(buf) > 0 {
				got = append(got, string(buf))
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("terms of %q = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestBytePairsHoldEverySubstring(t *testing.T) {
	text := "i'll send you the refund today, and you'll get an email"
	p := pairsOf(text)
	for i := range len(text) {
		for j := i; j <= len(text); j++ {
			if !p.mayHold(text[i:j]) {
				t.Fatalf("mayHold(%q) = false", text[i:j])
			}
		}
	}
	if p.mayHold("please restart") {
		t.Error(`mayHold("please restart") = true for a text without "pl"`)
	}
}

func TestTermIndexNumbersTermsInOrder(t *testing.T) {
	x := newTermIndex(0)
	words := []string{"refunds", "the", "a", "5", "refunded", "charges", "supercalifragilistic", "refunding",
		"supercalifragilistic", "charges"}
	want := []int32{0, -1, -1, 1, 0, 2, 3, 0, 3, 2}
	for k, w := range words {
		if got := x.id([]byte(w)); got != want[k] {
			t.Errorf("id(%q) = %d, want %d", w, got, want[k])
		}
	}
	packed := map[uint64]string{}
	for _, list := range []map[string]bool{stopWords, fillers, backchannelWords, actionVerbs, skipWords} {
		for w := range list {
			if len(w) > 8 {
				continue
			}
			if other, ok := packed[pack([]byte(w))]; ok && other != w {
				t.Errorf("pack(%q) = pack(%q)", w, other)
			}
			packed[pack([]byte(w))] = w
		}
	}
}

// TestPackedTableMatchesMap: the table finds every key it was given, with
// its number, across growing, and no other key.
func TestPackedTableMatchesMap(t *testing.T) {
	tab, want := newPackedTable(1), map[uint64]int32{}
	for i := range 5000 {
		k := uint64(i*i+1) << (i % 17) // keys that share low or high bits
		if _, ok := want[k]; ok {
			continue
		}
		if _, ok := tab.get(k); ok {
			t.Fatalf("get(%d) found a key not put", k)
		}
		tab.put(k, int32(i))
		want[k] = int32(i)
	}
	for k, v := range want {
		if got, ok := tab.get(k); !ok || got != v {
			t.Fatalf("get(%d) = %d, %v, want %d", k, got, ok, v)
		}
	}
}

// TestPackIgnoresBytesPastTheWord: a word read in one load, with other
// bytes after it in its buffer, packs as its own bytes alone do.
func TestPackIgnoresBytesPastTheWord(t *testing.T) {
	buf := []byte("refunded")
	for n := 1; n <= 8; n++ {
		word := buf[:n]
		alone := slices.Clip(slices.Clone(word))
		if cap(alone) >= 8 {
			alone = alone[:n:n]
		}
		if got, want := pack(word), pack(alone); got != want || got == 0 {
			t.Errorf("pack(%q) = %x in a buffer, %x alone", word, got, want)
		}
	}
	if pack([]byte("ab")) == pack([]byte("ba")) {
		t.Error("pack does not tell the order of bytes apart")
	}
}
