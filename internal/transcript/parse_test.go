package transcript_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/llm-testing/llm-testing/internal/summary"
	"github.com/llm-testing/llm-testing/internal/transcript"
	"github.com/llm-testing/llm-testing/internal/transcript/transcripttest"
)

func decode(tb testing.TB, data []byte) any {
	tb.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		tb.Fatal(err)
	}
	return v
}

func load(tb testing.TB, name string) any {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return decode(tb, data)
}

func TestParseSmall(t *testing.T) {
	tests := []struct {
		file   string
		format transcript.Format
		want   []summary.Turn
	}{
		{"transcribe.json", transcript.FormatTranscribe, []summary.Turn{
			{Speaker: "spk_0", Role: summary.RoleAgent, Text: "Thanks for calling Acme, how can I help?", StartMs: 500, EndMs: 2900, Timed: true},
			{Speaker: "spk_1", Role: summary.RoleCustomer, Text: "I was charged twice.", StartMs: 3100, EndMs: 4600, Timed: true},
			{Speaker: "spk_0", Role: summary.RoleAgent, Text: "I will refund it.", StartMs: 5000, EndMs: 6200, Timed: true},
		}},
		{"call-analytics.json", transcript.FormatCallAnalytics, []summary.Turn{
			{Speaker: "CUSTOMER", Role: summary.RoleCustomer, Text: "Hello, I want to cancel my gym membership.", StartMs: 1200, EndMs: 3900, Timed: true},
			{Speaker: "AGENT", Role: summary.RoleAgent, Text: "I can help with that. I will cancel it from the end of this month.", StartMs: 4300, EndMs: 8100, Timed: true},
			{Speaker: "CUSTOMER", Role: summary.RoleCustomer, Text: "Thank you.", StartMs: 8400, EndMs: 9000, Timed: true},
		}},
		{"contact-lens.json", transcript.FormatContactLens, []summary.Turn{
			{Speaker: "SYSTEM", Role: summary.RoleOther, Text: "Your call may be recorded.", StartMs: 0, EndMs: 1500, Timed: true},
			{Speaker: "AGENT", Role: summary.RoleAgent, Text: "Good morning, you are through to Dana in billing.", StartMs: 1600, EndMs: 4000, Timed: true},
			{Speaker: "CUSTOMER", Role: summary.RoleCustomer, Text: "My parcel never arrived and I need a replacement.", StartMs: 4200, EndMs: 7300, Timed: true},
			{Speaker: "AGENT", Role: summary.RoleAgent, Text: "I will ship a replacement today by express post.", StartMs: 7500, EndMs: 10100, Timed: true},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			doc := load(t, tt.file)
			for _, given := range []transcript.Format{"", tt.format} {
				turns, format, err := transcript.Parse(doc, given)
				if err != nil {
					t.Fatalf("Parse(%q): %v", given, err)
				}
				if format != tt.format {
					t.Errorf("format = %q, want %q", format, tt.format)
				}
				if len(turns) != len(tt.want) {
					t.Fatalf("got %d turns %+v, want %d", len(turns), turns, len(tt.want))
				}
				for i := range turns {
					if turns[i] != tt.want[i] {
						t.Errorf("turn %d = %+v, want %+v", i, turns[i], tt.want[i])
					}
				}
			}
		})
	}
}

