package api

import (
	"strings"
	"testing"
)

// TestStrictDecoding: the body is read as strictly as the spec states, and
// each refusal says what is wrong and where.
func TestStrictDecoding(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		headers  map[string]string
		status   int
		detail   string // in the problem's detail
		location string // an errors[].location, "" for none
		message  string // in that error's message
	}{
		{"field names are case-sensitive", `{"transcript":"a","Transcript":"b"}`, nil, 422, "validation failed", "body.Transcript", "unexpected property"},
		{"a name in the wrong case only", `{"Transcript":"a"}`, nil, 422, "validation failed", "body", "send the call as exactly one of transcript, turns, document; the body has none"},
		{"nested name in the wrong case", `{"transcript":"a","options":{"MaxLength":50}}`, nil, 422, "validation failed", "body.options.MaxLength", "unexpected property"},
		{"duplicate key", `{"transcript":"a","transcript":"b"}`, nil, 400, "malformed JSON body: duplicate object member name (at byte 18)", "body.transcript", "duplicate object member name"},
		{"nested duplicate key", `{"transcript":"a","options":{"format":"bullets","format":"paragraph"}}`, nil, 400, "duplicate object member name", "body.options.format", "duplicate object member name"},
		{"invalid UTF-8", "{\"transcript\":\"caf\xe9\"}", nil, 400, "invalid UTF-8", "body.transcript", "malformed JSON body"},
		{"lone high surrogate", `{"transcript":"a\ud800"}`, nil, 400, "invalid surrogate pair", "body.transcript", "malformed JSON body"},
		{"lone low surrogate", `{"transcript":"a\udc00b"}`, nil, 400, "invalid surrogate pair", "body.transcript", "malformed JSON body"},
		{"surrogates in the wrong order", `{"transcript":"\ude00\ud83d"}`, nil, 400, "invalid surrogate pair", "body.transcript", "malformed JSON body"},
		{"invalid UTF-8 in a name", "{\"transcript\":\"a\",\"\xff\":1}", nil, 400, "invalid UTF-8", "", ""},
		{"missing field", `{}`, nil, 422, "validation failed", "body", "send the call as exactly one of transcript, turns, document; the body has none"},
		{"empty field", `{"transcript":""}`, nil, 422, "validation failed", "body.transcript", "expected length >= 1"},
		{"number out of range", `{"transcript":"a","options":{"maxLength":1e400}}`, nil, 422, "validation failed", "body.options.maxLength", "number 1e400 is out of range"},
		{"not an integer", `{"transcript":"a","options":{"maxLength":10.5}}`, nil, 422, "validation failed", "body.options.maxLength", "expected integer"},
		{"not an object", `["a"]`, nil, 422, "validation failed", "body", "expected object"},
		{"malformed", `{"transcript":`, nil, 400, "malformed JSON body: unexpected EOF (at byte 14)", "body.transcript", "unexpected EOF"},
		{"empty body", ``, map[string]string{"Content-Type": "application/json"}, 400, "request body is required", "", ""},
		{"only whitespace", ` `, nil, 400, "malformed JSON body", "body", "unexpected EOF"},
		{"wrong content type", okBody, map[string]string{"Content-Type": "text/plain"}, 415, `Content-Type "text/plain" is not supported: send the body as application/json`, "", ""},
	}
	ts := newTestServer(t, &fakeSummarizer{}, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := ts.do(t, "POST", "/api/v1/summarize", tt.body, withKey(flatten(tt.headers)...))
			if rec.Code != tt.status {
				t.Fatalf("status = %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			p := decode[problem](t, rec.Body.Bytes())
			if !strings.Contains(p.Detail, tt.detail) {
				t.Errorf("detail %q does not say %q", p.Detail, tt.detail)
			}
			if tt.location == "" {
				return
			}
			for _, e := range p.Errors {
				if e.Location == tt.location && strings.Contains(e.Message, tt.message) {
					return
				}
			}
			t.Errorf("no error at %s saying %q: %s", tt.location, tt.message, rec.Body)
		})
	}
}

// TestStrictDecodingAccepts what is strict but valid: a surrogate pair, a
// content type with parameters or a +json suffix, and null for an optional
// field (huma treats it as absent).
func TestStrictDecodingAccepts(t *testing.T) {
	for name, tt := range map[string]struct{ body, ct string }{
		"surrogate pair":   {`{"transcript":"Customer: \ud83d\ude00 thanks"}`, "application/json"},
		"charset":          {okBody, "application/json; charset=utf-8"},
		"+json suffix":     {okBody, "application/vnd.api+json"},
		"null options":     {`{"transcript":"a","options":null}`, "application/json"},
		"no content type":  {okBody, ""},
		"every option set": {`{"transcript":"a","options":{"maxLength":10,"format":"bullets","sections":["keyPoints","actionItems","sentiment","resolution"]}}`, "application/json"},
	} {
		t.Run(name, func(t *testing.T) {
			ts := newTestServer(t, &fakeSummarizer{}, nil)
			h := withKey()
			h["Content-Type"] = tt.ct
			if rec := ts.do(t, "POST", "/api/v1/summarize", tt.body, h); rec.Code != 200 {
				t.Errorf("status %d: %s", rec.Code, rec.Body)
			}
		})
	}
}

func flatten(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, k, v)
	}
	return out
}
