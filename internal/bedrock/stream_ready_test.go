package bedrock

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/llm-testing/llm-testing/internal/bedrock/bedrocktest"
)

// eventReader is a ConverseStream reader over a channel the test fills.
type eventReader struct {
	ch chan types.ConverseStreamOutput
}

func (r eventReader) Events() <-chan types.ConverseStreamOutput { return r.ch }
func (r eventReader) Close() error                              { return nil }
func (r eventReader) Err() error                                { return nil }

func textDelta(s string) types.ConverseStreamOutput {
	return &types.ConverseStreamOutputMemberContentBlockDelta{Value: types.ContentBlockDeltaEvent{
		ContentBlockIndex: aws.Int32(0), Delta: &types.ContentBlockDeltaMemberText{Value: s}}}
}

// TestStreamJoinsDeltasReady: deltas already decoded when one is read go
// on as one piece, with the usage they carry; a delta that comes later is
// a piece of its own, so nothing waits for text that has not arrived.
func TestStreamJoinsDeltasReady(t *testing.T) {
	ch := make(chan types.ConverseStreamOutput, 8)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st := &stream{s: &Summarizer{}, ctx: ctx, cancel: cancel, es: bedrockruntime.NewConverseStreamEventStream(
		func(es *bedrockruntime.ConverseStreamEventStream) { es.Reader = eventReader{ch} })}
	ch <- &types.ConverseStreamOutputMemberMessageStart{Value: types.MessageStartEvent{Role: types.ConversationRoleAssistant}}
	ch <- textDelta("The customer")
	ch <- textDelta(" was charged")
	ch <- &types.ConverseStreamOutputMemberMetadata{Value: types.ConverseStreamMetadataEvent{
		Usage: &types.TokenUsage{InputTokens: aws.Int32(12), OutputTokens: aws.Int32(5)}}}
	ch <- textDelta(" twice.")
	if got, err := st.Recv(); err != nil || got != "The customer was charged twice." {
		t.Fatalf("first Recv = %q, %v; want the three deltas ready, joined", got, err)
	}
	if st.in != 12 || st.out != 5 {
		t.Errorf("usage %d in, %d out; want the metadata read on the way (12, 5)", st.in, st.out)
	}
	later := make(chan string)
	go func() {
		got, _ := st.Recv()
		later <- got
	}()
	ch <- textDelta(" Refunded.")
	if got := <-later; got != " Refunded." {
		t.Errorf("second Recv = %q, want the delta sent after it began", got)
	}
	close(ch)
	if _, err := st.Recv(); err != io.EOF {
		t.Errorf("Recv at the end = %v, want io.EOF", err)
	}
}

// TestStreamJoinsEventsArrivedTogether: events that reach the connection
// together, but that the SDK decodes one at a time, go on as one piece: the
// stream waits for the events whose bytes have arrived (arrival.go), and
// only for those.
func TestStreamJoinsEventsArrivedTogether(t *testing.T) {
	const text = "The customer was charged twice for March and the agent refunded the duplicate payment today."
	fo := bedrocktest.Options{StreamAtOnce: true, StreamChunkWords: 1,
		Answer: func(bedrocktest.Request) bedrocktest.Answer { return bedrocktest.Answer{Text: text} }}
	s, _ := newTestSummarizer(t, fo, Options{})
	for range 20 {
		st, err := s.SummarizeStream(context.Background(), request())
		if err != nil {
			t.Fatal(err)
		}
		got, pieces, err := drain(t, st)
		st.Close()
		if err != nil || got != text {
			t.Fatalf("streamed %q, %v; want %q", got, err, text)
		}
		if pieces != 1 {
			t.Fatalf("%d pieces for %d deltas sent in one write, want one", pieces, len(strings.Fields(text)))
		}
		if st.(*stream).body == nil {
			t.Fatal("the response body is not watched")
		}
	}
}

// TestArrival: an arrival passes the body through unchanged, counts what
// it has read and the decoder has not, and ends with the body's error.
func TestArrival(t *testing.T) {
	content := []byte(strings.Repeat("event bytes ", 1000)) // over arrivalBytes
	a := &arrival{body: io.NopCloser(bytes.NewReader(content))}
	if err := iotest.TestReader(a, content); err != nil {
		t.Fatal(err)
	}
	a = &arrival{body: io.NopCloser(iotest.OneByteReader(bytes.NewReader([]byte("abc"))))}
	p := make([]byte, 8)
	if n, err := a.Read(p); n != 1 || err != nil || a.waiting() {
		t.Errorf("a one-byte read: %d, %v, waiting %v; want 1, nil, nothing left", n, err, a.waiting())
	}
	a = &arrival{body: io.NopCloser(bytes.NewReader([]byte("abcdef")))}
	if n, _ := a.Read(p[:2]); n != 2 || !a.waiting() || a.pending.Load() != 4 {
		t.Errorf("after 2 of 6 bytes: pending %d, want 4", a.pending.Load())
	}
	var none *arrival
	if none.waiting() {
		t.Error("no arrival is waiting")
	}
}
