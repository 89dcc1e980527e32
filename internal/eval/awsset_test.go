package eval

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/llm-testing/llm-testing/internal/summary"
	"github.com/llm-testing/llm-testing/internal/transcript"
	"github.com/llm-testing/llm-testing/internal/transcript/transcripttest"
)

const (
	awsSet     = "../../testdata/eval/aws-documents.jsonl"
	awsSources = "../../testdata/eval/aws-documents"
)

// supervisorID is the Contact Lens participant a source's Supervisor lines
// are written as.
const supervisorID = "5c1d7e0a-3b9f-4e62-a8d4-2f6b0c9e7a13"

// awsSource reads one hand-written AWS call: parseSource's header with one
// more key, "document: <format>", and a transcript of "Agent:", "Customer:"
// and (Contact Lens only) "Supervisor:" lines, which it writes as the
// document that format's service would, timed at the generator's rate.
func awsSource(text string) (Item, error) {
	var format transcript.Format
	var head []string
	top, body, _ := strings.Cut(text, "\n---\n")
	for line := range strings.SplitSeq(top, "\n") {
		if v, ok := strings.CutPrefix(line, "document:"); ok {
			format = transcript.Format(strings.TrimSpace(v))
			continue
		}
		head = append(head, line)
	}
	if !slices.Contains(transcript.Formats(), format) {
		return Item{}, fmt.Errorf("document %q: want one of %v", format, transcript.Formats())
	}
	it, err := parseSource(strings.Join(head, "\n") + "\n---\n" + body)
	if err != nil {
		return Item{}, err
	}
	lines, supervised, err := scriptLines(it.Transcript)
	if err != nil {
		return Item{}, err
	}
	if len(supervised) > 0 && format != transcript.FormatContactLens {
		return Item{}, fmt.Errorf("supervisor lines in a %s document: only Contact Lens names a supervisor", format)
	}
	var raw []byte
	switch format {
	case transcript.FormatTranscribe:
		raw = transcripttest.Transcribe(lines)
	case transcript.FormatCallAnalytics:
		raw = transcripttest.CallAnalytics(lines)
	case transcript.FormatContactLens:
		raw = transcripttest.ContactLens(lines)
	}
	if err := json.Unmarshal(raw, &it.Document); err != nil {
		return Item{}, fmt.Errorf("decode generated document: %w", err)
	}
	if len(supervised) > 0 {
		it.Document["Participants"] = append(it.Document["Participants"].([]any),
			map[string]any{"ParticipantId": supervisorID, "ParticipantRole": "SUPERVISOR"})
		entries := it.Document["Transcript"].([]any)
		for _, i := range supervised {
			entries[i].(map[string]any)["ParticipantId"] = supervisorID
		}
	}
	it.Transcript = ""
	return it, nil
}

// scriptLines times a transcript's lines one after another at
// transcripttest.WordsPerMinute; supervised lists the Supervisor lines,
// which are on the agent's side.
func scriptLines(text string) (lines []transcripttest.Line, supervised []int, err error) {
	var at int64
	for i, l := range strings.Split(text, "\n") {
		who, said, ok := strings.Cut(l, ": ")
		if !ok || (who != "Agent" && who != "Customer" && who != "Supervisor") {
			return nil, nil, fmt.Errorf("line %d %q: want Agent:, Customer: or Supervisor:", i+1, l)
		}
		if who == "Supervisor" {
			supervised = append(supervised, i)
		}
		dur := int64(len(strings.Fields(said))) * 60000 / transcripttest.WordsPerMinute
		lines = append(lines, transcripttest.Line{Agent: who != "Customer", Text: said, StartMs: at, EndMs: at + dur})
		at += dur + 400
	}
	return lines, supervised, nil
}

// TestAWSDocumentSet keeps testdata/eval/aws-documents.jsonl in step with
// its sources (run with -update to rewrite it), and checks each format has
// 3 to 6 calls whose roles reach the turns as the README says.
func TestAWSDocumentSet(t *testing.T) {
	buf, _ := encodeFrom(t, awsSources, awsSource)
	items := syncSet(t, awsSet, buf.Bytes())
	formats := map[transcript.Format]int{}
	for _, it := range items {
		t.Run(it.ID, func(t *testing.T) {
			turns, format, err := transcript.Parse(it.Document, "")
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			formats[format]++
			if !strings.HasPrefix(it.ID, map[transcript.Format]string{transcript.FormatTranscribe: "tr-",
				transcript.FormatCallAnalytics: "ca-", transcript.FormatContactLens: "cl-"}[format]) {
				t.Errorf("detected as %s", format)
			}
			roles := map[summary.Role]int{}
			for _, tu := range turns {
				roles[tu.Role]++
			}
			// Only the call whose agent never greets keeps its diarized
			// speakers as other; every other call knows both sides.
			if it.ID == "tr-no-greeting" {
				if roles[summary.RoleOther] != len(turns) {
					t.Errorf("roles %v, want all other: no greeting to infer from", roles)
				}
			} else if roles[summary.RoleAgent] == 0 || roles[summary.RoleCustomer] == 0 || roles[summary.RoleOther] > 0 {
				t.Errorf("roles %v, want agent and customer only", roles)
			}
			if strings.Contains(it.ID, "supervisor") {
				b, _ := json.Marshal(it.Document["Participants"])
				if !strings.Contains(string(b), `"SUPERVISOR"`) {
					t.Errorf("participants %s: no supervisor", b)
				}
			}
			if len(it.Must) < 3 {
				t.Errorf("%d must facts, want at least 3", len(it.Must))
			}
			if n := len(strings.Fields(it.Reference)); n < 25 || n > 80 {
				t.Errorf("reference has %d words, want about 25..80", n)
			}
			checkReference(t, it)
			if err := it.validCall(); err != nil {
				t.Error(err)
			}
		})
	}
	for _, f := range transcript.Formats() {
		if n := formats[f]; n < 3 || n > 6 {
			t.Errorf("%d %s calls, want 3..6", n, f)
		}
	}
}
