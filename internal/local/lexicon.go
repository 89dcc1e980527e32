package local

// The word lists below are read-only after package initialisation. Keys are
// lower case; words are compared after stripping surrounding punctuation.

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// fillers are tokens that carry nothing anywhere in an utterance.
var fillers = set("um", "umm", "ummm", "uh", "uhh", "uhm", "erm", "er", "err", "ah", "ahh",
	"hmm", "hm", "hmmm", "mm", "mmm", "mhm", "mm-hmm", "mm-hm", "uh-huh", "uh-uh", "eh")

// leadMarkers are discourse markers dropped from the start of a sentence.
// The value says whether the marker is dropped only when a comma follows it.
var leadMarkers = map[string]bool{
	"so": false, "okay": false, "ok": false, "alright": false, "oh": false, "yeah": false,
	"and": false, "but": false, "well": true, "yes": true, "right": true, "now": true,
	"anyway": true, "actually": true, "basically": true, "like": true, "see": true, "look": true,
	"first": true, "second": true, "third": true, "also": true, "plus": true, "listen": true,
	"honestly": true, "lastly": true, "finally": true, "anyways": true, "sorry": true,
}

// annotations are bracketed non-speech notes of transcription tools.
var annotations = set("laughs", "laughing", "laughter", "inaudible", "crosstalk", "pause",
	"paused", "sighs", "sigh", "silence", "music", "coughs", "cough", "unintelligible",
	"noise", "typing", "static", "chuckles", "beep", "hold", "on hold", "hold music",
	"background noise", "long pause", "silence on line", "indistinct", "overlapping")

// backchannelWords make up turns such as "ok", "yeah sure", "got it, thanks".
var backchannelWords = set("ok", "okay", "yeah", "yes", "yep", "yup", "no", "nope", "sure",
	"right", "alright", "all", "thanks", "thank", "you", "great", "perfect", "got", "it",
	"i", "see", "cool", "fine", "good", "sounds", "oh", "hello", "hi", "hey", "bye",
	"goodbye", "awesome", "understood", "gotcha", "absolutely", "exactly", "definitely",
	"wonderful", "excellent", "correct", "true", "wow", "really", "so", "uh-huh", "mm-hmm",
	"mhm", "hmm", "one", "moment", "sec", "second", "hold", "on", "please", "sir", "ma'am",
	"very", "much", "that's", "thats", "appreciate", "problem", "course", "of", "me", "well")

// greetingWords open a greeting stripGreeting may drop.
var greetingWords = set("hi", "hello", "hey")

// stopWords are left out of centrality scoring.
var stopWords = set("a", "about", "above", "after", "again", "against", "all", "am", "an",
	"and", "any", "are", "as", "at", "be", "because", "been", "before", "being", "below",
	"between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down",
	"during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he",
	"her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into",
	"is", "it", "its", "itself", "just", "me", "more", "most", "my", "myself", "no", "nor",
	"not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours",
	"ourselves", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than",
	"that", "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they",
	"this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we",
	"were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with",
	"would", "you", "your", "yours", "yourself", "yourselves", "i'm", "i'll", "i've", "i'd",
	"you're", "you'll", "you've", "you'd", "we're", "we'll", "we've", "it's", "that's",
	"there's", "don't", "doesn't", "didn't", "can't", "won't", "isn't", "wasn't", "aren't",
	"let", "let's", "ok", "okay", "yeah", "yes", "yep", "sure", "right", "well", "oh", "get",
	"got", "go", "going", "know", "like", "really", "thank", "thanks", "please", "also",
	"one", "see", "think", "want", "need", "say", "said", "tell", "told", "today", "hi",
	"hello", "um", "uh", "mm", "hmm", "gonna", "wanna", "actually", "maybe", "something",
	"anything", "everything", "thing", "things", "way", "much", "many", "lot", "still",
	"sir", "ma'am", "bye", "good", "great", "could", "may", "might", "must", "shall", "make",
	"sorry", "appreciate", "help", "us", "that'll", "here's", "what's", "how's", "he's",
	"she's", "they're", "they'll", "we'd", "they'd", "he'll", "she'll", "couldn't",
	"wouldn't", "shouldn't", "haven't", "hasn't", "hadn't", "okay", "alright", "absolutely")

// abbreviations end with a period that does not end a sentence.
var abbreviations = set("mr", "mrs", "ms", "dr", "st", "jr", "sr", "vs", "e.g", "i.e", "inc",
	"ltd", "co", "approx", "dept", "acct", "a.m", "p.m", "etc", "u.s", "ave", "apt", "fig",
	"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
	"prof", "corp", "mt", "ft", "est", "tel", "ext")

// negators flip the polarity of the sentiment words that follow them.
var negators = set("not", "no", "never", "nothing", "nobody", "none", "neither", "nor",
	"hardly", "barely", "cannot", "without", "dont", "cant", "wont", "isnt", "wasnt",
	"didnt", "doesnt", "havent", "hasnt", "couldnt", "wouldnt", "arent", "werent", "aint")

// intensifiers strengthen the sentiment word that follows them.
var intensifiers = set("very", "really", "so", "extremely", "super", "incredibly", "totally",
	"absolutely", "completely", "truly", "seriously", "quite", "too")

// sentimentWords map words to a polarity weight, positive or negative.
var sentimentWords = map[string]float64{
	"happy": 1, "glad": 1, "great": 1, "good": 0.6, "excellent": 1.5, "perfect": 1.2,
	"awesome": 1.2, "amazing": 1.2, "wonderful": 1.2, "fantastic": 1.2, "love": 1.2,
	"pleased": 1, "satisfied": 1, "helpful": 1, "appreciate": 0.8, "appreciated": 0.8,
	"thanks": 0.4, "thank": 0.4, "relieved": 1, "resolved": 0.6, "fixed": 0.6, "works": 0.5,
	"working": 0.4, "easy": 0.6, "quick": 0.5, "fast": 0.5, "nice": 0.7, "fine": 0.3,
	"brilliant": 1.2, "lifesaver": 1.5, "grateful": 1, "delighted": 1.5, "smooth": 0.6,
	"angry": -1.5, "upset": -1.2, "frustrated": -1.5, "frustrating": -1.5, "annoyed": -1.2,
	"annoying": -1.2, "unhappy": -1.2, "disappointed": -1.3, "disappointing": -1.3,
	"terrible": -1.5, "horrible": -1.5, "awful": -1.5, "worst": -1.5, "bad": -0.8,
	"ridiculous": -1.5, "unacceptable": -1.5, "useless": -1.3, "broken": -0.8, "wrong": -0.7,
	"problem": -0.4, "issue": -0.3, "confused": -0.7, "confusing": -0.7, "worried": -0.8,
	"waste": -1, "wasted": -1, "never": -0.3, "complaint": -0.8, "complain": -0.8,
	"overcharged": -1.2, "scam": -1.5, "fraud": -1, "rude": -1.3, "cancel": -0.5,
	"sick": -0.8, "tired": -0.8, "stuck": -0.8, "fail": -0.8, "failed": -0.8, "failing": -0.8,
	"hate": -1.5, "mad": -1.2, "furious": -2, "outrageous": -1.5, "nightmare": -1.5,
	"hassle": -0.8, "unfortunately": -0.3, "slow": -0.6, "late": -0.5, "lost": -0.6,
	"error": -0.5, "twice": -0.3, "impossible": -1, "poor": -1, "shocked": -1,
}
