package eval

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/llm-testing/llm-testing/api/client"
	"github.com/llm-testing/llm-testing/internal/summary"
)

// URLTarget summarizes through a deployed service's POST /api/v1/summarize,
// with the Go client generated from the service's OpenAPI spec.
type URLTarget struct {
	base   string
	client *client.ClientWithResponses
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
	base := strings.TrimRight(baseURL, "/")
	c, err := client.NewClientWithResponses(base, client.WithHTTPClient(hc),
		client.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
			req.Header.Set("X-API-Key", key)
			return nil
		}))
	if err != nil {
		return nil, fmt.Errorf("create api client: %w", err)
	}
	return &URLTarget{base: base, client: c, retries: 3}, nil
}

// Name returns "url:<base-url>".
func (t *URLTarget) Name() string { return "url:" + t.base }

// Summarize posts the item and times the whole exchange, as a caller sees it.
func (t *URLTarget) Summarize(ctx context.Context, it Item) (Output, error) {
	body := apiRequest(it)
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

// apiRequest is the item as the API's request body.
func apiRequest(it Item) client.SummarizeRequest {
	req := client.SummarizeRequest{}
	switch {
	case it.Turns != nil:
		turns := make([]client.TurnInput, len(it.Turns))
		for i, t := range it.Turns {
			turns[i] = client.TurnInput{Speaker: t.Speaker, Text: t.Text, StartMs: t.StartMs, EndMs: t.EndMs}
			if t.Role != "" {
				role := client.TurnInputRole(t.Role)
				turns[i].Role = &role
			}
		}
		req.Turns = &turns
	case it.Document != nil:
		doc := it.Document
		req.Document = &doc
	default:
		req.Transcript = &it.Transcript
	}
	o := it.Options
	if o.MaxLength == 0 && o.Format == "" && len(o.Sections) == 0 {
		return req
	}
	opts := &client.SummarizeOptions{}
	if o.MaxLength > 0 {
		n := int64(o.MaxLength)
		opts.MaxLength = &n
	}
	if o.Format != "" {
		f := client.SummarizeOptionsFormat(o.Format)
		opts.Format = &f
	}
	if len(o.Sections) > 0 {
		sections := make([]client.SummarizeOptionsSections, len(o.Sections))
		for i, s := range o.Sections {
			sections[i] = client.SummarizeOptionsSections(s)
		}
		opts.Sections = &sections
	}
	req.Options = opts
	return req
}

// post makes one call; a positive wait means the error is worth retrying.
func (t *URLTarget) post(ctx context.Context, body client.SummarizeRequest) (Output, time.Duration, error) {
	res, err := t.client.SummarizeWithResponse(ctx, body)
	if err != nil {
		return Output{}, 0, fmt.Errorf("post summarize: %w", err)
	}
	if s := res.JSON200; s != nil {
		out := Output{
			Summary: s.Summary,
			Model:   s.Model,
			Usage: summary.Usage{InputTokens: int(s.Usage.InputTokens), OutputTokens: int(s.Usage.OutputTokens),
				EstimatedCostUSD: s.Usage.EstimatedCostUsd},
			Truncated:     s.Truncated,
			Chunks:        int(s.Chunks),
			PromptVersion: deref(s.PromptVersion),
		}
		if s.Resolution != nil {
			out.Resolution = summary.Resolution(*s.Resolution)
		}
		if s.ActionItems != nil {
			for _, a := range *s.ActionItems {
				out.ActionItems = append(out.ActionItems, summary.ActionItem{Owner: summary.Owner(a.Owner), Description: a.Description, Turns: ints(a.Turns)})
			}
		}
		if s.KeyPoints != nil {
			out.KeyPoints = *s.KeyPoints
		}
		if s.KeyPointTurns != nil {
			for _, ids := range *s.KeyPointTurns {
				out.KeyPointTurns = append(out.KeyPointTurns, ints(ids))
			}
		}
		return out, 0, nil
	}
	status := res.StatusCode()
	var p client.ErrorModel
	_ = json.Unmarshal(res.Body, &p)
	msg := strings.TrimSpace(deref(p.Title) + " " + deref(p.Detail))
	err = fmt.Errorf("status %d: %s", status, msg)
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		return Output{}, retryAfter(res.HTTPResponse.Header.Get("Retry-After")), err
	}
	return Output{}, 0, err
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
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

// ints is a response's turn indices as the domain holds them.
func ints[T ~[]int64](ids *T) []int {
	if ids == nil {
		return nil
	}
	out := make([]int, len(*ids))
	for i, id := range *ids {
		out[i] = int(id)
	}
	return out
}
