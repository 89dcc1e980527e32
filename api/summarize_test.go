package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/llm-testing/llm-testing/internal/config"
	"github.com/llm-testing/llm-testing/internal/summary"
)

const okBody = `{"transcript":"Agent: Hello. Customer: I was double charged."}`

func TestSummarizeOK(t *testing.T) {
	var got summary.Request
	ts := newTestServer(t, &fakeSummarizer{summarize: func(_ context.Context, r summary.Request) (summary.Result, error) {
		got = r
		cost := 0.0012
		return summary.Result{Summary: "Refund issued.", Model: "fake-model", Chunks: 1,
			Usage:     summary.Usage{InputTokens: 12, OutputTokens: 3, EstimatedCostUSD: &cost},
			KeyPoints: []string{"Refund issued."}, Sentiment: summary.SentimentPositive,
			ActionItems: []summary.ActionItem{{Owner: summary.OwnerAgent, Description: "Send email"}}}, nil
	}}, nil)
	body := `{"transcript":"Agent: Hi. Customer: Refund please.","options":{"maxLength":40,"format":"bullets","sections":["keyPoints","sentiment"]}}`
	rec := ts.do(t, "POST", "/api/v1/summarize", body, withKey("X-Request-Id", "req-123"))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	s := decode[Summary](t, rec.Body.Bytes())
	if s.ID != "req-123" || rec.Header().Get("X-Request-Id") != "req-123" {
		t.Errorf("id = %q, header %q; want req-123", s.ID, rec.Header().Get("X-Request-Id"))
	}
	if s.Summary != "Refund issued." || s.Model != "fake-model" || s.Usage.InputTokens != 12 || s.Chunks != 1 {
		t.Errorf("body = %+v", s)
	}
	if s.Usage.EstimatedCostUSD == nil || *s.Usage.EstimatedCostUSD != 0.0012 {
		t.Errorf("cost = %v", s.Usage.EstimatedCostUSD)
	}
	// Asked for keyPoints and sentiment only: actionItems must be absent.
	if len(s.KeyPoints) != 1 || s.Sentiment != "positive" || s.ActionItems != nil || s.Resolution != "" {
		t.Errorf("sections = %+v", s)
	}
	if strings.Contains(rec.Body.String(), "actionItems") {
		t.Errorf("actionItems present though not asked for: %s", rec.Body)
	}
	if got.MaxLength != 40 || got.Format != summary.FormatBullets || len(got.Sections) != 2 || got.ID != "req-123" {
		t.Errorf("summarizer got %+v", got)
	}
	st := rec.Header().Get("Server-Timing")
	m := regexp.MustCompile(`^total;dur=(\d+\.\d\d), llm;dur=(\d+\.\d\d)$`).FindStringSubmatch(st)
	if m == nil {
		t.Fatalf("Server-Timing = %q", st)
	}
	if total, llm := parseFloat(t, m[1]), parseFloat(t, m[2]); total < llm {
		t.Errorf("Server-Timing total %v < llm %v", total, llm)
	}
}

func TestSummarizeDefaultsAndEmptySections(t *testing.T) {
	var got summary.Request
	ts := newTestServer(t, &fakeSummarizer{summarize: func(_ context.Context, r summary.Request) (summary.Result, error) {
		got = r
		return summary.Result{Summary: "x", Model: "m"}, nil
	}}, nil)
	rec := ts.do(t, "POST", "/api/v1/summarize", `{"transcript":"hi","options":{"sections":["actionItems","resolution","keyPoints"]}}`, withKey())
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if got.MaxLength != 150 || got.Format != summary.FormatParagraph {
		t.Errorf("defaults: %+v", got)
	}
	b := rec.Body.String()
	for _, want := range []string{`"actionItems":[]`, `"keyPoints":[]`, `"resolution":"unknown"`, `"chunks":1`} {
		if !strings.Contains(b, want) {
			t.Errorf("body %s lacks %s", b, want)
		}
	}
}

