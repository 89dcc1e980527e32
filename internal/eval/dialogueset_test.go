package eval

import (
	"regexp"
	"strings"
	"testing"
)

const (
	dialogueSet     = "../../testdata/eval/dialogues.jsonl"
	dialogueSources = "../../testdata/eval/dialogues"
)

// labelStyles name the kinds of transcript the dialogue set must mix: the
// issue asks for two-person dialogues, meeting-style turns, numbered and
// PersonN labels, role labels and no labels at all.
var labelStyles = map[string]*regexp.Regexp{
	"PersonN":   regexp.MustCompile(`(?m)^Person\d:`),
	"Speaker N": regexp.MustCompile(`(?m)^Speaker \d:`),
	"roles":     regexp.MustCompile(`(?m)^(Agent|Customer|Rep|Caller|Patient|Guest|Client|Tenant)[ :(]`),
	"names":     regexp.MustCompile(`(?m)^[A-Z][a-z]+: `),
	"no labels": regexp.MustCompile(`\A[^:]*\z`),
}

// TestDialogueSet keeps testdata/eval/dialogues.jsonl in step with its
// sources (run with -update to rewrite it) and checks the set is varied,
// split and scorable.
func TestDialogueSet(t *testing.T) {
	buf, _ := encodeSources(t, dialogueSources)
	items := syncSet(t, dialogueSet, buf.Bytes())
	if len(items) < 40 {
		t.Errorf("dialogue set has %d items, want at least 40", len(items))
	}
	styles := map[string]int{}
	parts := map[string]int{}
	for _, it := range items {
		parts[it.Split]++
		for name, re := range labelStyles {
			if re.MatchString(it.Transcript) {
				styles[name]++
			}
		}
		t.Run(it.ID, func(t *testing.T) {
			if len(it.Must) < 3 {
				t.Errorf("%d must facts, want at least 3", len(it.Must))
			}
			if n := len(strings.Fields(it.Reference)); n < 25 || n > 80 {
				t.Errorf("reference has %d words, want about 25..80", n)
			}
			checkReference(t, it)
		})
	}
	for name := range labelStyles {
		if styles[name] < 4 {
			t.Errorf("%d transcripts with %s, want at least 4", styles[name], name)
		}
	}
	if parts[SplitTune] < 20 || parts[SplitReport] < 20 || parts[""] > 0 {
		t.Errorf("split parts %v, want at least 20 tune and 20 report, none unsplit", parts)
	}
}
