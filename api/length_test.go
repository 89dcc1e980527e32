package api

import (
	"reflect"
	"testing"

	"github.com/danielgtaylor/huma/v2"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// TestLengthBound: the bounds are kept in characters, as huma keeps them,
// whether or not the byte length settles them.
func TestLengthBound(t *testing.T) {
	b := lengthBound{name: "transcript", min: ptr(2), max: ptr(5)}
	tests := []struct {
		text string
		want string // the error message, or "" for none
	}{
		{"a", "expected length >= 2"},
		{"é", "expected length >= 2"},
		{"ab", ""},
		{"abcde", ""},
		{"abcdef", "expected length <= 5"},
		{"ééééé", ""},
		{"éééééé", "expected length <= 5"},
		{"😀😀😀😀😀", ""},
		{"😀😀😀😀😀😀", "expected length <= 5"},
	}
	for _, tt := range tests {
		res := &huma.ValidateResult{}
		b.check(map[string]any{"transcript": tt.text}, res)
		got := ""
		if len(res.Errors) > 0 {
			got = res.Errors[0].(*huma.ErrorDetail).Message
			if loc := res.Errors[0].(*huma.ErrorDetail).Location; loc != "body.transcript" {
				t.Errorf("%q: location %q", tt.text, loc)
			}
		}
		if got != tt.want || len(res.Errors) > 1 {
			t.Errorf("%q: errors %v, want %q", tt.text, res.Errors, tt.want)
		}
	}
}

// TestLengthBoundsFromSchema: the transcript's bounds are the registered
// schema's, checked by the rules and not left to huma.
func TestLengthBoundsFromSchema(t *testing.T) {
	reg := huma.NewMapRegistry("#/components/schemas/", huma.DefaultSchemaNamer)
	r := newBodyRules(reg, reflect.TypeFor[SummarizeRequest]())
	var found bool
	for _, b := range r.lengths {
		if b.name == "transcript" {
			found = *b.min == 1 && *b.max == summary.MaxTranscriptRune
		}
	}
	if !found {
		t.Errorf("bounds %+v, want the transcript's 1..200000", r.lengths)
	}
	if p := r.schema.Properties["transcript"]; p.MaxLength != nil || p.MinLength != nil {
		t.Error("huma still checks the transcript's length")
	}
	if p := reg.SchemaFromRef(reg.Schema(reflect.TypeFor[SummarizeRequest](), true, "").Ref).Properties["transcript"]; p.MaxLength == nil {
		t.Error("the registered schema, which the spec publishes, lost the transcript's maxLength")
	}
}
