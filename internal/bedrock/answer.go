package bedrock

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// answer is the record_summary tool input as the model writes it. Each
// field is decoded only when asked for, so a stray field cannot fail it.
type answer struct {
	Summary   json.RawMessage `json:"summary"`
	KeyPoints json.RawMessage `json:"keyPoints"`
	// KeyPointTurns is read leniently: citations are optional, and ids
	// that name no turn are dropped by the pipeline (summary.Grounded).
	KeyPointTurns [][]int         `json:"keyPointTurns"`
	ActionItems   json.RawMessage `json:"actionItems"`
	Sentiment     json.RawMessage `json:"sentiment"`
	Resolution    json.RawMessage `json:"resolution"`
}

type actionItem struct {
	Owner       string `json:"owner"`
	Description string `json:"description"`
	Turns       []int  `json:"turns"`
}

// field decodes the JSON of the field called name into v; a missing or null
// field is an error.
func field(name string, raw json.RawMessage, v any) error {
	if len(raw) == 0 || string(raw) == "null" {
		return fmt.Errorf("%s is missing", name)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("decode %s: %w", name, err)
	}
	return nil
}

// ParseAnswer validates the model's record_summary tool input raw against
// req and turns it into a Result (Model, Usage and Chunks left for the
// caller): the summary must be non-empty text, and every section req asks
// for must be present with valid values. The summary is laid out in req's
// format and kept whole: the pipeline holds it to req.MaxLength. Sections
// req did not ask for are ignored.
func ParseAnswer(raw []byte, req summary.Request) (summary.Result, error) {
	var a answer
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&a); err != nil {
		return summary.Result{}, fmt.Errorf("decode tool input: %w", err)
	}
	if dec.More() {
		return summary.Result{}, errors.New("decode tool input: trailing data")
	}
	var text string
	if err := field("summary", a.Summary, &text); err != nil {
		return summary.Result{}, err
	}
	res := summary.Result{Summary: layout(text, req.Format)}
	if res.Summary == "" {
		return summary.Result{}, errors.New("summary has no words")
	}
	for _, sec := range sections {
		if !req.Wants(sec.name) {
			continue
		}
		if err := sec.parse(a, &res); err != nil {
			return summary.Result{}, err
		}
	}
	return res, nil
}

// sections read each optional field of an answer into a Result.
var sections = []struct {
	name  summary.Section
	parse func(answer, *summary.Result) error
}{
	{summary.SectionKeyPoints, parseKeyPoints},
	{summary.SectionActionItems, parseActionItems},
	{summary.SectionSentiment, parseSentiment},
	{summary.SectionResolution, parseResolution},
}

func parseKeyPoints(a answer, res *summary.Result) error {
	var points []string
	if err := field("keyPoints", a.KeyPoints, &points); err != nil {
		return err
	}
	res.KeyPoints = []string{}
	for i, p := range points {
		if p = strings.TrimSpace(p); p != "" {
			res.KeyPoints = append(res.KeyPoints, p)
			var cited []int
			if i < len(a.KeyPointTurns) {
				cited = a.KeyPointTurns[i]
			}
			res.KeyPointTurns = append(res.KeyPointTurns, cited)
		}
	}
	return nil
}

func parseActionItems(a answer, res *summary.Result) error {
	var items []actionItem
	if err := field("actionItems", a.ActionItems, &items); err != nil {
		return err
	}
	res.ActionItems = []summary.ActionItem{}
	for i, it := range items {
		owner := summary.Owner(it.Owner)
		if owner != summary.OwnerAgent && owner != summary.OwnerCustomer && owner != summary.OwnerOther {
			return fmt.Errorf("actionItems[%d].owner %q is not agent, customer or other", i, it.Owner)
		}
		desc := strings.TrimSpace(it.Description)
		if desc == "" {
			return fmt.Errorf("actionItems[%d].description is empty", i)
		}
		res.ActionItems = append(res.ActionItems, summary.ActionItem{Owner: owner, Description: desc, Turns: it.Turns})
	}
	return nil
}

func parseSentiment(a answer, res *summary.Result) error {
	var v string
	if err := field("sentiment", a.Sentiment, &v); err != nil {
		return err
	}
	switch s := summary.Sentiment(v); s {
	case summary.SentimentPositive, summary.SentimentNeutral, summary.SentimentNegative, summary.SentimentMixed:
		res.Sentiment = s
		return nil
	}
	return fmt.Errorf("sentiment %q is not positive, neutral, negative or mixed", v)
}

func parseResolution(a answer, res *summary.Result) error {
	var v string
	if err := field("resolution", a.Resolution, &v); err != nil {
		return err
	}
	switch r := summary.Resolution(v); r {
	case summary.ResolutionResolved, summary.ResolutionUnresolved, summary.ResolutionEscalated, summary.ResolutionUnknown:
		res.Resolution = r
		return nil
	}
	return fmt.Errorf("resolution %q is not resolved, unresolved, escalated or unknown", v)
}

// layout puts the model's text in the requested format: bullets get a "- "
// line each, a paragraph is one line. The model's own bullet markers go.
func layout(text string, format summary.Format) string {
	var lines []string
	for line := range strings.SplitSeq(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		for _, marker := range []string{"- ", "* ", "• ", "– "} {
			if rest, ok := strings.CutPrefix(line, marker); ok {
				line = strings.TrimSpace(rest)
				break
			}
		}
		if line == "" || line == "-" || line == "*" || line == "•" || line == "–" {
			continue
		}
		lines = append(lines, line)
	}
	return summary.Layout(lines, format)
}