func TestParseMalformed(t *testing.T) {
	tests := []struct {
		name, doc string
		format    transcript.Format
		path      string // the Error's Path
	}{
		{"not an object", `[1]`, "", ""},
		{"unknown shape", `{"foo":1}`, "", ""},
		{"results not an object", `{"results":[]}`, "", "results"},
		{"no items", `{"results":{}}`, "", "results.items"},
		{"item without alternatives", `{"results":{"items":[{"type":"pronunciation","start_time":"1.0","end_time":"1.2"}]}}`, "", "results.items[0].alternatives"},
		{"bad time", `{"results":{"items":[{"type":"pronunciation","alternatives":[{"content":"hi"}],"start_time":"soon","end_time":"1.2"}]}}`, "", "results.items[0].start_time"},
		{"no words", `{"results":{"items":[]}}`, "", ""},
		{"segment without speaker", `{"results":{"items":[],"speaker_labels":{"segments":[{"start_time":"0","end_time":"1"}]}}}`, "", "results.speaker_labels.segments[0].speaker_label"},
		{"entry without role", `{"Transcript":[{"Content":"hi","BeginOffsetMillis":0,"EndOffsetMillis":5}]}`, "", "Transcript[0].ParticipantRole"},
		{"content not a string", `{"Transcript":[{"ParticipantRole":"AGENT","Content":7}]}`, "", "Transcript[0].Content"},
		{"negative offset", `{"Transcript":[{"ParticipantRole":"AGENT","Content":"hi","BeginOffsetMillis":-1,"EndOffsetMillis":5}]}`, "", "Transcript[0].BeginOffsetMillis"},
		{"ends before it begins", `{"Transcript":[{"ParticipantRole":"AGENT","Content":"hi","BeginOffsetMillis":9,"EndOffsetMillis":5}]}`, "", "Transcript[0].EndOffsetMillis"},
		{"unknown participant", `{"Participants":[{"ParticipantId":"a","ParticipantRole":"AGENT"}],"Transcript":[{"ParticipantId":"b","Content":"hi"}]}`, "", "Transcript[0].ParticipantId"},
		{"participants not a list", `{"Participants":{},"Transcript":[]}`, "", "Participants"},
		{"wrong format named", `{"Transcript":[{"ParticipantRole":"AGENT","Content":"hi"}]}`, transcript.FormatTranscribe, "results"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := transcript.Parse(decode(t, []byte(tt.doc)), tt.format)
			var e *transcript.Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse = %v, want a *transcript.Error", err)
			}
			if e.Path != tt.path {
				t.Errorf("path = %q (%v), want %q", e.Path, err, tt.path)
			}
		})
	}
}

// TestParseOneHour reads an hour-long call in each format, the documents
// the API must accept with its default limits, and reports their sizes.
func TestParseOneHour(t *testing.T) {
	lines := transcripttest.Call(60)
	docs := map[transcript.Format][]byte{
		transcript.FormatTranscribe:    transcripttest.Transcribe(lines),
		transcript.FormatCallAnalytics: transcripttest.CallAnalytics(lines),
		transcript.FormatContactLens:   transcripttest.ContactLens(lines),
	}
	for format, data := range docs {
		t.Run(string(format), func(t *testing.T) {
			turns, got, err := transcript.Parse(decode(t, data), "")
			if err != nil {
				t.Fatal(err)
			}
			if got != format {
				t.Errorf("detected %q, want %q", got, format)
			}
			if len(turns) != len(lines) {
				t.Fatalf("%d turns, want %d", len(turns), len(lines))
			}
			for i, l := range lines {
				want := summary.RoleCustomer
				if l.Agent {
					want = summary.RoleAgent
				}
				if turns[i].Role != want || turns[i].Text != l.Text || turns[i].StartMs != l.StartMs {
					t.Fatalf("turn %d = %+v, want %s %q at %d", i, turns[i], want, l.Text, l.StartMs)
				}
			}
			t.Logf("%s: %d bytes, %d turns, %d spoken characters", format, len(data), len(turns), summary.SpokenRunes(turns))
		})
	}
}

func TestInferRolesLeavesThreeSpeakers(t *testing.T) {
	turns := transcript.FromText("spk_0: Thank you for calling.\nspk_1: Hi.\nspk_2: Hello.")
	for _, tt := range turns {
		if tt.Role != summary.RoleOther {
			t.Errorf("%s got role %s with three speakers", tt.Speaker, tt.Role)
		}
	}
	if !strings.Contains(turns[0].Text, "calling") {
		t.Fatal(turns)
	}
}
