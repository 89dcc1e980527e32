package eval

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// URLTarget summarizes through a deployed service's POST /api/v1/summarize.
type URLTarget struct {
	base string
	key  string
	hc   *http.Client
	// retries is how many times a 429 or 503 is retried after Retry-After.
	retries int
}

var _ Target = (*URLTarget)(nil)

// NewURLTarget returns a target for the service at baseURL, sending key in
// X-API-Key. hc nil means a client with a 2 minute timeout.
func NewURLTarget(baseURL, key string, hc *http.Client) (*URLTarget, error) {
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("parse target url %q: want http(s)://host[:port]", baseURL)
	}
	if key == "" {
		return nil, errors.New("url target needs an API key: -key or API_KEY")
	}
	if hc == nil {
		hc = &http.Client{Timeout: 2 * time.Minute}
	}
	return &URLTarget{base: strings.TrimRight(baseURL, "/"), key: key, hc: hc, retries: 3}, nil
}

// Name returns "url:<base-url>".
func (t *URLTarget) Name() string { return "url:" + t.base }

type apiRequest struct {
	Transcript string  `json:"transcript"`
	Options    Options `json:"options,omitzero"`
}

type apiSummary struct {
	Summary string `json:"summary"`
	Model   string `json:"model"`
	Usage   struct {
		InputTokens      int      `json:"inputTokens"`
		OutputTokens     int      `json:"outputTokens"`
		EstimatedCostUSD *float64 `json:"estimatedCostUsd"`
	} `json:"usage"`
	Truncated bool `json:"truncated"`
	Chunks    int  `json:"chunks"`
}

type apiProblem struct {
	Title  string `json:"title"`
	Detail string `json:"detail"`
}

// Summarize posts the item and times the whole exchange, as a caller sees it.
func (t *URLTarget) Summarize(ctx context.Context, it Item) (Output, error) {
	body, err := json.Marshal(apiRequest{Transcript: it.Transcript, Options: it.Options})
	if err != nil {
		return Output{}, fmt.Errorf("encode request %s: %w", it.ID, err)
	}
	start := time.Now()
	for attempt := 0; ; attempt++ {
		out, wait, err := t.post(ctx, body)
		if err == nil {
			out.Latency = time.Since(start)
			return out, nil
		}
		if wait <= 0 || attempt >= t.retries {
			return Output{}, fmt.Errorf("summarize %s: %w", it.ID, err)
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return Output{}, fmt.Errorf("summarize %s: %w", it.ID, ctx.Err())
		}
	}
}

// post makes one call; a positive wait means the error is worth retrying.
func (t *URLTarget) post(ctx context.Context, body []byte) (Output, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.base+"/api/v1/summarize", bytes.NewReader(body))
	if err != nil {
		return Output{}, 0, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, application/problem+json")
	req.Header.Set("X-API-Key", t.key)
	resp, err := t.hc.Do(req)
	if err != nil {
		return Output{}, 0, fmt.Errorf("post summarize: %w", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return Output{}, 0, fmt.Errorf("read response: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		var p apiProblem
		_ = json.Unmarshal(b, &p)
		err := fmt.Errorf("status %d: %s", resp.StatusCode, strings.TrimSpace(p.Title+" "+p.Detail))
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			return Output{}, retryAfter(resp.Header.Get("Retry-After")), err
		}
		return Output{}, 0, err
	}
	var s apiSummary
	if err := json.Unmarshal(b, &s); err != nil {
		return Output{}, 0, fmt.Errorf("decode summary: %w", err)
	}
	return Output{
		Summary: s.Summary,
		Model:   s.Model,
		Usage: summary.Usage{InputTokens: s.Usage.InputTokens, OutputTokens: s.Usage.OutputTokens,
			EstimatedCostUSD: s.Usage.EstimatedCostUSD},
		Truncated: s.Truncated,
		Chunks:    s.Chunks,
	}, 0, nil
}

// retryAfter reads a Retry-After in seconds, defaulting to one second and
// capped at ten so an evaluation never stalls for long; 0 retries at once.
func retryAfter(h string) time.Duration {
	secs, err := strconv.Atoi(strings.TrimSpace(h))
	switch {
	case err != nil || secs < 0:
		return time.Second
	case secs == 0:
		return time.Millisecond
	}
	return time.Duration(min(secs, 10)) * time.Second
}
