package api

import (
	"fmt"

	"github.com/danielgtaylor/huma/v2"

	"github.com/llm-testing/llm-testing/internal/config"
	"github.com/llm-testing/llm-testing/internal/summary"
	"github.com/llm-testing/llm-testing/internal/transcript"
)

// The schemas take their bounds, enums and defaults from the domain's
// constants (internal/summary, internal/config) rather than from struct
// tags, so each is written once; huma calls these transformers as it
// registers each type, and the result is both the spec and the validation.

// callForms are the members that each carry a whole call; a request has
// exactly one.
var callForms = []string{"transcript", "turns", "document"}

// TransformSchema sets the transcript's bound from the domain, that a
// request carries exactly one of callForms, and the document formats.
// (That documentFormat goes only with a document is callTurns's check:
// OpenAPI 3.0 has no dependentRequired to state it.)
func (SummarizeRequest) TransformSchema(_ huma.Registry, s *huma.Schema) *huma.Schema {
	t := property(s, "transcript")
	t.MaxLength = ptr(summary.MaxTranscriptRune)
	limit := fmt.Sprintf(" At most %d characters (Unicode code points) of spoken text.", summary.MaxTranscriptRune)
	t.Description += limit
	for _, name := range callForms {
		// huma checks the required members among the properties a schema
		// lists, so each alternative lists its one member, unconstrained.
		s.OneOf = append(s.OneOf, &huma.Schema{Type: huma.TypeObject, Required: []string{name},
			Properties: map[string]*huma.Schema{name: {}}})
		if name != "transcript" {
			property(s, name).Description += " Send exactly one of transcript, turns and document." + limit
		}
	}
	t.Description += " Send exactly one of transcript, turns and document."
	property(s, "documentFormat").Enum = enum(transcript.Formats())
	return s
}

// TransformSchema sets the role's enum.
func (TurnInput) TransformSchema(_ huma.Registry, s *huma.Schema) *huma.Schema {
	r := property(s, "role")
	r.Enum, r.Default = enum(summary.Roles()), string(summary.RoleOther)
	return s
}

// TransformSchema sets the role's enum.
func (TurnOutput) TransformSchema(_ huma.Registry, s *huma.Schema) *huma.Schema {
	property(s, "role").Enum = enum(summary.Roles())
	return s
}

// TransformSchema sets the options' bounds, enums and defaults from the domain.
func (SummarizeOptions) TransformSchema(_ huma.Registry, s *huma.Schema) *huma.Schema {
	ml := property(s, "maxLength")
	ml.Minimum, ml.Maximum = ptr(float64(summary.MinMaxLength)), ptr(float64(summary.MaxMaxLength))
	ml.Default = summary.DefaultMaxLength
	f := property(s, "format")
	f.Enum, f.Default = enum(summary.Formats()), string(summary.DefaultFormat)
	sec := property(s, "sections")
	sec.Items.Enum, sec.MaxItems = enum(summary.Sections()), ptr(len(summary.Sections()))
	return s
}

// TransformSchema sets the enums of the structured sections.
func (Summary) TransformSchema(_ huma.Registry, s *huma.Schema) *huma.Schema {
	property(s, "sentiment").Enum = enum(summary.Sentiments())
	property(s, "resolution").Enum = enum(summary.Resolutions())
	return s
}

// TransformSchema sets the owner's enum.
func (ActionItem) TransformSchema(_ huma.Registry, s *huma.Schema) *huma.Schema {
	property(s, "owner").Enum = enum(summary.Owners())
	return s
}

// TransformSchema sets the status and summarizer enums.
func (Health) TransformSchema(_ huma.Registry, s *huma.Schema) *huma.Schema {
	property(s, "status").Enum = enum(healthStatuses())
	property(s, "summarizer").Enum = enum(config.Summarizers())
	return s
}

// property is s's property name; a missing one is a programming error that
// every test (and the server's start) finds at once.
func property(s *huma.Schema, name string) *huma.Schema {
	p, ok := s.Properties[name]
	if !ok {
		panic(fmt.Sprintf("schema %s has no property %q", s.Title, name))
	}
	return p
}

// enum turns a list of typed constants into a schema's enum.
func enum[T ~string](vs []T) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

func ptr[T any](v T) *T { return &v }
