package bedrock

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/llm-testing/llm-testing/internal/bedrock/bedrocktest"
	"github.com/llm-testing/llm-testing/internal/config"
	"github.com/llm-testing/llm-testing/internal/summary"
)

// drain reads st to the end and returns the text and the final error
// (nil at io.EOF).
func drain(tb testing.TB, st summary.Stream) (string, int, error) {
	tb.Helper()
	var b strings.Builder
	n := 0
	for {
		d, err := st.Recv()
		if errors.Is(err, io.EOF) {
			return b.String(), n, nil
		}
		if err != nil {
			return b.String(), n, err
		}
		n++
		b.WriteString(d)
	}
}

func TestStream(t *testing.T) {
	const text = "The customer reported a broken order and the agent sent a replacement the same day."
	fo := bedrocktest.Options{Answer: func(bedrocktest.Request) bedrocktest.Answer { return bedrocktest.Answer{Text: text} }}
	s, fake := newTestSummarizer(t, fo, Options{})
	st, err := s.SummarizeStream(context.Background(), request())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got, deltas, err := drain(t, st)
	if err != nil {
		t.Fatal(err)
	}
	if got != text {
		t.Errorf("streamed %q, want %q", got, text)
	}
	// How many pieces depends on how many deltas had arrived whole when
	// one was read (TestStreamJoinsArrivedDeltas); at least one.
	if deltas < 1 {
		t.Errorf("got %d deltas, want the text in pieces", deltas)
	}
	res := st.Result()
	if res.Truncated || res.Model != config.DefaultModelID || res.Usage.InputTokens == 0 || res.Usage.OutputTokens == 0 || res.Usage.EstimatedCostUSD == nil {
		t.Errorf("Result = %+v, want model, usage and cost, not truncated", res)
	}
	c := fake.Calls()[0]
	if !c.Stream || c.Request.ToolConfig != nil {
		t.Errorf("call stream=%v tools=%v, want ConverseStream without tools", c.Stream, c.Request.ToolConfig != nil)
	}
	if sys := c.Request.SystemText(); !strings.Contains(sys, "summary text only") || !strings.Contains(sys, "never instructions") {
		t.Errorf("stream system prompt:\n%s", sys)
	}
	if err := st.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// TestStreamInPipelineTruncatesAtMaxLength: the provider streams every word;
// the pipeline forwards maxLength of them and still reads the usage.
func TestStreamInPipelineTruncatesAtMaxLength(t *testing.T) {
	long := strings.Repeat("one two three four five six seven. ", 30)
	fo := bedrocktest.Options{Answer: func(bedrocktest.Request) bedrocktest.Answer { return bedrocktest.Answer{Text: long} }, StreamChunkWords: 4}
	s, _ := newTestSummarizer(t, fo, Options{})
	req := request()
	req.MaxLength = 10
	st, err := summary.NewPipeline(s, summary.Policy{}).SummarizeStream(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got, _, err := drain(t, st)
	if err != nil {
		t.Fatal(err)
	}
	if n := summary.CountWords(got); n != req.MaxLength {
		t.Errorf("streamed %d words (%q), want exactly %d", n, got, req.MaxLength)
	}
	res := st.Result()
	if !res.Truncated || res.ProducedWords != 210 {
		t.Errorf("Truncated = %v, ProducedWords = %d; want true, the model's 210", res.Truncated, res.ProducedWords)
	}
	if res.Usage.OutputTokens == 0 {
		t.Error("usage missing: the stream should be read to its metadata event")
	}
}

func TestStreamFailsBeforeFirstText(t *testing.T) {
	tests := []struct {
		name     string
		fo       bedrocktest.Options
		timeout  time.Duration
		wantKind summary.Kind
	}{
		{"throttled", bedrocktest.Options{Script: repeat("ThrottlingException", 4)}, 0, summary.KindThrottled},
		{"access denied", bedrocktest.Options{Script: repeat("AccessDeniedException", 1)}, 0, summary.KindUpstream},
		{"unavailable", bedrocktest.Options{Script: repeat("ServiceUnavailableException", 4)}, 0, summary.KindUnavailable},
		{"deadline", bedrocktest.Options{Latency: 5 * time.Second}, 100 * time.Millisecond, summary.KindTimeout},
		{"empty answer", bedrocktest.Options{Answer: func(bedrocktest.Request) bedrocktest.Answer { return bedrocktest.Answer{} }}, 0, summary.KindUpstream},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newTestSummarizer(t, tt.fo, Options{})
			ctx := context.Background()
			if tt.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.timeout)
				defer cancel()
			}
			st, err := s.SummarizeStream(ctx, request())
			if err == nil {
				st.Close()
				t.Fatal("SummarizeStream succeeded, want an error before the first text")
			}
			if st != nil {
				t.Error("got a Stream along with the error")
			}
			if got := summary.KindOf(err); got != tt.wantKind {
				t.Errorf("KindOf(%v) = %v, want %v", err, got, tt.wantKind)
			}
		})
	}
}

func TestStreamRetriesBeforeFirstText(t *testing.T) {
	s, fake := newTestSummarizer(t, bedrocktest.Options{Script: repeat("ServiceUnavailableException", 2)}, Options{})
	st, err := s.SummarizeStream(context.Background(), request())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, _, err := drain(t, st); err != nil {
		t.Fatal(err)
	}
	if got, want := fake.Count(), 3; got != want {
		t.Errorf("fake saw %d calls, want %d", got, want)
	}
}

func TestStreamMidStreamFailure(t *testing.T) {
	tests := []struct {
		exception string
		wantKind  summary.Kind
	}{
		{"ModelStreamErrorException", summary.KindUpstream},
		{"ThrottlingException", summary.KindThrottled},
		{"ServiceUnavailableException", summary.KindUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.exception, func(t *testing.T) {
			s, _ := newTestSummarizer(t, bedrocktest.Options{MidStreamException: tt.exception}, Options{})
			st, err := s.SummarizeStream(context.Background(), request())
			if err != nil {
				t.Fatalf("SummarizeStream: %v (want the failure after the first text)", err)
			}
			defer st.Close()
			got, deltas, err := drain(t, st)
			if deltas != 1 || got == "" {
				t.Errorf("got %d deltas %q before the failure, want 1", deltas, got)
			}
			if k := summary.KindOf(err); err == nil || k != tt.wantKind {
				t.Errorf("Recv error %v (kind %v), want kind %v", err, k, tt.wantKind)
			}
		})
	}
}

func TestStreamCloseCancelsTheCall(t *testing.T) {
	long := strings.Repeat("word ", 2000)
	fo := bedrocktest.Options{Answer: func(bedrocktest.Request) bedrocktest.Answer { return bedrocktest.Answer{Text: long} }, StreamChunkWords: 1}
	s, _ := newTestSummarizer(t, fo, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	st, err := s.SummarizeStream(ctx, request())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Recv(); err != nil {
		t.Fatal(err)
	}
	cancel()
	// After the caller goes away Recv must end with an error, not the text.
	var rerr error
	for range 5000 {
		if _, rerr = st.Recv(); rerr != nil {
			break
		}
	}
	if got, want := summary.KindOf(rerr), summary.KindCanceled; got != want {
		t.Errorf("after cancel Recv gave %v (kind %v), want kind %v", rerr, got, want)
	}
}
