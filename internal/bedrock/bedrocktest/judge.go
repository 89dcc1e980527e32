package bedrocktest

import (
	"regexp"
	"strconv"
	"strings"
)

var (
	block    = regexp.MustCompile(`(?s)<(transcript|summary)>\n(.*?)\n</(?:transcript|summary)>`)
	factLine = regexp.MustCompile(`(?m)^(\d+)\. (.+)$`)
	numbers  = regexp.MustCompile(`\d+(?:\.\d+)?`)
	sentence = regexp.MustCompile(`(?s)\S.*?(?:[.!?]\s|[.!?]$|\n|$)`)
	word     = regexp.MustCompile(`[a-z]+`)
)

// spoken are the number words calls use, by value.
var spoken = map[string]int{
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
	"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
	"seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
	"sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "first": 1, "second": 2, "third": 3, "fifth": 5,
}

// saysNumber reports whether the call says n, in digits or in words ("eighty-six", "two hundred").
func saysNumber(transcript, n string) bool {
	if strings.Contains(transcript, n) {
		return true
	}
	words := word.FindAllString(strings.ToLower(transcript), -1)
	for i := range words {
		v, ok := spoken[words[i]]
		if !ok {
			continue
		}
		vals := []int{v}
		if i+1 < len(words) && v >= 20 && v%10 == 0 && spoken[words[i+1]] < 10 {
			vals = append(vals, v+spoken[words[i+1]])
		}
		if i+1 < len(words) && words[i+1] == "hundred" {
			vals = append(vals, v*100)
		}
		for _, x := range vals {
			if strconv.Itoa(x) == strings.TrimSuffix(n, ".00") {
				return true
			}
		}
	}
	return false
}

// JudgeTool is the tool the evaluation's LLM judge forces (internal/eval).
const JudgeTool = "record_grade"

// JudgeAnswer answers a record_grade call as a literal-minded judge would:
// each sentence of the summary is a claim, unsupported when it names a
// number the call never says (in digits or simple words: "eighty-six"),
// supported otherwise; a required fact is stated when one of its wordings
// is in the summary; structured sections agree. It is enough to tell a
// reference from one with a wrong amount or an invented refund, and no
// substitute for a model.
func JudgeAnswer(r Request) Answer {
	user := r.UserText()
	parts := map[string]string{}
	for _, m := range block.FindAllStringSubmatch(user, -1) {
		parts[m[1]] = m[2]
	}
	transcript, summary := parts["transcript"], parts["summary"]
	var claims []map[string]any
	for _, s := range sentence.FindAllString(summary, -1) {
		if s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "- ")); s == "" {
			continue
		}
		support := "supported"
		for _, n := range numbers.FindAllString(s, -1) {
			if !saysNumber(transcript, n) {
				support = "unsupported"
			}
		}
		claims = append(claims, map[string]any{"claim": s, "support": support})
	}
	facts := []map[string]any{}
	head, _, _ := strings.Cut(user, "Structured answers to check:")
	for _, m := range factLine.FindAllStringSubmatch(head, -1) {
		stated := false
		for _, w := range strings.Split(m[2], " / ") {
			stated = stated || strings.Contains(strings.ToLower(summary), strings.ToLower(w))
		}
		n, _ := strconv.Atoi(m[1])
		facts = append(facts, map[string]any{"fact": n, "stated": stated})
	}
	input := map[string]any{"claims": claims, "facts": facts}
	for _, p := range r.ToolProperties() {
		if strings.HasSuffix(p, "Agree") {
			input[p] = true
		}
	}
	return Answer{ToolInput: input}
}
