package bedrock

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// answer is the record_summary tool input as the model writes it.
type answer struct {
	Summary     *string   `json:"summary"`
	KeyPoints   *[]string `json:"keyPoints"`
	ActionItems *[]struct {
		Owner       string `json:"owner"`
		Description string `json:"description"`
	} `json:"actionItems"`
	Sentiment  *string `json:"sentiment"`
	Resolution *string `json:"resolution"`
}

// ParseAnswer validates the model's record_summary tool input raw against
// req and turns it into a Result (Model, Usage and Chunks left for the
// caller): the summary must be non-empty text, and every section req asks
// for must be present with valid values. The summary is laid out in req's
// format and cut to req.MaxLength words at a sentence end, setting Truncated.
// Sections req did not ask for are dropped.
func ParseAnswer(raw []byte, req summary.Request) (summary.Result, error) {
	var a answer
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&a); err != nil {
		return summary.Result{}, fmt.Errorf("decode tool input: %w", err)
	}
	if dec.More() {
		return summary.Result{}, errors.New("decode tool input: trailing data")
	}
	if a.Summary == nil || strings.TrimSpace(*a.Summary) == "" {
		return summary.Result{}, errors.New("summary is missing or empty")
	}
	var res summary.Result
	res.Summary, res.Truncated = summary.Enforce(layout(*a.Summary, req.Format), req.MaxLength, req.Format)
	if strings.TrimSpace(res.Summary) == "" {
		return summary.Result{}, errors.New("summary has no words")
	}
	if req.Wants(summary.SectionKeyPoints) {
		if a.KeyPoints == nil {
			return summary.Result{}, errors.New("keyPoints is missing")
		}
		res.KeyPoints = []string{}
		for _, p := range *a.KeyPoints {
			if p = strings.TrimSpace(p); p != "" {
				res.KeyPoints = append(res.KeyPoints, p)
			}
		}
	}
	if req.Wants(summary.SectionActionItems) {
		if a.ActionItems == nil {
			return summary.Result{}, errors.New("actionItems is missing")
		}
		res.ActionItems = []summary.ActionItem{}
		for i, it := range *a.ActionItems {
			owner := summary.Owner(it.Owner)
			if owner != summary.OwnerAgent && owner != summary.OwnerCustomer && owner != summary.OwnerOther {
				return summary.Result{}, fmt.Errorf("actionItems[%d].owner %q is not agent, customer or other", i, it.Owner)
			}
			desc := strings.TrimSpace(it.Description)
			if desc == "" {
				return summary.Result{}, fmt.Errorf("actionItems[%d].description is empty", i)
			}
			res.ActionItems = append(res.ActionItems, summary.ActionItem{Owner: owner, Description: desc})
		}
	}
	if req.Wants(summary.SectionSentiment) {
		if a.Sentiment == nil {
			return summary.Result{}, errors.New("sentiment is missing")
		}
		switch s := summary.Sentiment(*a.Sentiment); s {
		case summary.SentimentPositive, summary.SentimentNeutral, summary.SentimentNegative, summary.SentimentMixed:
			res.Sentiment = s
		default:
			return summary.Result{}, fmt.Errorf("sentiment %q is not positive, neutral, negative or mixed", *a.Sentiment)
		}
	}
	if req.Wants(summary.SectionResolution) {
		if a.Resolution == nil {
			return summary.Result{}, errors.New("resolution is missing")
		}
		switch r := summary.Resolution(*a.Resolution); r {
		case summary.ResolutionResolved, summary.ResolutionUnresolved, summary.ResolutionEscalated, summary.ResolutionUnknown:
			res.Resolution = r
		default:
			return summary.Result{}, fmt.Errorf("resolution %q is not resolved, unresolved, escalated or unknown", *a.Resolution)
		}
	}
	return res, nil
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
