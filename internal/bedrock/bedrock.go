// Package bedrock is the Summarizer on Claude in Amazon Bedrock, through the
// bedrockruntime Converse and ConverseStream APIs of aws-sdk-go-v2.
//
// The model is an inference-profile id: newer Claude models on Bedrock accept
// only those for on-demand calls. config.DefaultModelID is Claude Sonnet 4.5
// through the US geographic profile; "eu." and "apac." profiles keep traffic in those
// geographies, "global." profiles route anywhere (and cost less), and Claude
// Haiku 4.5 (us.anthropic.claude-haiku-4-5-20251001-v1:0) is the cheap, fast
// choice. See pricing.go.
package bedrock

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/llm-testing/llm-testing/internal/config"
	"github.com/llm-testing/llm-testing/internal/pricing"
	"github.com/llm-testing/llm-testing/internal/prompt"
	"github.com/llm-testing/llm-testing/internal/summary"
)

// Defaults of Options' retry tuning, which no variable sets.
const (
	DefaultMaxAttempts = 4
	DefaultMaxBackoff  = 2 * time.Second
)

// Options configure a Summarizer. Zero values take the defaults. The time
// budget of a request is the pipeline's (summary.Policy.Timeout), which
// covers the retries here.
type Options struct {
	// ModelID is the model or inference-profile id (BEDROCK_MODEL_ID);
	// empty is config.DefaultModelID.
	ModelID string
	// Logger receives operator messages; never transcript text.
	Logger *slog.Logger
	// MaxAttempts is how many times one call is tried, the first included.
	MaxAttempts int
	// MaxBackoff caps the jittered wait between attempts.
	MaxBackoff time.Duration
	// Prices give each answer's estimatedCostUsd: the list prices and
	// BEDROCK_PRICES's overrides (config.Config.BedrockPrices).
	Prices pricing.Prices
	// Prompt is the summary prompt (PROMPT_FILE); nil is the embedded
	// default, prompt.DefaultSummary.
	Prompt *prompt.Template
}

// Summarizer summarizes with Claude on Bedrock. It is safe for concurrent
// use; make one per process so that its connections are reused.
type Summarizer struct {
	client  *bedrockruntime.Client
	modelID string
	region  string
	prices  pricing.Prices
	log     *slog.Logger
	prompt  *prompt.Template
	schemas [16]map[string]any // by sectionMask
}

var _ summary.Summarizer = (*Summarizer)(nil)

// New returns a Summarizer calling Bedrock with cfg (see awsenv.Load).
func New(cfg aws.Config, opts Options) *Summarizer {
	if opts.ModelID == "" {
		opts.ModelID = config.DefaultModelID
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Prompt == nil {
		opts.Prompt = prompt.DefaultSummary()
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = DefaultMaxAttempts
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = DefaultMaxBackoff
	}
	client := bedrockruntime.NewFromConfig(cfg, func(o *bedrockruntime.Options) {
		o.Retryer = newRetryer(opts.MaxAttempts, opts.MaxBackoff)
		o.HTTPClient = newHTTPClient(cfg.HTTPClient)
		o.Protocol = longBodies{ClientProtocol: o.Protocol, release: true} // body.go
	})
	return &Summarizer{client: client, modelID: opts.ModelID, region: cfg.Region, prices: opts.Prices, log: opts.Logger, prompt: opts.Prompt, schemas: toolSchemas()}
}

// ModelID is the model or inference profile the Summarizer calls.
func (s *Summarizer) ModelID() string { return s.modelID }

// PromptVersion is the version of the prompt the Summarizer sends.
func (s *Summarizer) PromptVersion() string { return s.prompt.Version() }

// retryCodes are the Bedrock exceptions worth another attempt, on top of the
// SDK's defaults (which already retry throttling, 5xx statuses and
// connection errors). ModelNotReadyException comes as a modeled 429, which
// the defaults leave alone.
var retryCodes = map[string]struct{}{
	"ModelNotReadyException":      {},
	"ServiceUnavailableException": {},
	"InternalServerException":     {},
}

// newRetryer is the SDK's standard retryer (jittered exponential backoff)
// without its client-side retry quota: the default token bucket runs dry
// when a service makes many concurrent calls and then refuses every retry
// (aws-sdk-go-v2 issue 1665). Our own deadline bounds the retries instead.
func newRetryer(maxAttempts int, maxBackoff time.Duration) aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = maxAttempts
		o.MaxBackoff = maxBackoff
		o.RateLimiter = ratelimit.None
		o.Retryables = append(append([]retry.IsErrorRetryable(nil), o.Retryables...),
			retry.RetryableErrorCode{Codes: retryCodes})
	})
}

