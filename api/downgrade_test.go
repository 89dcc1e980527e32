package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// TestServedSpec30IsCommitted checks that /openapi-3.0.* serve the committed
// document, not huma's own downgrade.
func TestServedSpec30IsCommitted(t *testing.T) {
	committed, err := os.ReadFile("openapi-3.0.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, &fakeSummarizer{}, nil)
	if rec := ts.do(t, "GET", spec30YAMLPath, "", nil); !bytes.Equal(rec.Body.Bytes(), committed) {
		t.Errorf("GET %s differs from api/openapi-3.0.yaml", spec30YAMLPath)
	}
	rec := ts.do(t, "GET", spec30JSONPath, "", nil)
	if got := rec.Header().Get("Content-Type"); got != "application/openapi+json" {
		t.Errorf("GET %s: Content-Type %q", spec30JSONPath, got)
	}
	if y, err := toYAML(rec.Body.Bytes()); err != nil || !bytes.Equal(y, committed) {
		t.Errorf("GET %s is not api/openapi-3.0.yaml as JSON (%v)", spec30JSONPath, err)
	}
}

// TestSpec30NoRefSiblings walks the 3.0 document: a keyword beside a $ref is
// ignored in 3.0 (Spectral's no-$ref-siblings), so none may be there.
func TestSpec30NoRefSiblings(t *testing.T) {
	b, err := downgrade(OpenAPI())
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if _, ok := v["$ref"]; ok && len(v) > 1 {
				t.Errorf("%s: $ref has siblings %v", path, v)
			}
			for k, c := range v {
				walk(path+"/"+k, c)
			}
		case []any:
			for _, c := range v {
				walk(path+"[]", c)
			}
		}
	}
	walk("#", doc)
	if !strings.Contains(string(b), `"description":"How to summarize; every field has a default."`) {
		t.Error("the description beside SummarizeRequest.options' $ref was lost")
	}
}

// TestStreamMatchesSchema sends streams that end in done and in error and
// checks each body against both specs: the whole body matches the schema's
// pattern, and each event's data is valid for the schema x-events names.
func TestStreamMatchesSchema(t *testing.T) {
	failing := &fakeSummarizer{stream: func(context.Context, summary.Request) (summary.Stream, error) {
		return &sliceStream{pieces: []string{"Partial "}, err: &summary.Error{Kind: summary.KindUpstream, Err: io.ErrUnexpectedEOF}}, nil
	}}
	bodies := map[string]string{}
	for name, sum := range map[string]*fakeSummarizer{"done": {}, "error": failing} {
		rec := newTestServer(t, sum, nil).do(t, "POST", "/api/v1/summarize/stream", okBody, withKey())
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), "event: "+name+"\n") {
			t.Fatalf("stream ending in %s: %d %q", name, rec.Code, rec.Body)
		}
		bodies[name] = rec.Body.String() + ": heartbeat\n\n"
	}
	for _, file := range []string{"openapi.yaml", "openapi-3.0.yaml"} {
		doc := loadSpec(t, file)
		schema := doc.Paths.Find("/api/v1/summarize/stream").Post.Responses.Status(200).Value.
			Content.Get("text/event-stream").Schema.Value
		events := eventSchemas(t, doc, file, schema)
		for name, body := range bodies {
			if err := schema.VisitJSON(body); err != nil {
				t.Errorf("%s: stream ending in %s does not match the schema: %v", file, name, err)
			}
			for _, ev := range regexp.MustCompile(`event: (\w+)\ndata: (.*)\n`).FindAllStringSubmatch(body, -1) {
				var data any
				if err := json.Unmarshal([]byte(ev[2]), &data); err != nil {
					t.Fatalf("%s data: %v", ev[1], err)
				}
				if s, ok := events[ev[1]]; !ok {
					t.Errorf("%s: event %q is not in x-events", file, ev[1])
				} else if err := s.VisitJSON(data); err != nil {
					t.Errorf("%s: %s data %s: %v", file, ev[1], ev[2], err)
				}
			}
		}
		if err := schema.VisitJSON("event: delta\ndata: {}\n"); err == nil {
			t.Errorf("%s: the pattern accepts an event without its blank line", file)
		}
	}
}

// eventSchemas resolves the stream schema's x-events to component schemas.
func eventSchemas(tb testing.TB, doc *openapi3.T, file string, schema *openapi3.Schema) map[string]*openapi3.Schema {
	tb.Helper()
	raw, ok := schema.Extensions["x-events"].(map[string]any)
	if !ok || len(raw) != len(streamEvents) {
		tb.Fatalf("%s: x-events is %v", file, schema.Extensions["x-events"])
	}
	out := map[string]*openapi3.Schema{}
	for name, v := range raw {
		ref, _ := v.(map[string]any)["$ref"].(string)
		s, ok := doc.Components.Schemas[strings.TrimPrefix(ref, "#/components/schemas/")]
		if !ok {
			tb.Fatalf("%s: x-events.%s is %v, not a component schema", file, name, v)
		}
		out[name] = s.Value
	}
	return out
}