func TestSummarizeRejects(t *testing.T) {
	long := strings.Repeat("é", summary.MaxTranscriptRune+1)
	exact := strings.Repeat("é", summary.MaxTranscriptRune)
	tests := []struct {
		name    string
		body    string
		headers map[string]string
		status  int
		detail  string // in the problem's detail or an error location
	}{
		{"no key", okBody, nil, 401, "missing X-API-Key"},
		{"unknown key", okBody, map[string]string{"X-API-Key": "nope"}, 401, "unknown API key"},
		{"malformed json", `{"transcript":`, withKey(), 400, "malformed JSON"},
		{"not json at all", `hello`, withKey(), 400, "malformed JSON"},
		{"wrong content type", okBody, withKey("Content-Type", "text/plain"), 415, "text/plain"},
		{"form content type", okBody, withKey("Content-Type", "application/x-www-form-urlencoded"), 415, "application/json"},
		{"empty transcript", `{"transcript":""}`, withKey(), 422, "body.transcript"},
		{"no call", `{}`, withKey(), 422, `"send the call as exactly one of transcript, turns, document; the body has none","location":"body"`},
		{"two calls", `{"transcript":"a","turns":[{"speaker":"A","text":"b"}]}`, withKey(), 422, "the body has transcript and turns"},
		{"three calls", `{"transcript":"a","turns":[{"speaker":"A","text":"b"}],"document":{}}`, withKey(), 422, "the body has transcript and turns and document"},
		{"format without document", `{"transcript":"a","documentFormat":"contact-lens"}`, withKey(), 422, "documentFormat"},
		{"unknown document format", `{"document":{"results":{}},"documentFormat":"zoom"}`, withKey(), 422, "body.documentFormat"},
		{"empty turns", `{"turns":[]}`, withKey(), 422, "body.turns"},
		{"turn without text", `{"turns":[{"speaker":"A"}]}`, withKey(), 422, "body.turns[0].text"},
		{"bad role", `{"turns":[{"speaker":"A","text":"hi","role":"boss"}]}`, withKey(), 422, "body.turns[0].role"},
		{"turn ends before it starts", `{"turns":[{"speaker":"A","text":"hi","startMs":9,"endMs":3}]}`, withKey(), 422, "body.turns[0].endMs"},
		{"turns too long", `{"turns":[{"speaker":"A","text":"` + long + `"}]}`, withKey(), 422, `"location":"body.turns"`},
		{"document not an object", `{"document":[1]}`, withKey(), 422, "body.document"},
		{"document of no known format", `{"document":{"foo":1}}`, withKey(), 422, "set documentFormat"},
		{"malformed document", `{"document":{"Transcript":[{"ParticipantRole":"AGENT","Content":7}]}}`, withKey(), 422, `"location":"body.document.Transcript[0].Content"`},
		{"document of another format", `{"document":{"Transcript":[]},"documentFormat":"transcribe"}`, withKey(), 422, `"location":"body.document.results"`},
		{"transcript too long", `{"transcript":"` + long + `"}`, withKey(), 422, "body.transcript"},
		{"maxLength low", `{"transcript":"a","options":{"maxLength":9}}`, withKey(), 422, "body.options.maxLength"},
		{"maxLength high", `{"transcript":"a","options":{"maxLength":1001}}`, withKey(), 422, "body.options.maxLength"},
		{"bad format", `{"transcript":"a","options":{"format":"table"}}`, withKey(), 422, "body.options.format"},
		{"bad section", `{"transcript":"a","options":{"sections":["mood"]}}`, withKey(), 422, "body.options.sections[0]"},
		{"duplicate section", `{"transcript":"a","options":{"sections":["sentiment","sentiment"]}}`, withKey(), 422, `"expected array items to be unique","location":"body.options.sections"`},
		{"unknown field", `{"transcript":"a","options":{"maxLenght":50}}`, withKey(), 422, "maxLenght"},
		{"wrong type", `{"transcript":42}`, withKey(), 422, "body"},
		{"trailing data", `{"transcript":"a"} {"x":1}`, withKey(), 400, "malformed JSON"},
		{"extra brace", `{"transcript":"a"}}`, withKey(), 400, "malformed JSON"},
		{"trailing garbage", `{"transcript":"hi there"} xx`, withKey(), 400, "malformed JSON"},
		{"maxLength zero", `{"transcript":"a","options":{"maxLength":0}}`, withKey(), 422, "body.options.maxLength"},
		{"empty format", `{"transcript":"a","options":{"format":""}}`, withKey(), 422, "body.options.format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			called := false
			ts := newTestServer(t, &fakeSummarizer{summarize: func(context.Context, summary.Request) (summary.Result, error) {
				called = true
				return summary.Result{Summary: "x"}, nil
			}}, nil)
			rec := ts.do(t, "POST", "/api/v1/summarize", tt.body, tt.headers)
			if rec.Code != tt.status {
				t.Fatalf("status = %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type = %q", ct)
			}
			if !strings.Contains(rec.Body.String(), tt.detail) {
				t.Errorf("body %.300s does not mention %q", rec.Body, tt.detail)
			}
			if called {
				t.Error("summarizer was called for a rejected request")
			}
			if len(tt.body) > 20 && strings.Contains(rec.Body.String(), tt.body) {
				t.Errorf("the error echoes the request body: %s", rec.Body)
			}
		})
	}
	t.Run("exactly 200000 characters is accepted", func(t *testing.T) {
		ts := newTestServer(t, &fakeSummarizer{}, nil)
		if rec := ts.do(t, "POST", "/api/v1/summarize", `{"transcript":"`+exact+`"}`, withKey()); rec.Code != 200 {
			t.Errorf("status %d: %.200s", rec.Code, rec.Body)
		}
	})
}

