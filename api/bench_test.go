package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	jsonv2 "github.com/go-json-experiment/json"

	"github.com/llm-testing/llm-testing/internal/auth"
	"github.com/llm-testing/llm-testing/internal/config"
	"github.com/llm-testing/llm-testing/internal/summary"
)

// trivialSummarizer answers at once, so a benchmark measures the handler.
type trivialSummarizer struct{}

func (trivialSummarizer) Summarize(_ context.Context, r summary.Request) (summary.Result, error) {
	return summary.Result{Summary: "The customer was refunded.", Model: "trivial", Chunks: 1,
		Usage: summary.Usage{InputTokens: len(r.Transcript) / 4, OutputTokens: 5}}, nil
}

func (t trivialSummarizer) SummarizeStream(ctx context.Context, r summary.Request) (summary.Stream, error) {
	return summary.StreamWhole(ctx, r, t.Summarize)
}

func benchBody(size int) []byte {
	line := "Agent: I can see the duplicate charge on your March statement and I will refund it today.\\n"
	var b strings.Builder
	for b.Len() < size-80 {
		b.WriteString(line)
	}
	return fmt.Appendf(nil, `{"transcript":"%s","options":{"maxLength":100,"format":"paragraph","sections":["keyPoints"]}}`, b.String())
}

// bareHandler is the baseline: plain net/http doing the same key check,
// strict decode (into the struct, with no schema), validation, summarize
// call and encode by hand.
func bareHandler(keys *auth.KeySet, s summary.Summarizer, maxBody int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := keys.Check(r.Header.Get("X-API-Key")); !ok {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		if !isJSON(r.Header.Get("Content-Type")) {
			http.Error(w, "unsupported", http.StatusUnsupportedMediaType)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			http.Error(w, "too large", http.StatusRequestEntityTooLarge)
			return
		}
		// The same strictness as the service: encoding/json/v2 rejects
		// duplicate names and invalid UTF-8 and matches names exactly.
		var in SummarizeRequest
		if err := jsonv2.Unmarshal(body, &in, jsonv2.RejectUnknownMembers(true)); err != nil {
			http.Error(w, "bad json", http.StatusBadRequest)
			return
		}
		if n := utf8.RuneCountInString(in.Transcript); n == 0 || n > summary.MaxTranscriptRune {
			http.Error(w, "invalid", http.StatusUnprocessableEntity)
			return
		}
		if o := in.Options; o != nil {
			if o.MaxLength != nil && (*o.MaxLength < summary.MinMaxLength || *o.MaxLength > summary.MaxMaxLength) ||
				(o.Format != nil && !slices.Contains(summary.Formats(), summary.Format(*o.Format))) {
				http.Error(w, "invalid", http.StatusUnprocessableEntity)
				return
			}
			for _, sec := range o.Sections {
				if !slices.Contains(summary.Sections(), summary.Section(sec)) {
					http.Error(w, "invalid", http.StatusUnprocessableEntity)
					return
				}
			}
		}
		req, err := domainRequest("id", &in)
		if err != nil {
			http.Error(w, "invalid", http.StatusUnprocessableEntity)
			return
		}
		res, err := s.Summarize(r.Context(), req)
		if err != nil {
			http.Error(w, "failed", http.StatusBadGateway)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(toSummary(req, res, 0))
	})
}

func runHandler(b *testing.B, h http.Handler, body []byte) {
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		req := httptest.NewRequest("POST", "/api/v1/summarize", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-API-Key", testKey)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkSummarize compares the whole huma handler path (middleware,
// auth, limits, decode, validation, encode, access log) with a bare
// net/http handler doing the same work by hand, on 5 KB and 200 KB bodies.
func BenchmarkSummarize(b *testing.B) {
	for _, size := range []int{5 << 10, 195 << 10} {
		body := benchBody(size)
		b.Run(fmt.Sprintf("huma/%dKB", size>>10), func(b *testing.B) {
			cfg, _ := config.Load(func(string) string { return "" })
			cfg.RateLimitRPS, cfg.RateLimitBurst = 1e9, 1e9
			keys, _ := auth.Parse(testKey)
			// The access log is formatted as in production, then discarded.
			h := NewServer(Deps{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)), Config: cfg,
				Summarizer: trivialSummarizer{}, SummarizerName: "local", Keys: keys})
			runHandler(b, h, body)
		})
		b.Run(fmt.Sprintf("bare/%dKB", size>>10), func(b *testing.B) {
			keys, _ := auth.Parse(testKey)
			runHandler(b, bareHandler(keys, trivialSummarizer{}, 1<<20), body)
		})
	}
}
