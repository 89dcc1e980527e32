package api

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/llm-testing/llm-testing/internal/config"
	"github.com/llm-testing/llm-testing/internal/summary"
)

// bodyOf is a summarize body whose transcript has n bytes.
func bodyOf(n int) string {
	return fmt.Sprintf(`{"transcript":"Agent: %s"}`, strings.Repeat("x", n-len("Agent: ")))
}

// TestMemoryBudget: requests are admitted while their estimated memory
// fits the budget, by size and not by count; past it they are shed at once
// with 503 and Retry-After, before their body is read; the budget is given
// back when they end.
func TestMemoryBudget(t *testing.T) {
	big, small := bodyOf(100_000), bodyOf(1_000)
	release := make(chan struct{})
	held := make(chan struct{}, 4)
	sum := &fakeSummarizer{summarize: func(ctx context.Context, r summary.Request) (summary.Result, error) {
		held <- struct{}{}
		<-release
		return summary.Result{Summary: "ok", Model: "m"}, nil
	}}
	// Room for one big request and one small one, not for two big ones.
	budget := requestCost(int64(len(big))) + requestCost(int64(len(small))) + 1000
	ts := newTestServer(t, sum, func(c *config.Config) { c.MemoryBudget = budget })

	first := make(chan int, 1)
	go func() { first <- ts.do(t, "POST", pathSummarize, big, withKey()).Code }()
	select {
	case <-held:
	case code := <-first:
		t.Fatalf("a big request within the budget was answered %d, not admitted", code)
	}
	// The second big one declares its length; it must be shed on that
	// alone, its body never read.
	// (The server drains a left-over body once it has answered; reading
	// it before is what would show it was not shed on its length.)
	rec := &answerSpy{ResponseRecorder: httptest.NewRecorder()}
	body := &readSpy{Reader: strings.NewReader(big), answered: &rec.answered}
	done := make(chan struct{})
	go func() {
		req := httptest.NewRequest("POST", pathSummarize, body)
		req.ContentLength = int64(len(big))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-API-Key", testKey)
		ts.handler.ServeHTTP(rec, req)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		close(release) // it was admitted and waits with the first
		t.Fatal("a big request past the budget was admitted, not shed")
	}
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") != "1" {
		t.Errorf("second big request: %d Retry-After %q, want 503 with Retry-After 1", rec.Code, rec.Header().Get("Retry-After"))
	}
	if body.readEarly.Load() {
		t.Error("the second big request's body was read before it was answered: it was not weighed by its Content-Length")
	}
	second := make(chan int, 1)
	go func() { second <- ts.do(t, "POST", pathSummarize, small, withKey()).Code }()
	select {
	case <-held:
	case <-time.After(5 * time.Second):
		t.Fatal("a small request that fits the budget was not admitted")
	}
	close(release)
	if a, b := <-first, <-second; a != 200 || b != 200 {
		t.Errorf("admitted requests: %d and %d, want 200", a, b)
	}
	// Everything was given back: two big ones in turn still fit.
	for i := range 2 {
		if rec := ts.do(t, "POST", pathSummarize, big, withKey()); rec.Code != 200 {
			t.Fatalf("big request %d after the others ended: %d", i, rec.Code)
		}
		<-held
	}
	if !strings.Contains(ts.logs.String(), `"Shed":1`) {
		t.Error("the request shed by the budget is not counted in the metrics")
	}
}

// TestMemoryBudgetUndeclaredLength: a body sent without a Content-Length
// is weighed as MAX_BODY_BYTES until it is decoded.
func TestMemoryBudgetUndeclaredLength(t *testing.T) {
	small := bodyOf(1_000)
	ts := newTestServer(t, &fakeSummarizer{}, func(c *config.Config) {
		c.MemoryBudget = requestCost(c.MaxBodyBytes) - 1
	})
	if rec := ts.do(t, "POST", pathSummarize, small, withKey()); rec.Code != 200 {
		t.Errorf("declared length: %d, want 200", rec.Code)
	}
	req := httptest.NewRequest("POST", pathSummarize, io.MultiReader(strings.NewReader(small)))
	req.ContentLength = -1
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-API-Key", testKey)
	rec := httptest.NewRecorder()
	ts.handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("undeclared length past the budget: %d, want 503", rec.Code)
	}
}

// readSpy is a request body that records whether it was read before the
// answer was written.
type readSpy struct {
	io.Reader
	answered  *atomic.Bool
	readEarly atomic.Bool
}

func (r *readSpy) Read(p []byte) (int, error) {
	if !r.answered.Load() {
		r.readEarly.Store(true)
	}
	return r.Reader.Read(p)
}

// answerSpy is a ResponseRecorder that records when the status is written.
type answerSpy struct {
	*httptest.ResponseRecorder
	answered atomic.Bool
}

func (a *answerSpy) WriteHeader(code int) {
	a.answered.Store(true)
	a.ResponseRecorder.WriteHeader(code)
}

func (a *answerSpy) Write(p []byte) (int, error) {
	a.answered.Store(true)
	return a.ResponseRecorder.Write(p)
}

func TestReweigh(t *testing.T) {
	s := &service{budget: &memoryBudget{max: requestCost(1000)}}
	ri := &reqInfo{}
	if !s.budget.reserve(requestCost(500)) {
		t.Fatal("first reservation refused")
	}
	ri.reserved = requestCost(500)
	if err := s.reweigh(ri, 2000); err == nil {
		t.Error("reweigh past the budget: no error")
	}
	if err := s.reweigh(ri, 100); err != nil {
		t.Errorf("reweigh down: %v", err)
	}
	if got, want := s.budget.inUse(), requestCost(100); got != want || ri.reserved != want {
		t.Errorf("after reweigh down: in use %d, reserved %d, want %d", got, ri.reserved, want)
	}
}
