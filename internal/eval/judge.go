package eval

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/llm-testing/llm-testing/internal/prompt"
	"github.com/llm-testing/llm-testing/internal/summary"
)

// Judge grades a target's summary of an item against the item's call.
type Judge interface {
	// Name identifies the judge in reports, for example "bedrock:<model-id>".
	Name() string
	// RubricVersion is the version of the rubric template the judge sends.
	RubricVersion() string
	// Grade grades out as a summary of it.
	Grade(ctx context.Context, it Item, out Output) (Grade, error)
}

// Claim supports, as Grade records them.
const (
	Supported   = "supported"
	Partial     = "partial"
	Unsupported = "unsupported"
)

// Claim is one statement of a summary and how far the call supports it.
type Claim struct {
	Text    string `json:"claim"`
	Support string `json:"support"`
}

// Grade is a judge's verdict on one summary.
type Grade struct {
	Claims []Claim `json:"claims"`
	// Stated has one entry per must fact of the item, in order.
	Stated []bool `json:"stated"`
	// ActionItemsAgree and ResolutionAgree are set when the item asked for
	// the section.
	ActionItemsAgree *bool `json:"actionItemsAgree,omitempty"`
	ResolutionAgree  *bool `json:"resolutionAgree,omitempty"`
	// Usage is what grading cost, both attempts when the first answer was
	// malformed.
	Usage summary.Usage `json:"usage"`
	// Cached is true when the grade came from the cache.
	Cached bool `json:"-"`
}

// JudgeSpec is what a rubric template may contain: the facts and the
// structured answers as values, the transcript and the summary as data.
var JudgeSpec = prompt.Spec{
	Parts:  []string{"system", "user"},
	Values: []string{"facts", "structured"},
	Data:   []string{"transcript", "summary"},
}

//go:embed rubric.txt
var defaultRubric string

// DefaultRubric is the embedded judge rubric.
var DefaultRubric = sync.OnceValue(func() *prompt.Template {
	t, err := prompt.Parse(defaultRubric, JudgeSpec)
	if err != nil {
		panic(fmt.Sprintf("embedded rubric: %v", err)) // a build defect, caught by tests
	}
	return t
})

// ToolCaller asks a model for one forced tool call at temperature 0 and
// returns the tool's input (bedrock.ToolCaller on Converse).
type ToolCaller interface {
	CallTool(ctx context.Context, system, user, tool string, schema map[string]any) (json.RawMessage, summary.Usage, error)
}

// gradeTool is the tool the judge must call.
const gradeTool = "record_grade"

// LLMJudge grades with a model through a tool schema and a rubric template.
type LLMJudge struct {
	name   string
	model  ToolCaller
	rubric *prompt.Template
}

var _ Judge = (*LLMJudge)(nil)

// NewLLMJudge returns a judge called name that asks model with rubric (nil
// is DefaultRubric).
func NewLLMJudge(name string, model ToolCaller, rubric *prompt.Template) *LLMJudge {
	if rubric == nil {
		rubric = DefaultRubric()
	}
	return &LLMJudge{name: name, model: model, rubric: rubric}
}

// Name returns the judge's name.
func (j *LLMJudge) Name() string { return j.name }

// RubricVersion returns the rubric's version.
func (j *LLMJudge) RubricVersion() string { return j.rubric.Version() }

// Grade asks the model to grade out; a failed call or a malformed answer
// (no tool call, a fact left out, an unknown support) is asked for once
// more, then Grade fails.
func (j *LLMJudge) Grade(ctx context.Context, it Item, out Output) (Grade, error) {
	parts := j.rubric.Render(
		map[string]string{"facts": factList(it.Must), "structured": structured(it, out)},
		map[string]string{"transcript": it.Transcript, "summary": out.Summary})
	schema := gradeSchema(it)
	var usage summary.Usage
	var lastErr error
	for attempt := range 2 {
		raw, u, err := j.model.CallTool(ctx, parts[0], parts[1], gradeTool, schema)
		if attempt == 0 {
			usage = u
		} else {
			usage = usage.Add(u)
		}
		var g Grade
		if err == nil {
			if g, err = parseGrade(raw, it, out); err == nil {
				g.Usage = usage
				return g, nil
			}
		}
		lastErr = err
		if ctx.Err() != nil {
			break
		}
	}
	return Grade{Usage: usage}, fmt.Errorf("judge failed twice: %w", lastErr)
}

