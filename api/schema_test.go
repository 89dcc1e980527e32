package api

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/validation"

	"github.com/llm-testing/llm-testing/internal/config"
	"github.com/llm-testing/llm-testing/internal/summary"
)

// boundaryCase is one constraint of the published request schema: a body
// just past it (refused with 422 at loc) and, where there is one, a body
// just within it (accepted).
type boundaryCase struct {
	rule     string
	bad      map[string]any
	loc      string
	msg      string // what the error at loc says
	good     map[string]any
	goodNote string
}

// TestSchemaConstraintsEnforced walks the SummarizeRequest schema that the
// spec publishes and proves every constraint it states (required, bounds,
// enums, uniqueItems, maxItems, additionalProperties) at its boundary:
// nothing the spec promises is left unenforced, and nothing is enforced
// that it does not state.
func TestSchemaConstraintsEnforced(t *testing.T) {
	reg := OpenAPI().Components.Schemas
	root := reg.Map()["SummarizeRequest"]
	base := minimalValue(reg, root).(map[string]any)
	var cases []boundaryCase
	walkSchema(reg, root, nil, base, &cases)

	kinds := map[string]bool{}
	for _, c := range cases {
		kinds[strings.Fields(c.rule)[1]] = true
	}
	for _, want := range []string{"oneOf", "minLength", "maxLength", "minimum", "maximum", "enum", "uniqueItems", "maxItems", "additionalProperties"} {
		if !kinds[want] {
			t.Errorf("the published schema states no %s constraint: the walk found %v", want, slices.Sorted(maps.Keys(kinds)))
		}
	}

	ts := newTestServer(t, &fakeSummarizer{}, func(c *config.Config) { c.RateLimitRPS, c.RateLimitBurst = 1e9, 1e9 })
	send := func(t *testing.T, body map[string]any) (int, problem, string) {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rec := ts.do(t, "POST", "/api/v1/summarize", string(b), withKey())
		var p problem
		if rec.Code != 200 {
			p = decode[problem](t, rec.Body.Bytes())
		}
		return rec.Code, p, rec.Body.String()
	}
	for _, c := range cases {
		t.Run(c.rule, func(t *testing.T) {
			code, p, raw := send(t, c.bad)
			if code != 422 {
				t.Fatalf("past the boundary: status %d, want 422: %.300s", code, raw)
			}
			if !slices.ContainsFunc(p.Errors, func(e struct {
				Location string `json:"location"`
				Message  string `json:"message"`
			}) bool {
				return e.Location == c.loc && e.Message == c.msg
			}) {
				t.Errorf("no error at %s saying %q: %.300s", c.loc, c.msg, raw)
			}
			if c.good == nil {
				return
			}
			if code, _, raw := send(t, c.good); code != 200 {
				t.Errorf("at the boundary (%s): status %d, want 200: %.300s", c.goodNote, code, raw)
			}
		})
	}
}

// structuredForms are the members a minimal body leaves out, since it
// sends the call as a transcript, with the options that go with them.
var structuredForms = []string{"turns", "document", "documentFormat"}

// walkSchema adds a case for each constraint of s, found at path in a body
// that is otherwise base (a minimal valid body).
func walkSchema(reg huma.Registry, s *huma.Schema, path []string, base map[string]any, out *[]boundaryCase) {
	s = deref(reg, s)
	loc := "body" + strings.Join(prefixAll(path, "."), "")
	with := func(v any) map[string]any { return setPath(base, path, v) }
	add := func(rule string, bad any, badLoc, msg string, good any, note string) {
		c := boundaryCase{rule: loc + " " + rule, bad: with(bad), loc: badLoc, msg: msg, goodNote: note}
		if good != nil {
			c.good = with(good)
		}
		*out = append(*out, c)
	}
	switch s.Type {
	case huma.TypeObject:
		for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
			if _, ok := base[name]; len(path) == 0 && !ok && slices.Contains(structuredForms, name) {
				continue // the other forms of a call: TestSummarizeRejects
			}
			walkSchema(reg, s.Properties[name], append(slices.Clone(path), name), base, out)
		}
		if len(s.OneOf) > 0 {
			none := base
			for _, alt := range s.OneOf {
				for _, name := range alt.Required {
					none = deletePath(none, append(slices.Clone(path), name))
				}
			}
			*out = append(*out, boundaryCase{rule: loc + " oneOf", bad: none, loc: loc,
				msg: "send the call as exactly one of " + strings.Join(callForms, ", ") + "; the body has none"})
		}
		for _, name := range s.Required {
			*out = append(*out, boundaryCase{rule: loc + "." + name + " required", bad: deletePath(base, append(slices.Clone(path), name)),
				loc: loc + "." + name, msg: fmt.Sprintf(validation.MsgExpectedRequiredProperty, name)})
		}
		if s.AdditionalProperties == false {
			obj := maps.Clone(minimalValue(reg, s).(map[string]any))
			obj["unknownField"] = 1
			add("additionalProperties", obj, loc+".unknownField", validation.MsgUnexpectedProperty, nil, "")
		}
	case huma.TypeString:
		if s.MinLength != nil && *s.MinLength > 0 {
			add("minLength", strings.Repeat("é", *s.MinLength-1), loc, fmt.Sprintf(validation.MsgExpectedMinLength, *s.MinLength), strings.Repeat("é", *s.MinLength), "minLength code points")
		}
		if s.MaxLength != nil {
			// Code points, not bytes: é is two bytes.
			add("maxLength", strings.Repeat("é", *s.MaxLength+1), loc, fmt.Sprintf(validation.MsgExpectedMaxLength, *s.MaxLength), strings.Repeat("é", *s.MaxLength), "maxLength code points")
		}
		if len(s.Enum) > 0 {
			add("enum", "not-a-member", loc, oneOf(s.Enum), s.Enum[len(s.Enum)-1], "last member")
		}
	case huma.TypeInteger:
		if s.Minimum != nil {
			add("minimum", *s.Minimum-1, loc, fmt.Sprintf(validation.MsgExpectedMinimumNumber, *s.Minimum), *s.Minimum, "the minimum")
		}
		if s.Maximum != nil {
			add("maximum", *s.Maximum+1, loc, fmt.Sprintf(validation.MsgExpectedMaximumNumber, *s.Maximum), *s.Maximum, "the maximum")
		}
	case huma.TypeArray:
		items := deref(reg, s.Items)
		if len(items.Enum) > 0 {
			add("enum", []any{"not-a-member"}, loc+"[0]", oneOf(items.Enum), slices.Clone(items.Enum), "every member once")
		}
		if s.UniqueItems {
			add("uniqueItems", []any{items.Enum[0], items.Enum[0]}, loc, validation.MsgExpectedArrayItemsUnique, []any{items.Enum[0]}, "one item")
		}
		if s.MaxItems != nil {
			bad := make([]any, *s.MaxItems+1)
			for i := range bad {
				bad[i] = items.Enum[i%len(items.Enum)]
			}
			add("maxItems", bad, loc, fmt.Sprintf(validation.MsgExpectedMaxItems, *s.MaxItems), bad[:*s.MaxItems], "maxItems distinct items")
		}
	}
}

