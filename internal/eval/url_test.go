package eval

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
)

func TestURLTarget(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		if r.URL.Path != "/api/v1/summarize" || r.Method != http.MethodPost {
			http.NotFound(w, r)
			return
		}
		if r.Header.Get("X-API-Key") != "k1" {
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"status":401,"title":"Unauthorized","detail":"missing or unknown API key"}`))
			return
		}
		var req struct {
			Transcript string `json:"transcript"`
			Options    struct {
				MaxLength int    `json:"maxLength"`
				Format    string `json:"format"`
			} `json:"options"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			t.Errorf("decode body: %v", err)
		}
		if strings.Contains(req.Transcript, "busy") && n == 1 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		if req.Options.MaxLength != 40 || req.Options.Format != "bullets" {
			t.Errorf("options = %+v, want maxLength 40 bullets", req.Options)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"id":"r1","summary":"- refund issued","model":"m1",
			"usage":{"inputTokens":120,"outputTokens":8,"estimatedCostUsd":0.0005},
			"latencyMs":3,"truncated":true,"chunks":1,
			"keyPoints":["refund issued"],"keyPointTurns":[[0,2]],
			"actionItems":[{"owner":"agent","description":"refund","turns":[1]}]}`))
	}))
	defer srv.Close()

	item := Item{ID: "x", Transcript: "Agent: hi", Options: Options{MaxLength: 40, Format: "bullets"}}
	tests := []struct {
		name       string
		key        string
		transcript string
		wantErr    string
		wantCalls  int32
	}{
		{name: "ok", key: "k1", transcript: "Agent: hi", wantCalls: 1},
		{name: "retries 429", key: "k1", transcript: "Agent: busy", wantCalls: 2},
		{name: "bad key", key: "nope", transcript: "Agent: hi", wantErr: "status 401: Unauthorized missing or unknown API key", wantCalls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls.Store(0)
			target, err := NewURLTarget(srv.URL+"/", tt.key, srv.Client())
			if err != nil {
				t.Fatal(err)
			}
			if got, want := target.Name(), "url:"+srv.URL; got != want {
				t.Errorf("Name = %q, want %q", got, want)
			}
			it := item
			it.Transcript = tt.transcript
			out, err := target.Summarize(context.Background(), it)
			if got := calls.Load(); got != tt.wantCalls {
				t.Errorf("calls = %d, want %d", got, tt.wantCalls)
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Summarize: %v", err)
			}
			if out.Summary != "- refund issued" || out.Model != "m1" || out.Usage.OutputTokens != 8 ||
				out.Usage.EstimatedCostUSD == nil || *out.Usage.EstimatedCostUSD != 0.0005 || !out.Truncated || out.Latency <= 0 {
				t.Errorf("output = %+v", out)
			}
			if !slices.Equal(out.KeyPoints, []string{"refund issued"}) || len(out.KeyPointTurns) != 1 || !slices.Equal(out.KeyPointTurns[0], []int{0, 2}) ||
				len(out.ActionItems) != 1 || !slices.Equal(out.ActionItems[0].Turns, []int{1}) {
				t.Errorf("citations = %v %v %+v, want the response's", out.KeyPoints, out.KeyPointTurns, out.ActionItems)
			}
		})
	}
}

func TestNewURLTarget(t *testing.T) {
	tests := []struct{ url, key, wantErr string }{
		{"ftp://x", "k", "want http(s)"},
		{"http://", "k", "want http(s)"},
		{"https://api.example.com", "", "needs an API key"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			if _, err := NewURLTarget(tt.url, tt.key, nil); err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("NewURLTarget error = %v, want %q", err, tt.wantErr)
			}
		})
	}
}
