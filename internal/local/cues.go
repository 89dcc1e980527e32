package local

import (
	"cmp"
	"slices"
	"strings"
)

// cueKind is a set of kinds of cue phrase found in a sentence.
type cueKind uint16

// The kinds of cue phrase.
const (
	cueProblem cueKind = 1 << iota
	cueOutcome
	cuePleasantry
	cueEscalated
	cueResolved
	cueUnresolved
	cueTrigger
	cueReaction
	cueDecision
)

// negatable kinds do not count after "not", "n't" or "never".
const negatable = cueResolved

// cueIndex finds every cue phrase that starts a word of a sentence in one
// pass: it is a trie of the phrases, walked from each word start only as
// far as the text follows some phrase. The cue lists are long and a
// sentence has few words, so this is much cheaper than one substring search
// per phrase.
type cueIndex struct {
	first [256]int32 // the root's child for each byte, 0 for none
	nodes []cueNode  // nodes[0] is the root
	edges []cueEdge  // the children of every node, each node's together
	// wide holds, for the nodes of more than wideNode children, the child
	// for each byte, so that they are not searched.
	wide [][256]int32
}

// wideNode is how many children a node has at most for them to be
// searched rather than looked up.
const wideNode = 4

// cueNode is a trie node: the text so far is a prefix of some phrase.
type cueNode struct {
	kinds cueKind // the kinds of the phrases that end here
	n     uint16  // how many children it has
	edges int32   // where its children start in edges, or in wide if n > wideNode
	// A node of one child, but the root, leads along tail, the bytes of a
	// run of nodes with no phrase ending and no branch, to node jump.
	tail string
	jump int32
}

// cueEdge leads to the node of the text so far followed by byte b.
type cueEdge struct {
	b    byte
	node int32
}

// child returns the node after node nd and byte b, or 0 when no phrase
// goes on so.
func (ix *cueIndex) child(nd *cueNode, b byte) int32 {
	if nd.n > wideNode {
		return ix.wide[nd.edges][b]
	}
	for _, e := range ix.edges[nd.edges : nd.edges+int32(nd.n)] {
		if e.b >= b { // edges are sorted by byte
			if e.b == b {
				return e.node
			}
			break
		}
	}
	return 0
}

// newCueIndex builds the trie of every phrase of lists, each a cue of its
// kind.
func newCueIndex(lists map[cueKind][][]string) *cueIndex {
	kinds := []cueKind{0}    // of each node
	next := [][]cueEdge{nil} // the children of each node
	for kind, group := range lists {
		for _, list := range group {
			for _, p := range list {
				n := int32(0)
				for i := 0; i < len(p); i++ {
					k := slices.IndexFunc(next[n], func(e cueEdge) bool { return e.b == p[i] })
					if k < 0 {
						next[n] = append(next[n], cueEdge{b: p[i], node: int32(len(kinds))})
						kinds, next = append(kinds, 0), append(next, nil)
						k = len(next[n]) - 1
					}
					n = next[n][k].node
				}
				kinds[n] |= kind
			}
		}
	}
	return freezeCues(kinds, next)
}

// freezeCues lays out the trie of nodes of kinds and children next as a
// cueIndex.
func freezeCues(kinds []cueKind, next [][]cueEdge) *cueIndex {
	ix := &cueIndex{nodes: make([]cueNode, len(kinds))}
	for n := range kinds {
		slices.SortFunc(next[n], func(x, y cueEdge) int { return cmp.Compare(x.b, y.b) })
		ix.nodes[n] = cueNode{kinds: kinds[n], n: uint16(len(next[n])), edges: int32(len(ix.edges))}
		if n > 0 && len(next[n]) == 1 {
			ix.nodes[n].tail, ix.nodes[n].jump = chain(kinds, next, n)
		}
		if len(next[n]) <= wideNode {
			ix.edges = append(ix.edges, next[n]...)
			continue
		}
		ix.nodes[n].edges = int32(len(ix.wide))
		ix.wide = append(ix.wide, [256]int32{})
		for _, e := range next[n] {
			ix.wide[len(ix.wide)-1][e.b] = e.node
		}
	}
	for _, e := range next[0] {
		ix.first[e.b] = e.node
	}
	return ix
}