// minimalValue is the smallest valid value of s: an object with only its
// required properties, a string of minLength, an integer at its minimum.
func minimalValue(reg huma.Registry, s *huma.Schema) any {
	s = deref(reg, s)
	switch s.Type {
	case huma.TypeObject:
		out := map[string]any{}
		required := slices.Clone(s.Required)
		if len(s.OneOf) > 0 {
			required = append(required, s.OneOf[0].Required...)
		}
		for _, name := range required {
			out[name] = minimalValue(reg, s.Properties[name])
		}
		return out
	case huma.TypeString:
		if len(s.Enum) > 0 {
			return s.Enum[0]
		}
		return strings.Repeat("a", max(1, derefInt(s.MinLength)))
	case huma.TypeInteger:
		if s.Minimum != nil {
			return *s.Minimum
		}
		return 0
	case huma.TypeArray:
		return []any{}
	}
	panic(fmt.Sprintf("no minimal value for type %q", s.Type))
}

// oneOf is huma's message for a value outside enum.
func oneOf(enum []any) string {
	names := make([]string, len(enum))
	for i, v := range enum {
		names[i] = fmt.Sprint(v)
	}
	return fmt.Sprintf(validation.MsgExpectedOneOf, strings.Join(names, ", "))
}

func deref(reg huma.Registry, s *huma.Schema) *huma.Schema {
	for s.Ref != "" {
		s = reg.SchemaFromRef(s.Ref)
	}
	return s
}

func derefInt(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

func prefixAll(path []string, sep string) []string {
	out := make([]string, len(path))
	for i, p := range path {
		out[i] = sep + p
	}
	return out
}

// setPath returns a deep copy of body with path set to v, creating the
// objects on the way.
func setPath(body map[string]any, path []string, v any) map[string]any {
	out := deepCopy(body)
	if len(path) == 0 {
		if m, ok := v.(map[string]any); ok {
			return m
		}
		return out
	}
	m := out
	for _, p := range path[:len(path)-1] {
		next, ok := m[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[p] = next
		}
		m = next
	}
	m[path[len(path)-1]] = v
	return out
}

func deletePath(body map[string]any, path []string) map[string]any {
	out := deepCopy(body)
	m := out
	for _, p := range path[:len(path)-1] {
		m = m[p].(map[string]any)
	}
	delete(m, path[len(path)-1])
	return out
}

func deepCopy(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok {
			v = deepCopy(sub)
		}
		out[k] = v
	}
	return out
}

// TestEnumsFromTheDomain: the published enums are the domain's lists, in
// their order, so the API, the Bedrock tool schema and /health agree.
func TestEnumsFromTheDomain(t *testing.T) {
	reg := OpenAPI().Components.Schemas.Map()
	prop := func(schema, name string) *huma.Schema { return reg[schema].Properties[name] }
	tests := []struct {
		name string
		got  []any
		want []any
	}{
		{"format", prop("SummarizeOptions", "format").Enum, enum(summary.Formats())},
		{"sections", prop("SummarizeOptions", "sections").Items.Enum, enum(summary.Sections())},
		{"owner", prop("ActionItem", "owner").Enum, enum(summary.Owners())},
		{"sentiment", prop("Summary", "sentiment").Enum, enum(summary.Sentiments())},
		{"resolution", prop("Summary", "resolution").Enum, enum(summary.Resolutions())},
		{"summarizer", prop("Health", "summarizer").Enum, enum(config.Summarizers())},
		{"health status", prop("Health", "status").Enum, enum(healthStatuses())},
	}
	for _, tt := range tests {
		if !slices.Equal(tt.got, tt.want) {
			t.Errorf("%s enum = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	if d := prop("SummarizeOptions", "maxLength").Default; d != summary.DefaultMaxLength {
		t.Errorf("maxLength default = %v, want %d", d, summary.DefaultMaxLength)
	}
	if d := prop("SummarizeOptions", "format").Default; d != string(summary.DefaultFormat) {
		t.Errorf("format default = %v, want %s", d, summary.DefaultFormat)
	}
}
