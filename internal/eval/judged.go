package eval

import (
	"context"
	"slices"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// JudgeFailed opens the error of an item the judge could not grade.
const JudgeFailed = "judge-failed"

// JudgeResult is the judge's scores of one summary.
type JudgeResult struct {
	// Faithfulness is the share of the summary's claims the call supports,
	// a partly supported claim counting half.
	Faithfulness float64 `json:"faithfulness"`
	// Coverage is the share of must facts the summary states, by meaning.
	Coverage float64 `json:"coverage"`
	Claims   []Claim `json:"claims,omitempty"`
	// Unsupported lists the claims the call does not support.
	Unsupported []string `json:"unsupported,omitempty"`
	// Stated says, per must fact, whether the judge found it.
	Stated []bool `json:"stated,omitempty"`
	// SectionsAgree is the share of the asked structured sections (action
	// items, resolution) that agree with the call; nil when none was asked.
	SectionsAgree *float64 `json:"sectionsAgree,omitempty"`
	InputTokens   int      `json:"inputTokens"`
	OutputTokens  int      `json:"outputTokens"`
	CostUSD       *float64 `json:"estimatedCostUsd,omitempty"`
	Cached        bool     `json:"cached,omitempty"`
	// Error, when set, starts with JudgeFailed: the item has no judge scores.
	Error string `json:"error,omitempty"`
}

// Failed reports whether the judge could not grade the item.
func (j *JudgeResult) Failed() bool { return j != nil && j.Error != "" }

// judgeScores turns a grade into scores.
func judgeScores(g Grade) *JudgeResult {
	r := &JudgeResult{Claims: g.Claims, Stated: g.Stated, Faithfulness: 1, Coverage: 1,
		InputTokens: g.Usage.InputTokens, OutputTokens: g.Usage.OutputTokens, CostUSD: g.Usage.EstimatedCostUSD}
	if len(g.Claims) > 0 {
		s := 0.0
		for _, c := range g.Claims {
			switch c.Support {
			case Supported:
				s++
			case Partial:
				s += 0.5
			default:
				r.Unsupported = append(r.Unsupported, c.Text)
			}
		}
		r.Faithfulness = s / float64(len(g.Claims))
	}
	if len(g.Stated) > 0 {
		n := 0
		for _, ok := range g.Stated {
			if ok {
				n++
			}
		}
		r.Coverage = float64(n) / float64(len(g.Stated))
	}
	var agree, asked int
	for _, a := range []*bool{g.ActionItemsAgree, g.ResolutionAgree} {
		if a != nil {
			asked++
			if *a {
				agree++
			}
		}
	}
	if asked > 0 {
		v := float64(agree) / float64(asked)
		r.SectionsAgree = &v
	}
	return r
}

// judgeOne grades a successful item; a judge error marks it judge-failed.
func judgeOne(ctx context.Context, j Judge, it Item, out Output) *JudgeResult {
	g, err := j.Grade(ctx, it, out)
	if err != nil {
		r := &JudgeResult{Error: JudgeFailed + ": " + err.Error(),
			InputTokens: g.Usage.InputTokens, OutputTokens: g.Usage.OutputTokens, CostUSD: g.Usage.EstimatedCostUSD}
		return r
	}
	r := judgeScores(g)
	r.Cached = g.Cached
	return r
}

// failedGrade is the judge's score of a summary that never arrived: the
// worst on every judge metric, as failedScores is on the others.
func failedGrade(it Item) *JudgeResult {
	r := &JudgeResult{}
	if slices.Contains(it.Options.Sections, string(summary.SectionActionItems)) ||
		slices.Contains(it.Options.Sections, string(summary.SectionResolution)) {
		r.SectionsAgree = new(float64)
	}
	return r
}