// chain follows the only child of node n, and the only child of that, as
// long as no phrase ends on the way and nothing branches: it returns the
// bytes on the way and the node it comes to.
func chain(kinds []cueKind, next [][]cueEdge, n int) (tail string, to int32) {
	var b []byte
	for len(next[n]) == 1 {
		e := next[n][0]
		b, n = append(b, e.b), int(e.node)
		if kinds[n] != 0 {
			break
		}
	}
	return string(b), int32(n)
}

// cues indexes every cue list of the package.
var cues = newCueIndex(map[cueKind][][]string{
	cueProblem:    {problemCues},
	cueOutcome:    {outcomeCues},
	cuePleasantry: {pleasantries},
	cueEscalated:  {escalatedCues},
	cueResolved:   {resolvedCues},
	cueUnresolved: {unresolvedCues},
	cueTrigger:    {selfTriggers, otherTriggers, companyTriggers},
	cueReaction:   {reactions},
	cueDecision:   {decisionCues},
})

// match returns the kinds of cue phrase in lower, a lower-cased sentence.
// A phrase counts where it starts a word; a negatable one only when no
// negation comes just before it ("not resolved").
func (ix *cueIndex) match(lower string) cueKind {
	var found cueKind
	for i := 0; i+1 < len(lower); {
		if !isWordByte(lower[i]) {
			i++
			continue
		}
		if ix.first[lower[i]] != 0 { // i starts a word that may start a phrase
			kinds := ix.prefixes(lower[i:])
			if kinds&negatable != 0 && negatedBefore(lower[:i]) {
				kinds &^= negatable
			}
			found |= kinds
		}
		for i++; i < len(lower) && isWordByte(lower[i]); i++ {
		}
	}
	return found
}

// prefixes returns the kinds of the phrases s, not empty, starts with.
func (ix *cueIndex) prefixes(s string) cueKind {
	n := ix.first[s[0]]
	kinds := ix.nodes[n].kinds // the root, node 0, ends no phrase
	for i := 1; n != 0 && i < len(s); {
		nd := &ix.nodes[n]
		if nd.tail != "" {
			if !strings.HasPrefix(s[i:], nd.tail) {
				break
			}
			i, n = i+len(nd.tail), nd.jump
		} else {
			i, n = i+1, ix.child(nd, s[i])
		}
		kinds |= ix.nodes[n].kinds
	}
	return kinds
}

func isWordByte(c byte) bool { return wordBytes[c] }

