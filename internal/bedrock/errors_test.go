package bedrock

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/llm-testing/llm-testing/internal/bedrock/bedrocktest"
	"github.com/llm-testing/llm-testing/internal/config"
	"github.com/llm-testing/llm-testing/internal/summary"
)

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

const onDemandMsg = "Invocation of model ID anthropic.claude-sonnet-4-5-20250929-v1:0 with on-demand throughput isn't supported. Retry your request with the ID or ARN of an inference profile that contains this model."

// TestErrorMapping covers every row of the failure table: what Bedrock
// says, how often the SDK tries, and the Kind (hence status) we give.
func TestErrorMapping(t *testing.T) {
	tests := []struct {
		name       string
		script     []string
		modelID    string
		wantKind   summary.Kind
		wantCalls  int
		wantRetry  bool
		wantInHint string
	}{
		{"throttling retried then 429", repeat("ThrottlingException", 4), "", summary.KindThrottled, 4, true, "throttled"},
		{"service quota 429", repeat("ServiceQuotaExceededException", 4), "", summary.KindThrottled, 1, true, "quota"},
		{"model timeout 504", repeat("ModelTimeoutException", 4), "", summary.KindTimeout, 1, false, "timed out"},
		{"access denied 502", repeat("AccessDeniedException", 4), "", summary.KindUpstream, 1, false,
			"model access not enabled for " + config.DefaultModelID + " in us-east-1"},
		{"wrong model id 502", repeat("ResourceNotFoundException", 4), "", summary.KindUpstream, 1, false, "check BEDROCK_MODEL_ID"},
		{"needs inference profile 502", repeat("ValidationException: "+onDemandMsg, 4), "anthropic.claude-sonnet-4-5-20250929-v1:0", summary.KindUpstream, 1, false,
			"needs an inference profile id such as us.anthropic.claude-sonnet-4-5-20250929-v1:0"},
		{"validation 502", repeat("ValidationException: messages: too long", 4), "", summary.KindUpstream, 1, false, "messages: too long"},
		{"service unavailable retried then 503", repeat("ServiceUnavailableException", 4), "", summary.KindUnavailable, 4, true, "unavailable"},
		{"model not ready retried then 503", repeat("ModelNotReadyException", 4), "", summary.KindUnavailable, 4, true, "not ready"},
		{"internal server retried then 502", repeat("InternalServerException", 4), "", summary.KindUpstream, 4, false, "internal error"},
		{"connection reset retried then 503", repeat(bedrocktest.Reset, 4), "", summary.KindUnavailable, 4, true, "cannot reach Bedrock"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, fake := newTestSummarizer(t, bedrocktest.Options{Script: tt.script}, Options{ModelID: tt.modelID, MaxAttempts: 4})
			_, err := s.Summarize(context.Background(), request())
			var se *summary.Error
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want a *summary.Error", err)
			}
			if se.Kind != tt.wantKind {
				t.Errorf("Kind = %v, want %v (err %v)", se.Kind, tt.wantKind, err)
			}
			if got := fake.Count(); got != tt.wantCalls {
				t.Errorf("fake saw %d calls, want %d", got, tt.wantCalls)
			}
			if got := se.RetryAfter > 0; got != tt.wantRetry {
				t.Errorf("RetryAfter = %v, want set: %v", se.RetryAfter, tt.wantRetry)
			}
			if !strings.Contains(se.Hint, tt.wantInHint) {
				t.Errorf("Hint = %q, want it to contain %q", se.Hint, tt.wantInHint)
			}
		})
	}
}

// TestUnreachableEndpoint: nothing listening where Bedrock should be is
// the LLM unavailable after retries, 503 with Retry-After, for whole and
// streamed answers.
func TestUnreachableEndpoint(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // connections are refused from now on
	s := New(aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("x", "y", ""),
		BaseEndpoint: aws.String("http://" + addr),
	}, Options{MaxAttempts: 2, MaxBackoff: time.Millisecond})
	_, whole := s.Summarize(context.Background(), request())
	_, streamed := s.SummarizeStream(context.Background(), request())
	for name, err := range map[string]error{"summarize": whole, "stream": streamed} {
		var se *summary.Error
		if !errors.As(err, &se) || se.Kind != summary.KindUnavailable || se.RetryAfter <= 0 {
			t.Errorf("%s: err = %v, want KindUnavailable with RetryAfter", name, err)
		}
	}
}

func TestRetriesThenSucceeds(t *testing.T) {
	tests := []struct {
		name   string
		script []string
	}{
		{"service unavailable", repeat("ServiceUnavailableException", 2)},
		{"model not ready", repeat("ModelNotReadyException", 2)},
		{"throttling", repeat("ThrottlingException", 2)},
		{"connection reset", repeat(bedrocktest.Reset, 2)},
		{"internal server", repeat("InternalServerException", 2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, fake := newTestSummarizer(t, bedrocktest.Options{Script: tt.script}, Options{})
			res, err := s.Summarize(context.Background(), request())
			if err != nil {
				t.Fatal(err)
			}
			if res.Summary == "" {
				t.Error("empty summary")
			}
			if got, want := fake.Count(), 3; got != want {
				t.Errorf("fake saw %d calls, want %d", got, want)
			}
		})
	}
}

// TestManyConcurrentRetries checks the retry quota is off: with the SDK's
// default token bucket (500 tokens, 5-14 a retry), a burst of failing
// concurrent calls drains it and later retries are refused outright.
func TestManyConcurrentRetries(t *testing.T) {
	const n = 200
	// The first n calls fail, whichever request they belong to; enough
	// attempts that no request can run out of them.
	s, fake := newTestSummarizer(t, bedrocktest.Options{Script: repeat("ServiceUnavailableException", n)}, Options{MaxAttempts: n + 1})
	errs := make(chan error, n)
	for range n {
		go func() {
			_, err := s.Summarize(context.Background(), request())
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Errorf("Summarize: %v", err)
		}
	}
	if got, want := fake.Count(), 2*n; got != want {
		t.Errorf("fake saw %d calls, want %d (n failures, then one success per request)", got, want)
	}
}

// TestPipelineDeadline: the pipeline's budget ends a slow call, retries
// included, as a timeout.
func TestPipelineDeadline(t *testing.T) {
	s, fake := newTestSummarizer(t, bedrocktest.Options{Latency: 5 * time.Second}, Options{})
	start := time.Now()
	_, err := summary.NewPipeline(s, summary.Policy{Timeout: 100 * time.Millisecond}).Summarize(context.Background(), request())
	if got, want := summary.KindOf(err), summary.KindTimeout; got != want {
		t.Fatalf("KindOf(%v) = %v, want %v", err, got, want)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("took %v, want about the 100ms budget", el)
	}
	waitFor(t, func() bool { return fake.Canceled() == fake.Count() })
}

func TestClientCancelCancelsTheCall(t *testing.T) {
	s, fake := newTestSummarizer(t, bedrocktest.Options{Latency: 5 * time.Second}, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	_, err := s.Summarize(ctx, request())
	if got, want := summary.KindOf(err), summary.KindCanceled; got != want {
		t.Fatalf("KindOf(%v) = %v, want %v", err, got, want)
	}
	if got := fake.Count(); got != 1 {
		t.Errorf("fake saw %d calls, want 1 (no retry after cancel)", got)
	}
	waitFor(t, func() bool { return fake.Canceled() == 1 })
}

// waitFor polls cond for up to two seconds.
func waitFor(tb testing.TB, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatal("condition not met within 2s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