// newHTTPClient keeps enough idle connections to the one Bedrock host for
// hundreds of calls in flight, instead of Go's default of two. It builds on
// the configuration's client when that is the SDK's buildable one, so that
// what LoadDefaultConfig put there (AWS_CA_BUNDLE's roots) still applies.
func newHTTPClient(from aws.HTTPClient) *http.Client {
	base, ok := from.(*awshttp.BuildableClient)
	if !ok || base == nil {
		base = awshttp.NewBuildableClient()
	}
	base = base.WithTransportOptions(func(t *http.Transport) {
		t.MaxIdleConns = 0
		t.MaxIdleConnsPerHost = 1024
		// The SDK's default caps connections per host at 2048; calls past it
		// would wait inside net/http, holding memory and using up their
		// budget. MAX_INFLIGHT is the one bound on concurrent calls.
		t.MaxConnsPerHost = 0
		t.IdleConnTimeout = 90 * time.Second
	})
	return &http.Client{Transport: readOnlyBody{base.GetTransport()}}
}

// readOnlyBody hides the io.WriterTo of request bodies from net/http. The
// SDK closes a request body as soon as the response headers arrive; its
// closed body's WriteTo then returns io.EOF, which io.Copy passes on as an
// error, and if net/http's writer has not yet made its final read of the
// body it takes that for a write failure and closes the connection, killing
// a ConverseStream response that is still being read. Read returns a clean
// io.EOF instead. (Seen against the loopback fake, which answers within
// microseconds.)
type readOnlyBody struct{ next http.RoundTripper }

func (t readOnlyBody) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return t.next.RoundTrip(req)
	}
	r := *req // a RoundTripper must not modify the caller's request
	r.Body = struct{ io.ReadCloser }{req.Body}
	return t.next.RoundTrip(&r)
}

// Summarize asks the model for a summary through Converse, with the sections
// as a forced tool call whose input is validated. A malformed answer is
// asked for once more, then fails as KindUpstream.
func (s *Summarizer) Summarize(ctx context.Context, req summary.Request) (summary.Result, error) {
	var in, out int
	var lastErr error
	for attempt := 1; attempt <= 2; attempt++ {
		// An input for each call: the client lets go of its long texts
		// once it has written them into the body (longBodies).
		resp, err := s.client.Converse(ctx, s.converseInput(req))
		if err != nil {
			return summary.Result{}, s.classify(ctx, "converse", err)
		}
		in += tokens(resp.Usage, true)
		out += tokens(resp.Usage, false)
		raw, err := toolInput(resp)
		if errors.Is(err, errNoToolUse) {
			raw, err = textAnswer(resp, req)
		}
		if err == nil {
			var res summary.Result
			if res, err = ParseAnswer(raw, req); err == nil {
				res.Model = s.modelID
				res.PromptVersion = s.prompt.Version()
				res.Usage = summary.Usage{InputTokens: in, OutputTokens: out, EstimatedCostUSD: s.prices.Cost(s.modelID, in, out)}
				res.Chunks = 1
				return res, nil
			}
		}
		lastErr = err
		s.log.LogAttrs(ctx, slog.LevelWarn, "bedrock answer malformed",
			slog.String("requestId", req.ID), slog.String("model", s.modelID), slog.String("promptVersion", s.prompt.Version()),
			slog.Int("attempt", attempt), slog.String("error", err.Error()))
	}
	return summary.Result{}, &summary.Error{
		Kind: summary.KindUpstream,
		Hint: fmt.Sprintf("model %s gave a malformed answer twice; check the model id and the prompt", s.modelID),
		Err:  fmt.Errorf("parse answer: %w", lastErr),
	}
}

// errNoToolUse is a Converse answer without the forced tool call.
var errNoToolUse = errors.New("answer has no forced tool use")

// toolInput returns the JSON input of the record_summary tool use.
func toolInput(resp *bedrockruntime.ConverseOutput) ([]byte, error) {
	return namedToolInput(resp, toolName)
}

// textAnswer accepts an answer given as text instead of the tool call, as
// some models and Converse-compatible endpoints do: a JSON object (fenced
// or not) is taken as the tool input; plain text is the summary when no
// section was asked for.
func textAnswer(resp *bedrockruntime.ConverseOutput, req summary.Request) ([]byte, error) {
	msg, ok := resp.Output.(*types.ConverseOutputMemberMessage)
	if !ok {
		return nil, errNoToolUse
	}
	var b strings.Builder
	for _, block := range msg.Value.Content {
		if t, ok := block.(*types.ContentBlockMemberText); ok {
			b.WriteString(t.Value)
		}
	}
	text := strings.TrimSpace(b.String())
	if strings.HasPrefix(text, "```") {
		// A fenced block, with any language tag ("```json", "```JSON", none).
		_, body, _ := strings.Cut(text, "\n")
		text = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(body), "```"))
	}
	if strings.HasPrefix(text, "{") && json.Valid([]byte(text)) {
		return []byte(text), nil
	}
	if text == "" || len(req.Sections) > 0 {
		return nil, errNoToolUse
	}
	return json.Marshal(map[string]string{"summary": text})
}

// tokens reads the input or output count of u.
func tokens(u *types.TokenUsage, input bool) int {
	if u == nil {
		return 0
	}
	if input {
		return int(aws.ToInt32(u.InputTokens))
	}
	return int(aws.ToInt32(u.OutputTokens))
}
