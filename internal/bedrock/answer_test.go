package bedrock

import (
	"fmt"
	"strings"
	"testing"

	"github.com/llm-testing/llm-testing/internal/summary"
)

func TestParseAnswer(t *testing.T) {
	all := []summary.Section{summary.SectionKeyPoints, summary.SectionActionItems, summary.SectionSentiment, summary.SectionResolution}
	tests := []struct {
		name     string
		raw      string
		sections []summary.Section
		format   summary.Format
		wantErr  string
		check    func(t *testing.T, r summary.Result)
	}{
		{name: "summary only", raw: `{"summary":"The order was replaced."}`, check: func(t *testing.T, r summary.Result) {
			if r.Summary != "The order was replaced." || r.KeyPoints != nil {
				t.Errorf("got %+v", r)
			}
		}},
		{name: "all sections", sections: all,
			raw: `{"summary":"x.","keyPoints":["a"," ","b"],"keyPointTurns":[[1],[],[2,3]],"actionItems":[{"owner":"customer","description":" send photo ","turns":[4]}],"sentiment":"mixed","resolution":"escalated"}`,
			check: func(t *testing.T, r summary.Result) {
				a := r.ActionItems[0]
				if strings.Join(r.KeyPoints, ",") != "a,b" || fmt.Sprint(r.KeyPointTurns) != "[[1] [2 3]]" ||
					a.Owner != summary.OwnerCustomer || a.Description != "send photo" || fmt.Sprint(a.Turns) != "[4]" ||
					r.Sentiment != summary.SentimentMixed || r.Resolution != summary.ResolutionEscalated {
					t.Errorf("got %+v", r)
				}
			}},
		{name: "unasked sections dropped", raw: `{"summary":"x.","sentiment":"whatever","keyPoints":[1]}`, check: func(t *testing.T, r summary.Result) {
			if r.Sentiment != "" {
				t.Errorf("Sentiment = %q, want none", r.Sentiment)
			}
		}},
		{name: "empty lists are fine", sections: all, raw: `{"summary":"x.","keyPoints":[],"actionItems":[],"sentiment":"neutral","resolution":"unknown"}`,
			check: func(t *testing.T, r summary.Result) {
				if r.KeyPoints == nil || r.ActionItems == nil {
					t.Error("want empty, non-nil sections when asked for")
				}
			}},
		{name: "paragraph flattens model bullets", raw: `{"summary":"- one.\n- two."}`, check: func(t *testing.T, r summary.Result) {
			if r.Summary != "one. two." {
				t.Errorf("Summary = %q", r.Summary)
			}
		}},
		{name: "bullets from lines", format: summary.FormatBullets, raw: `{"summary":"one.\n* two."}`, check: func(t *testing.T, r summary.Result) {
			if r.Summary != "- one.\n- two." {
				t.Errorf("Summary = %q", r.Summary)
			}
		}},
		{name: "overshoot kept for the pipeline", raw: `{"summary":"` + strings.Repeat("Word word word. ", 10) + `"}`, check: func(t *testing.T, r summary.Result) {
			if r.Truncated || summary.CountWords(r.Summary) != 30 {
				t.Errorf("got %q truncated=%v, want the model's 30 words", r.Summary, r.Truncated)
			}
		}},
		{name: "not json", raw: `Sure, here you go`, wantErr: "decode"},
		{name: "trailing data", raw: `{"summary":"x"} {"summary":"y"}`, wantErr: "trailing"},
		{name: "summary wrong type", raw: `{"summary":3}`, wantErr: "decode"},
		{name: "summary missing", raw: `{}`, wantErr: "summary"},
		{name: "summary blank", raw: `{"summary":"  \n "}`, wantErr: "summary"},
		{name: "summary only markers", raw: `{"summary":"- \n*"}`, wantErr: "summary"},
		{name: "keyPoints missing", sections: all[:1], raw: `{"summary":"x"}`, wantErr: "keyPoints"},
		{name: "bad owner", sections: all[1:2], raw: `{"summary":"x","actionItems":[{"owner":"manager","description":"d"}]}`, wantErr: "owner"},
		{name: "empty description", sections: all[1:2], raw: `{"summary":"x","actionItems":[{"owner":"agent","description":""}]}`, wantErr: "description"},
		{name: "bad sentiment", sections: all[2:3], raw: `{"summary":"x","sentiment":"angry"}`, wantErr: "sentiment"},
		{name: "sentiment missing", sections: all[2:3], raw: `{"summary":"x"}`, wantErr: "sentiment"},
		{name: "bad resolution", sections: all[3:], raw: `{"summary":"x","resolution":"done"}`, wantErr: "resolution"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			format := tt.format
			if format == "" {
				format = summary.FormatParagraph
			}
			req := summary.Request{MaxLength: 10, Format: format, Sections: tt.sections}
			res, err := ParseAnswer([]byte(tt.raw), req)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, res)
		})
	}
}

// FuzzParseAnswer checks that no model output makes ParseAnswer panic, and
// that whatever it accepts keeps its promises: some words, the format, and
// valid enums (the word limit is the pipeline's).
func FuzzParseAnswer(f *testing.F) {
	f.Add([]byte(`{"summary":"The order was replaced.","keyPoints":["a"],"actionItems":[{"owner":"agent","description":"d"}],"sentiment":"neutral","resolution":"resolved"}`), uint8(10), true)
	f.Add([]byte(`{"summary":"- one\n- two\n- three four five six seven eight nine ten eleven"}`), uint8(5), false)
	f.Add([]byte(`{"summary":null}`), uint8(12), true)
	f.Add([]byte(`{"summary":"x","actionItems":[{}]}`), uint8(12), true)
	f.Fuzz(func(t *testing.T, raw []byte, maxLen uint8, bullets bool) {
		req := summary.Request{
			MaxLength: int(maxLen)%summary.MaxMaxLength + 1,
			Format:    summary.FormatParagraph,
			Sections:  []summary.Section{summary.SectionKeyPoints, summary.SectionActionItems, summary.SectionSentiment, summary.SectionResolution},
		}
		if bullets {
			req.Format = summary.FormatBullets
		}
		res, err := ParseAnswer(raw, req)
		if err != nil {
			return
		}
		if n := summary.CountWords(res.Summary); n == 0 {
			t.Fatalf("accepted summary has no words: %q", res.Summary)
		}
		if req.Format == summary.FormatBullets {
			for line := range strings.SplitSeq(res.Summary, "\n") {
				if !strings.HasPrefix(line, "- ") {
					t.Fatalf("bullet line %q lacks its marker", line)
				}
			}
		} else if strings.Contains(res.Summary, "\n") {
			t.Fatalf("paragraph has a line break: %q", res.Summary)
		}
		for _, a := range res.ActionItems {
			if a.Owner != summary.OwnerAgent && a.Owner != summary.OwnerCustomer && a.Owner != summary.OwnerOther {
				t.Fatalf("bad owner %q accepted", a.Owner)
			}
		}
		switch res.Sentiment {
		case summary.SentimentPositive, summary.SentimentNeutral, summary.SentimentNegative, summary.SentimentMixed:
		default:
			t.Fatalf("bad sentiment %q accepted", res.Sentiment)
		}
		switch res.Resolution {
		case summary.ResolutionResolved, summary.ResolutionUnresolved, summary.ResolutionEscalated, summary.ResolutionUnknown:
		default:
			t.Fatalf("bad resolution %q accepted", res.Resolution)
		}
	})
}
