package local

import "strings"

// compress drops the words of a sentence that a written summary leaves
// out and a listener never misses: a preamble that only announces the
// point ("I'm calling because my card was charged twice" states "my card
// was charged twice"), hedging fillers ("like forty", "kind of slow",
// "there's, like, no deductible") and the adverb "just" after its subject
// ("I just moved"); and it writes spoken numbers in figures (figures).
// At 20 words a summary has room for one or two
// sentences, and every word these take is one the outcome does not get.
// Text it would leave under minCompressed words is returned as it is.
func compress(text string) string {
	words := stripGreeting(tokenize(tokens{words: dropPreamble(strings.Fields(text))})).words
	out := make([]string, 0, len(words))
	for i := 0; i < len(words); i++ {
		prev, next := "", ""
		if len(out) > 0 {
			prev = bare(out[len(out)-1])
		}
		if i+1 < len(words) {
			next = bare(words[i+1])
		}
		n := hedgeLen(words[i], prev, next, len(out) > 0 && strings.HasSuffix(out[len(out)-1], ","))
		if n == 0 {
			n = restartLen(words[i:])
		}
		if n == 0 || i+n >= len(words) {
			out = append(out, words[i])
			continue
		}
		if b := bare(words[i]); b != "yeah" && b != "yes" {
			out = dropPause(out, words[i+n-1]) // "yeah" keeps the pause: "the number, hang on"
		}
		i += n - 1
	}
	if len(out) < minCompressed {
		return text
	}
	return capitalise(strings.Join(figures(out), " "))
}

// minCompressed is the fewest words compress leaves a sentence.
const minCompressed = 3

// preambles announce a caller's point without stating it. Each is
// matched on bare words at the start of a sentence, with "that" after it
// dropped too.
var preambles = [][]string{
	{"i'm", "calling", "because"}, {"i", "am", "calling", "because"},
	{"i'm", "just", "calling", "because"}, {"i", "was", "calling", "because"},
	{"i", "called", "because"}, {"i'm", "calling", "since"},
	{"the", "reason", "i'm", "calling", "is"}, {"the", "reason", "i", "called", "is"},
	{"i'm", "calling", "to", "say"}, {"i", "wanted", "to", "let", "you", "know"},
	{"i", "just", "wanted", "to", "let", "you", "know"}, {"i", "wanted", "to", "say"},
}

// markers are phrases that number a caller's points ("Second thing, I got
// a new phone"), dropped from the start of a sentence when a comma or
// colon ends them.
var markers = [][]string{{"second", "thing"}, {"last", "thing"}, {"one", "more", "thing"},
	{"another", "thing"}, {"other", "thing"}, {"the", "other", "thing"}, {"first", "thing"},
	{"first", "of", "all"}, {"the", "thing", "is"}}

// dropPreamble drops a preamble or a marker that opens words.
func dropPreamble(words []string) []string {
	for _, p := range markers {
		if len(words) >= len(p)+minCompressed && startsWith(words, p) && strings.ContainsAny(words[len(p)-1], ",:") {
			words = words[len(p):]
			break
		}
	}
	for _, p := range preambles {
		if len(words) < len(p)+minCompressed || !startsWith(words, p) {
			continue
		}
		rest := words[len(p):]
		if bare(rest[0]) == "that" && len(rest) > minCompressed {
			rest = rest[1:]
		}
		return rest
	}
	return words
}

func startsWith(words, p []string) bool {
	for k, w := range p {
		if bare(words[k]) != w || k < len(p)-1 && endsWithPunct(words[k]) {
			return false
		}
	}
	return true
}

// hedgeLen reports how many words a hedge at w spans (1, or 2 for "kind
// of"), or 0 when w is not one here. prev is the bare word kept before
// it, next the bare word after it, and paused whether prev ends in a
// comma.
func hedgeLen(w, prev, next string, paused bool) int {
	switch bare(w) {
	case "like":
		// "since like seven", "there's, like, no deductible"; not "looks
		// like rain", "I'd like two" or "I like three sugars".
		if !likeTakers[prev] && (paused && strings.HasSuffix(w, ",") || isNumberWord(next)) {
			return 1
		}
	case "just":
		if justSubjects[prev] && !justKeeps[next] {
			return 1
		}
	case "yeah", "yes":
		// "The claim number, yeah, is B-S 2204."
		if paused && strings.HasSuffix(w, ",") {
			return 1
		}
	case "basically", "literally", "honestly", "actually":
		if prev != "" {
			return 1
		}
	case "kind", "sort":
		// "kind of slow", not "what kind of plan".
		if next == "of" && prev != "" && !kindDeterminers[prev] {
			return 2
		}
	}
	return 0
}

// restartLen is how many words a speaker said twice at the start of
// words spans ("a big a big crack", "the whole, the whole thing"): two or
// three words repeated at once, the first saying dropped; else 0.
func restartLen(words []string) int {
	for k := 2; k <= 3 && 2*k <= len(words); k++ {
		same := true
		for j := range k {
			if b := bare(words[j]); b == "" || readOut(b) || b != bare(words[k+j]) {
				same = false
				break
			}
		}
		if same {
			return k
		}
	}
	return 0
}

// likeTakers are words after which "like" means something.
var likeTakers = set("look", "looks", "looked", "looking", "feel", "feels", "felt", "seem", "seems",
	"sound", "sounds", "would", "i'd", "you'd", "we'd", "they'd", "she'd", "he'd", "something",
	"anything", "nothing", "more", "less", "just", "not", "don't", "didn't", "doesn't", "i",
	"you", "we", "they", "he", "she", "really", "also", "would've", "")

// justSubjects are the words "just" follows as an adverb of its verb.
var justSubjects = set("i", "i'm", "i've", "i'll", "i'd", "we", "we're", "we've", "you", "you've",
	"you're", "they", "they're", "they've", "he", "she", "it", "it's", "has", "have", "had",
	"was", "is", "will", "would", "can", "could", "rather")

// justKeeps are words before which "just" means "only" or "exactly".
var justKeeps = set("now", "in", "like", "as", "about", "enough", "a", "an", "one", "the", "because",
	"fine", "right", "for", "two", "once", "that", "this", "what")

// kindDeterminers make "kind of" name a kind.
var kindDeterminers = set("a", "the", "this", "that", "what", "some", "any", "every", "which",
	"one", "no", "same", "other", "right", "wrong", "my", "your", "our", "their")

// numberWords are spoken numbers "like" may hedge.
var numberWords = set("one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
	"ten", "eleven", "twelve", "fifteen", "twenty", "thirty", "forty", "fifty", "sixty",
	"seventy", "eighty", "ninety", "hundred", "half")

// isNumberWord reports whether b, a bare word, is a number: digits, a
// currency amount or a spoken number.
func isNumberWord(b string) bool {
	if b == "" {
		return false
	}
	if c := b[0]; c >= '0' && c <= '9' || c == '$' {
		return true
	}
	return numberWords[b]
}
