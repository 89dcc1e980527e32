package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/llm-testing/llm-testing/internal/config"
)

// FuzzSummarizeRequest sends arbitrary bodies and content types through the
// whole request path (middleware, auth, decode, validation). Whatever comes
// in, the answer is 200 or one of the declared client errors, never a 5xx,
// and every error is a problem+json document.
func FuzzSummarizeRequest(f *testing.F) {
	for _, seed := range []struct{ body, ct string }{
		{okBody, "application/json"},
		{`{"transcript":"a","options":{"maxLength":10,"format":"bullets","sections":["keyPoints","actionItems","sentiment","resolution"]}}`, "application/json"},
		{`{"transcript":""}`, "application/json"},
		{`{"transcript":"x","options":{"maxLength":-1}}`, "application/json; charset=utf-8"},
		{`{"transcript":"x","options":null}`, ""},
		{`{"transcript":"\u0000\ud800"}`, "application/merge-patch+json"},
		{`[1,2,3]`, "application/json"},
		{`{"transcript":"a"}{"transcript":"b"}`, "application/json"},
		{`not json`, "text/plain"},
		{``, "application/json"},
	} {
		f.Add(seed.body, seed.ct)
	}
	ts := newTestServer(f, &fakeSummarizer{}, func(c *config.Config) {
		c.MaxBodyBytes = 4096
		c.RateLimitRPS, c.RateLimitBurst = 1e9, 1e9
	})
	allowed := map[int]bool{200: true, 400: true, 413: true, 415: true, 422: true}
	f.Fuzz(func(t *testing.T, body, ct string) {
		req := httptest.NewRequest("POST", "/api/v1/summarize", strings.NewReader(body))
		req.Header.Set("X-API-Key", testKey)
		if ct != "" && !strings.ContainsAny(ct, "\r\n") {
			req.Header.Set("Content-Type", ct)
		}
		rec := httptest.NewRecorder()
		ts.handler.ServeHTTP(rec, req)
		if !allowed[rec.Code] {
			t.Fatalf("status %d for body %q type %q: %s", rec.Code, body, ct, rec.Body)
		}
		if rec.Code == http.StatusOK {
			var s Summary
			if err := json.Unmarshal(rec.Body.Bytes(), &s); err != nil || s.ID == "" {
				t.Fatalf("200 with a bad body %s: %v", rec.Body, err)
			}
			return
		}
		var p problem
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p.Status != rec.Code {
			t.Fatalf("status %d with a body that is not a problem: %s", rec.Code, rec.Body)
		}
	})
}
