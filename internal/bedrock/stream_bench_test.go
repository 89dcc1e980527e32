package bedrock

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"

	"github.com/llm-testing/llm-testing/internal/bedrock/bedrocktest"
)

// cannedStream is an HTTP client that answers every call with body, a
// ConverseStream event stream, from memory.
type cannedStream struct{ body []byte }

func (c cannedStream) Do(req *http.Request) (*http.Response, error) {
	_, _ = io.Copy(io.Discard, req.Body)
	return &http.Response{StatusCode: http.StatusOK, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:  http.Header{"Content-Type": {"application/vnd.amazon.eventstream"}},
		Body:    io.NopCloser(bytes.NewReader(c.body)),
		Request: req}, nil
}

// converseStreamBody is the event stream Bedrock sends for text, in
// deltas of a few words, each event with the "p" padding Bedrock adds.
func converseStreamBody(tb testing.TB, text string) []byte {
	tb.Helper()
	var b bytes.Buffer
	event := func(name, payload string) { b.Write(encodeEvent(tb, name, payload)) }
	const pad = `,"p":"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVW"}`
	event("messageStart", `{"role":"assistant"`+pad)
	words := strings.SplitAfter(text, " ")
	for i := 0; i < len(words); i += 3 {
		piece := strings.Join(words[i:min(i+3, len(words))], "")
		event("contentBlockDelta", `{"contentBlockIndex":0,"delta":{"text":"`+piece+`"}`+pad)
	}
	event("contentBlockStop", `{"contentBlockIndex":0`+pad)
	event("messageStop", `{"stopReason":"end_turn"`+pad)
	event("metadata", `{"metrics":{"latencyMs":1000},"usage":{"inputTokens":1500,"outputTokens":90,"totalTokens":1590}`+pad)
	return b.Bytes()
}

// BenchmarkStream is one ConverseStream call of a 60-word summary in
// 20 deltas, read to the end, on the client's side only: the SDK's
// request, its signing, the event stream's decoding and the stream's
// reading, against an answer held in memory.
func BenchmarkStream(b *testing.B) {
	text := strings.TrimSpace(strings.Repeat("The customer was charged twice and the agent refunded it. ", 6))
	s, _ := newTestSummarizer(b, bedrocktest.Options{}, Options{})
	body := converseStreamBody(b, text)
	s.client = bedrockruntime.New(s.client.Options(), func(o *bedrockruntime.Options) { o.HTTPClient = cannedStream{body} })
	req := request()
	b.ReportAllocs()
	for b.Loop() {
		st, err := s.SummarizeStream(context.Background(), req)
		if err != nil {
			b.Fatal(err)
		}
		got, _, err := drain(b, st)
		if err != nil || got != text {
			b.Fatalf("streamed %q, %v", got, err)
		}
		st.Close()
	}
}
