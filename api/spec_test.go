package api

import (
	"bytes"
	"context"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/llm-testing/llm-testing/internal/config"
	"github.com/llm-testing/llm-testing/internal/summary"
)

var update = flag.Bool("update", false, "rewrite the committed OpenAPI documents")

// TestSpecDrift fails when the committed specs differ from what the code
// generates; `go generate ./api` (or go test ./api -update) rewrites them.
func TestSpecDrift(t *testing.T) {
	specs, err := Specs()
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range specs {
		if *update {
			if err := os.WriteFile(name, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("api/%s is out of date with the code: run `go generate ./api` and commit the result", name)
		}
	}
}

func loadSpec(tb testing.TB, name string) *openapi3.T {
	tb.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(name)
	if err != nil {
		tb.Fatalf("load %s: %v", name, err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		tb.Fatalf("%s is not a valid OpenAPI document: %v", name, err)
	}
	return doc
}

// TestSpecValid checks both documents with an independent validator, and
// the names generated clients depend on.
func TestSpecValid(t *testing.T) {
	for _, name := range []string{"openapi-3.0.yaml", "openapi.yaml"} {
		t.Run(name, func(t *testing.T) {
			doc := loadSpec(t, name)
			for _, s := range []string{"SummarizeRequest", "SummarizeOptions", "Summary", "Usage", "ActionItem", "Health"} {
				if doc.Components.Schemas[s] == nil {
					t.Errorf("schema %s missing", s)
				}
			}
			ids := map[string]string{}
			for path, item := range doc.Paths.Map() {
				for method, op := range item.Operations() {
					ids[op.OperationID] = method + " " + path
				}
			}
			for id, want := range map[string]string{"get-health": "GET /health", "summarize": "POST /api/v1/summarize", "summarize-stream": "POST /api/v1/summarize/stream"} {
				if ids[id] != want {
					t.Errorf("operation %s is %q, want %q", id, ids[id], want)
				}
			}
			health := doc.Paths.Find("/health").Get
			if health.Security == nil || len(*health.Security) != 0 {
				t.Errorf("/health security = %v, want explicitly public []", health.Security)
			}
			sum := doc.Paths.Find("/api/v1/summarize").Post
			if sum.Security == nil || len(*sum.Security) != 1 {
				t.Errorf("summarize security = %v, want apiKey", sum.Security)
			}
			for _, code := range []string{"200", "400", "401", "413", "415", "422", "429", "500", "502", "503", "504"} {
				if sum.Responses.Value(code) == nil {
					t.Errorf("summarize does not declare %s", code)
				}
			}
			if doc.Info.License == nil || doc.Info.Description == "" || len(doc.Servers) == 0 {
				t.Errorf("info or servers incomplete: %+v %v", doc.Info, doc.Servers)
			}
		})
	}
}

// TestResponsesMatchSpec sends real requests to the server and validates
// every response against the 3.0 document with openapi3filter.
func TestResponsesMatchSpec(t *testing.T) {
	doc := loadSpec(t, "openapi-3.0.yaml")
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	sections := `{"transcript":"Agent: Hi. Customer: Refund please.","options":{"sections":["keyPoints","actionItems","sentiment","resolution"]}}`
	tests := []struct {
		name    string
		method  string
		path    string
		body    string
		headers map[string]string
		mod     func(*config.Config)
		fake    *fakeSummarizer
		status  int
	}{
		{"health", "GET", "/health", "", nil, nil, &fakeSummarizer{}, 200},
		{"summarize", "POST", "/api/v1/summarize", okBody, withKey(), nil, &fakeSummarizer{}, 200},
		{"summarize sections", "POST", "/api/v1/summarize", sections, withKey(), nil, &fakeSummarizer{}, 200},
		{"malformed", "POST", "/api/v1/summarize", `{"transcript":`, withKey(), nil, &fakeSummarizer{}, 400},
		{"no key", "POST", "/api/v1/summarize", okBody, nil, nil, &fakeSummarizer{}, 401},
		{"too large", "POST", "/api/v1/summarize", `{"transcript":"` + strings.Repeat("a", 3000) + `"}`, withKey(), func(c *config.Config) { c.MaxBodyBytes = 2048 }, &fakeSummarizer{}, 413},
		{"wrong type", "POST", "/api/v1/summarize", okBody, withKey("Content-Type", "text/plain"), nil, &fakeSummarizer{}, 415},
		{"invalid", "POST", "/api/v1/summarize", `{"transcript":"a","options":{"maxLength":5}}`, withKey(), nil, &fakeSummarizer{}, 422},
		{"throttled", "POST", "/api/v1/summarize", okBody, withKey(), nil, &fakeSummarizer{summarize: func(context.Context, summary.Request) (summary.Result, error) {
			return summary.Result{}, &summary.Error{Kind: summary.KindThrottled}
		}}, 429},
		{"stream", "POST", "/api/v1/summarize/stream", okBody, withKey(), nil, &fakeSummarizer{}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t, tt.fake, tt.mod)
			rec := ts.do(t, tt.method, tt.path, tt.body, tt.headers)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			validateResponse(t, router, tt.method, tt.path, tt.body, rec)
		})
	}
}

func validateResponse(tb testing.TB, router routers.Router, method, path, body string, rec *httptest.ResponseRecorder) {
	tb.Helper()
	req := httptest.NewRequest(method, "http://localhost:3000"+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	route, params, err := router.FindRoute(req)
	if err != nil {
		tb.Fatalf("find route: %v", err)
	}
	in := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true},
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 rec.Code,
		Header:                 rec.Header(),
		Body:                   io.NopCloser(bytes.NewReader(rec.Body.Bytes())),
		Options:                in.Options,
	}
	if rec.Header().Get("Content-Type") == "text/event-stream" {
		// openapi3filter cannot decode an event stream; check the status and type are declared.
		if route.Operation.Responses.Status(rec.Code).Value.Content.Get("text/event-stream") == nil {
			tb.Errorf("text/event-stream not declared for %d", rec.Code)
		}
		return
	}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		tb.Errorf("response %d does not match the spec: %v\n%s", rec.Code, err, rec.Body)
	}
}

var _ = http.MethodGet

// TestSpecRoutes checks the served documents and docs page.
func TestSpecRoutes(t *testing.T) {
	ts := newTestServer(t, &fakeSummarizer{}, nil)
	for path, want := range map[string]string{
		"/openapi.json":     `"openapi":"3.1.0"`,
		"/openapi.yaml":     "openapi: 3.1.0",
		"/openapi-3.0.json": `"openapi":"3.0.3"`,
		"/openapi-3.0.yaml": "openapi: 3.0.3",
		"/docs":             "<html",
	} {
		rec := ts.do(t, "GET", path, "", nil)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), want) {
			t.Errorf("GET %s: %d, body lacks %q", path, rec.Code, want)
		}
	}
}

func TestUnknownRoutes(t *testing.T) {
	ts := newTestServer(t, &fakeSummarizer{}, nil)
	for _, tt := range []struct {
		method, path string
		status       int
		allow        string
	}{
		{"GET", "/nope", 404, ""},
		{"GET", "/api/v1/summarize", 405, "POST"},
		{"DELETE", "/health", 405, "GET"},
	} {
		rec := ts.do(t, tt.method, tt.path, "", nil)
		if rec.Code != tt.status || rec.Header().Get("Content-Type") != "application/problem+json" || rec.Header().Get("Allow") != tt.allow {
			t.Errorf("%s %s: %d %q Allow %q", tt.method, tt.path, rec.Code, rec.Header().Get("Content-Type"), rec.Header().Get("Allow"))
		}
	}
}