// factList numbers the must facts, each with its wordings.
func factList(must [][]string) string {
	if len(must) == 0 {
		return "none"
	}
	var b strings.Builder
	for i, f := range must {
		fmt.Fprintf(&b, "%d. %s\n", i+1, strings.Join(f, " / "))
	}
	return strings.TrimRight(b.String(), "\n")
}

// structured lists the structured answers the item asked for.
func structured(it Item, out Output) string {
	var lines []string
	if slices.Contains(it.Options.Sections, string(summary.SectionActionItems)) {
		b, _ := json.Marshal(out.ActionItems)
		lines = append(lines, "Action items: "+string(b))
	}
	if slices.Contains(it.Options.Sections, string(summary.SectionResolution)) {
		lines = append(lines, "Resolution: "+string(out.Resolution))
	}
	if len(lines) == 0 {
		return "none"
	}
	return strings.Join(lines, "\n")
}

// gradeSchema is the record_grade tool's input schema for it.
func gradeSchema(it Item) map[string]any {
	props := map[string]any{
		"claims": map[string]any{"type": "array", "description": "Every claim of the summary and its support.",
			"items": map[string]any{"type": "object", "required": []string{"claim", "support"}, "properties": map[string]any{
				"claim":   map[string]any{"type": "string"},
				"support": map[string]any{"type": "string", "enum": []string{Supported, Partial, Unsupported}},
			}}},
		"facts": map[string]any{"type": "array", "description": "One entry per numbered required fact.",
			"items": map[string]any{"type": "object", "required": []string{"fact", "stated"}, "properties": map[string]any{
				"fact":   map[string]any{"type": "integer", "minimum": 1},
				"stated": map[string]any{"type": "boolean"},
			}}},
	}
	required := []string{"claims", "facts"}
	for _, sec := range []summary.Section{summary.SectionActionItems, summary.SectionResolution} {
		if slices.Contains(it.Options.Sections, string(sec)) {
			props[string(sec)+"Agree"] = map[string]any{"type": "boolean"}
			required = append(required, string(sec)+"Agree")
		}
	}
	return map[string]any{"type": "object", "properties": props, "required": required}
}

// gradeAnswer is the tool input as the model sends it.
type gradeAnswer struct {
	Claims []Claim `json:"claims"`
	Facts  []struct {
		Fact   int  `json:"fact"`
		Stated bool `json:"stated"`
	} `json:"facts"`
	ActionItemsAgree *bool `json:"actionItemsAgree"`
	ResolutionAgree  *bool `json:"resolutionAgree"`
}

// parseGrade validates the judge's answer: a claim for a non-empty summary,
// known supports, every fact exactly once, each asked section's agreement.
func parseGrade(raw json.RawMessage, it Item, out Output) (Grade, error) {
	var a gradeAnswer
	if err := json.Unmarshal(raw, &a); err != nil {
		return Grade{}, fmt.Errorf("decode grade: %w", err)
	}
	var errs []error
	if len(a.Claims) == 0 && strings.TrimSpace(out.Summary) != "" {
		errs = append(errs, errors.New("no claims for a non-empty summary"))
	}
	for i, c := range a.Claims {
		if strings.TrimSpace(c.Text) == "" || !slices.Contains([]string{Supported, Partial, Unsupported}, c.Support) {
			errs = append(errs, fmt.Errorf("claim %d: text %q, support %q", i+1, c.Text, c.Support))
		}
	}
	stated := make([]bool, len(it.Must))
	seen := make([]bool, len(it.Must))
	for _, f := range a.Facts {
		if f.Fact < 1 || f.Fact > len(it.Must) || seen[f.Fact-1] {
			errs = append(errs, fmt.Errorf("fact %d: out of range or repeated", f.Fact))
			continue
		}
		seen[f.Fact-1], stated[f.Fact-1] = true, f.Stated
	}
	if n := len(a.Facts); n != len(it.Must) {
		errs = append(errs, fmt.Errorf("%d facts graded, want %d", n, len(it.Must)))
	}
	g := Grade{Claims: a.Claims, Stated: stated}
	if slices.Contains(it.Options.Sections, string(summary.SectionActionItems)) {
		if g.ActionItemsAgree = a.ActionItemsAgree; g.ActionItemsAgree == nil {
			errs = append(errs, errors.New("actionItemsAgree missing"))
		}
	}
	if slices.Contains(it.Options.Sections, string(summary.SectionResolution)) {
		if g.ResolutionAgree = a.ResolutionAgree; g.ResolutionAgree == nil {
			errs = append(errs, errors.New("resolutionAgree missing"))
		}
	}
	return g, errors.Join(errs...)
}