func TestSummarizeBodyLimit(t *testing.T) {
	ts := newTestServer(t, &fakeSummarizer{}, func(c *config.Config) { c.MaxBodyBytes = 2048 })
	fits := `{"transcript":"` + strings.Repeat("a", 2048-17) + `"}`
	if len(fits) != 2048 {
		t.Fatalf("test body is %d bytes", len(fits))
	}
	if rec := ts.do(t, "POST", "/api/v1/summarize", fits, withKey()); rec.Code != http.StatusOK {
		t.Errorf("body of exactly MAX_BODY_BYTES: status %d: %s", rec.Code, rec.Body)
	}
	rec := ts.do(t, "POST", "/api/v1/summarize", fits+" ", withKey())
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("body over MAX_BODY_BYTES: status %d, want 413", rec.Code)
	}
}

func TestSummarizeErrorMapping(t *testing.T) {
	secret := "arn:aws:bedrock:us-east-1:123456789012 internal detail"
	tests := []struct {
		name       string
		err        error
		status     int
		retryAfter string
	}{
		{"throttled", &summary.Error{Kind: summary.KindThrottled, RetryAfter: 3 * time.Second, Err: errors.New(secret)}, 429, "3"},
		{"timeout", &summary.Error{Kind: summary.KindTimeout, Err: errors.New(secret)}, 504, ""},
		{"upstream", &summary.Error{Kind: summary.KindUpstream, Hint: "model access not enabled", Err: errors.New(secret)}, 502, ""},
		{"unavailable", &summary.Error{Kind: summary.KindUnavailable, Err: errors.New(secret)}, 503, "2"},
		{"deadline", fmt.Errorf("call %s: %w", secret, context.DeadlineExceeded), 504, ""},
		{"unexpected", errors.New(secret), 500, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t, &fakeSummarizer{summarize: func(context.Context, summary.Request) (summary.Result, error) {
				return summary.Result{}, tt.err
			}}, nil)
			rec := ts.do(t, "POST", "/api/v1/summarize", okBody, withKey())
			if rec.Code != tt.status {
				t.Fatalf("status = %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if got := rec.Header().Get("Retry-After"); got != tt.retryAfter {
				t.Errorf("Retry-After = %q, want %q", got, tt.retryAfter)
			}
			if strings.Contains(rec.Body.String(), "123456789012") || strings.Contains(rec.Body.String(), "model access") {
				t.Errorf("response leaks internals: %s", rec.Body)
			}
			if !strings.Contains(ts.logs.String(), "123456789012") {
				t.Errorf("the cause is not logged: %s", ts.logs)
			}
		})
	}
}

