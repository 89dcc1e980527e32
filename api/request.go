package api

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/validation"
	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// A request body is read in three steps, each from one owner:
//
//  1. strictJSON decodes it once, into a generic value, with encoding/json/v2's
//     rules (the go-json-experiment mirror): exactly one value, no
//     duplicate member names, valid UTF-8 with no lone surrogate escapes.
//  2. bodyRules validates that value against the schema registered for the
//     spec, with huma's own validator: what the spec publishes (required,
//     bounds, enums, uniqueItems, additionalProperties) is what is enforced.
//  3. assign copies the validated value into the typed struct (strings are
//     shared, not copied again).

func init() {
	// Field names are case-sensitive, as the spec says; huma matches them
	// regardless of case unless told otherwise.
	huma.ValidateStrictCasing = true
}

// bodyRulesKey is the operation Metadata key that holds a body's rules.
const bodyRulesKey = "llm-testing.bodyRules"

// validationFailed is the detail huma gives every error found while reading
// a request; cleanErrors replaces it where one error says more.
const validationFailed = "validation failed"

// bodyRules validate a decoded body against its registered schema: huma
// the whole but its strings' length bounds, lengths those (lengthBound).
type bodyRules struct {
	registry huma.Registry
	schema   *huma.Schema
	lengths  []lengthBound
}

// newBodyRules registers t's schema in reg (as the operation using it will)
// and returns the rules it states.
func newBodyRules(reg huma.Registry, t reflect.Type) *bodyRules {
	s := reg.Schema(t, true, "")
	if s.Ref != "" {
		s = reg.SchemaFromRef(s.Ref)
	}
	validated, lengths := splitLengthBounds(s)
	return &bodyRules{registry: reg, schema: validated, lengths: lengths}
}

// rulesOf returns the body rules registered with ctx's operation.
func rulesOf(ctx huma.Context) *bodyRules {
	r, _ := ctx.Operation().Metadata[bodyRulesKey].(*bodyRules)
	return r
}

// apply validates decoded and, when it is valid, copies it into dst.
func (r *bodyRules) apply(decoded any, dst any) []error {
	pb := huma.NewPathBuffer(make([]byte, 0, 64), 0)
	pb.Push("body")
	res := &huma.ValidateResult{}
	huma.Validate(r.registry, r.schema, pb, huma.ModeWriteToServer, decoded, res)
	for _, b := range r.lengths {
		b.check(decoded, res)
	}
	if len(res.Errors) > 0 {
		for _, err := range res.Errors {
			locateRequired(err)
			explainCallForms(err, decoded)
		}
		return slices.CompactFunc(res.Errors, sameError)
	}
	if err := assign(reflect.ValueOf(dst).Elem(), decoded); err != nil {
		return []error{&huma.ErrorDetail{Location: "body", Message: err.Error()}}
	}
	return nil
}

// locateRequired moves a missing property's error from its object to the
// property itself, so that errors[].location names the missing field.
func locateRequired(err error) {
	var d *huma.ErrorDetail
	if !errors.As(err, &d) {
		return
	}
	var name string
	if _, e := fmt.Sscanf(d.Message, validation.MsgExpectedRequiredProperty, &name); e == nil {
		d.Location += "." + name
		d.Value = nil
	}
}

// explainCallForms names the members of callForms a body has when the
// schema's oneOf over them failed, since huma says only that it matched
// none or several.
func explainCallForms(err error, decoded any) {
	var d *huma.ErrorDetail
	if !errors.As(err, &d) || d.Location != "body" || !strings.HasPrefix(d.Message, "expected value to match exactly one schema") {
		return
	}
	m, _ := decoded.(map[string]any)
	var has []string
	for _, name := range callForms {
		if _, ok := m[name]; ok {
			has = append(has, name)
		}
	}
	d.Message = "send the call as exactly one of " + strings.Join(callForms, ", ") + "; the body has "
	if len(has) == 0 {
		d.Message += "none"
	} else {
		d.Message += strings.Join(has, " and ")
	}
	d.Value = nil
}

// sameError reports whether two validation errors say the same at the
// same place (the oneOf fails once per extra match).
func sameError(a, b error) bool { return a.Error() == b.Error() }

// decodeJSON decodes exactly one JSON value, by encoding/json/v2's rules.
func decodeJSON(data []byte) (any, error) {
	var v any
	err := jsonv2.Unmarshal(data, &v)
	return v, err
}

// requestError is a body that could not be decoded: its status (400 for
// JSON that is not well formed, 422 for a value that cannot be held), where
// and what.
type requestError struct {
	status   int
	location string
	message  string
}

func (e *requestError) Error() string  { return e.message }
func (e *requestError) GetStatus() int { return e.status }

// ErrorDetail gives huma the location and message.
func (e *requestError) ErrorDetail() *huma.ErrorDetail {
	return &huma.ErrorDetail{Location: e.location, Message: e.message}
}

// decodeError says what is wrong with a body that did not decode, and where.
func decodeError(err error) error {
	var syn *jsontext.SyntacticError
	if errors.As(err, &syn) {
		return &requestError{status: 400, location: location(syn.JSONPointer),
			message: fmt.Sprintf("malformed JSON body: %s (at byte %d)", syn.Err, syn.ByteOffset)}
	}
	var sem *jsonv2.SemanticError
	if errors.As(err, &sem) {
		msg := "value cannot be decoded"
		if sem.JSONKind == '0' {
			msg = "number " + shorten(string(sem.JSONValue), maxQuotedValue) + " is out of range"
		}
		return &requestError{status: 422, location: location(sem.JSONPointer), message: msg}
	}
	return &requestError{status: 400, location: "body", message: "malformed JSON body: " + err.Error()}
}

// location renders a JSON pointer as huma renders a location:
// /options/sections/0 is body.options.sections[0].
func location(p jsontext.Pointer) string {
	var b strings.Builder
	b.WriteString("body")
	for tok := range p.Tokens() {
		if _, err := strconv.Atoi(tok); err == nil {
			b.WriteString("[" + tok + "]")
			continue
		}
		b.WriteString("." + tok)
	}
	return b.String()
}