// wordBytes marks the bytes of words: ASCII letters, digits and the
// apostrophe, and every byte of a non-ASCII rune.
var wordBytes = func() (is [256]bool) {
	for c := range 256 {
		is[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '\'' || c >= 0x80
	}
	return is
}()

// negatedBefore reports whether the text just before a cue negates it.
func negatedBefore(before string) bool {
	before = before[max(0, len(before)-12):]
	return strings.Contains(before, "not ") || strings.Contains(before, "n't ") ||
		strings.Contains(before, "never ")
}

// Cue lists. Phrases are lower case and at least two bytes long.
var (
	// problemCues mark a caller stating why they called.
	problemCues = []string{"calling about", "calling because", "calling to", "the problem",
		"the issue", "charged", "double charged", "overcharged", "refund", "can't", "cannot",
		"won't", "doesn't work", "not working", "broken", "locked out", "error", "cancel",
		"reset", "wrong", "missing", "never arrived", "late", "damaged", "dispute"}
	// outcomeCues mark what was done or decided.
	outcomeCues = []string{"refunded", "credited", "processed", "issued", "reset", "resolved",
		"fixed", "escalat", "ticket", "case number", "confirmation", "waived", "replacement",
		"all set", "business days", "within", "by tomorrow", "next week", "unlocked"}
	// pleasantries are routine phrases that are never the point of a call.
	pleasantries = []string{"thank you for calling", "thanks for calling", "have a great",
		"have a good", "have a nice", "anything else", "how can i help", "how may i help",
		"my name is", "bear with me", "one moment", "please hold", "hold on", "can i have your",
		"may i have your", "can i get your", "for security", "verify your", "is there something",
		"you're welcome", "my pleasure", "this call may be recorded", "how are you",
		"doing well", "good morning", "good afternoon", "take care", "what i can do",
		"let me pull up", "let me check", "let me look", "let me see", "let me just",
		"i'm sorry to hear", "i understand", "sorry about that", "no problem",
		"verification", "confirm your", "date of birth", "last four", "your account number",
		"the account number", "your employee id", "spell your", "your full name", "zip code",
		"postal code", "security question", "name on the account", "what's your",
		"welcome to", "welcome back", "good luck", "best of luck"}
	// escalatedCues mark a case handed to someone else.
	escalatedCues = []string{"escalat", "transfer you", "transferring you", "supervisor",
		"my manager", "a manager", "specialist will", "tier 2", "tier two", "second level",
		"level 2", "engineering team", "technical team will", "open a ticket", "opened a ticket",
		"raise a ticket", "raised a ticket", "submitted a ticket", "created a ticket",
		"another department", "billing department will", "forward this to"}
	// resolvedCues mark a problem solved on the call.
	resolvedCues = []string{"resolved", "fixed", "all set", "taken care of", "that worked",
		"it works", "it worked", "it's working", "working now", "works now", "has been processed",
		"been issued", "i've issued", "i have issued", "been refunded", "been credited",
		"been reset", "problem solved", "that solves", "that's all i needed",
		"that is all i needed", "that helps", "that helped", "perfect", "thanks for your help",
		"thank you for your help", "thank you so much", "sorted", "went through", "is now active",
		"has been updated", "has been cancelled", "has been canceled", "you should receive",
		"you'll receive", "able to log in", "i'm in", "got it working", "can log in",
		"i can see it", "that's great", "great, thank", "appreciate your help", "all good",
		"that's everything", "you will receive", "you will get", "you'll get", "will be refunded",
		"will be credited", "i've refunded", "i have refunded", "i've credited", "i have credited"}
	// unresolvedCues mark a problem left open.
	unresolvedCues = []string{"still not", "still doesn't", "still don't", "still can't",
		"still isn't", "still won't", "not working", "doesn't work", "didn't work",
		"not resolved", "not fixed", "unable to", "can't help", "cannot help",
		"nothing i can do", "nothing we can do", "call back later", "try again later",
		"get back to you", "call you back", "waiting on", "unfortunately", "i'll cancel",
		"going to cancel", "cancel my", "not happy", "ridiculous", "unacceptable",
		"waste of time", "file a complaint", "no one has", "hasn't been", "haven't been"}
)

var (
	// reactions are what a listener says back, and stock phrases: how
	// someone feels about the news, never the news itself.
	reactions = []string{"that's amazing", "that's great", "that's so ", "that's a good idea",
		"that's a relief", "that's kind", "that's very kind", "that's not fair", "that's too bad",
		"that's a lot", "that's a big", "that's much better", "that would really help",
		"that would help", "that would be great", "congratulations", "oh no", "oh,", "wow",
		"no way", "i can't believe", "lifesaver", "how nice", "lovely", "fair enough", "typical",
		"worth a try", "of course it is", "i know.", "i'd love to", "sounds good", "sounds fair",
		"sounds great", "deal.", "good news", "great plan", "great idea", "great advice",
		"good idea", "great question", "really?", "thank goodness", "what a ", "not at all",
		"two sides to every story", "better late than never", "it is what it is",
		"you never know", "easier said than done", "that's life", "at the end of the day",
		"i didn't even know", "i thought i was going mad", "you've saved", "ouch", "don't worry",
		"you must be", "i'm glad", "i'm so glad", "you're right", "exactly.", "me too",
		"i agree", "i understand, but", "hmm", "i hadn't thought", "why not", "you're kidding"}
	// decisionCues mark what the speakers settled on.
	decisionCues = []string{"let's ", "let us ", "we'll ", "we will ", "agreed", "decided",
		"decide to", "go with", "it is.", "instead", "we delay", "we make", "we'll do",
		"i've booked", "i'm booking", "i've booked", "booked", "i'll book", "reserve",
		"we're going with", "the plan is", "we can do", "i can offer", "i've applied",
		"i've sent", "i've marked", "i've renewed", "i've unblocked", "i've now", "approved",
		"i'll have", "will be ready", "ready by", "scheduled", "i'm scheduling"}
)