func TestPanicBecomes500(t *testing.T) {
	ts := newTestServer(t, &fakeSummarizer{summarize: func(context.Context, summary.Request) (summary.Result, error) {
		panic("boom")
	}}, nil)
	rec := ts.do(t, "POST", "/api/v1/summarize", okBody, withKey())
	if rec.Code != 500 {
		t.Fatalf("status %d", rec.Code)
	}
	p := decode[problem](t, rec.Body.Bytes())
	if p.Status != 500 || strings.Contains(rec.Body.String(), "boom") {
		t.Errorf("problem = %s", rec.Body)
	}
	if !strings.Contains(ts.logs.String(), "boom") {
		t.Errorf("panic not logged: %s", ts.logs)
	}
}

func TestRequestIDGenerated(t *testing.T) {
	ts := newTestServer(t, &fakeSummarizer{}, nil)
	for _, given := range []string{"", "has space", strings.Repeat("x", 200)} {
		rec := ts.do(t, "POST", "/api/v1/summarize", okBody, withKey("X-Request-Id", given))
		id := rec.Header().Get("X-Request-Id")
		if !regexp.MustCompile(`^[0-9a-f]{24}$`).MatchString(id) {
			t.Errorf("given %q: generated id %q", given, id)
		}
		if s := decode[Summary](t, rec.Body.Bytes()); s.ID != id {
			t.Errorf("body id %q != header id %q", s.ID, id)
		}
	}
}

func parseFloat(tb testing.TB, s string) float64 {
	tb.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		tb.Fatal(err)
	}
	return f
}

// TestErrorsDoNotQuoteInput sends huge invalid values: the error says what
// is wrong without sending the input back.
func TestErrorsDoNotQuoteInput(t *testing.T) {
	huge := strings.Repeat("9", 100000)
	for name, body := range map[string]string{
		"huge number":  `{"transcript":"a","options":{"maxLength":` + huge + `}}`,
		"huge format":  `{"transcript":"a","options":{"format":"` + huge + `"}}`,
		"huge section": `{"transcript":"a","options":{"sections":["` + huge + `"]}}`,
		"huge type":    `{"transcript":` + huge + `}`,
		"huge name":    `{"transcript":"a","` + huge + `":1}`,
		"huge nested":  `{"transcript":"a","options":{"` + huge + `":1}}`,
	} {
		t.Run(name, func(t *testing.T) {
			ts := newTestServer(t, &fakeSummarizer{}, nil)
			rec := ts.do(t, "POST", "/api/v1/summarize", body, withKey())
			if rec.Code != 422 && rec.Code != 400 {
				t.Fatalf("status %d", rec.Code)
			}
			if n := rec.Body.Len(); n > 2000 {
				t.Errorf("error body is %d bytes: %.300s", n, rec.Body)
			}
		})
	}
}

// TestCleanErrorsCutsMessages: whatever an error's message quotes, the
// problem carries at most maxErrorMessage bytes of it.
func TestCleanErrorsCutsMessages(t *testing.T) {
	s := newService(Deps{})
	em := &huma.ErrorModel{Status: 422, Detail: validationFailed, Errors: []*huma.ErrorDetail{{Location: "body", Message: strings.Repeat("x", 1<<20)}}}
	v, err := s.cleanErrors(nil, "422", em)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(v.(*huma.ErrorModel).Errors[0].Message); n > maxErrorMessage+len("…") {
		t.Errorf("message is %d bytes, limit %d", n, maxErrorMessage)
	}
}

func TestTooLargeNamesTheLimit(t *testing.T) {
	ts := newTestServer(t, &fakeSummarizer{}, func(c *config.Config) { c.MaxBodyBytes = 2048 })
	rec := ts.do(t, "POST", "/api/v1/summarize", `{"transcript":"`+strings.Repeat("a", 3000)+`"}`, withKey())
	if rec.Code != 413 || !strings.Contains(rec.Body.String(), "MAX_BODY_BYTES (2048 bytes)") {
		t.Errorf("413 body: %d %s", rec.Code, rec.Body)
	}
}
