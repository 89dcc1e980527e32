package bedrock

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/aws/smithy-go/eventstream"

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

// messages encodes n event-stream messages with the SDK's encoder, with
// payloads of growing length, and returns the bytes and where each ends.
func messages(t *testing.T, n int) ([]byte, []int) {
	t.Helper()
	var b bytes.Buffer
	var ends []int
	enc := eventstream.NewEncoder()
	for i := range n {
		var m eventstream.Message
		m.Headers.Set(":event-type", eventstream.StringValue("contentBlockDelta"))
		m.Payload = []byte(`{"delta":{"text":"` + strings.Repeat("x", 40*i) + `"}}`)
		if err := enc.Encode(&b, m); err != nil {
			t.Fatal(err)
		}
		ends = append(ends, b.Len())
	}
	return b.Bytes(), ends
}

// TestArrival: an arrival passes the body through unchanged, and counts a
// message as arrived once its last byte has been read from the body, not
// before, however the reads cut it.
func TestArrival(t *testing.T) {
	content, ends := messages(t, 120) // over arrivalBytes
	a := &arrival{body: io.NopCloser(bytes.NewReader(content))}
	if err := iotest.TestReader(a, content); err != nil {
		t.Fatal(err)
	}
	if got := a.arrived(); got != int64(len(ends)) {
		t.Errorf("arrived %d of %d messages", got, len(ends))
	}
	a = &arrival{body: io.NopCloser(iotest.OneByteReader(bytes.NewReader(content)))}
	var p [1]byte
	whole := 0
	for read := 1; read <= len(content); read++ {
		if _, err := a.Read(p[:]); err != nil {
			t.Fatalf("byte %d: %v", read, err)
		}
		for whole < len(ends) && ends[whole] <= read {
			whole++
		}
		if got := a.arrived(); got != int64(whole) {
			t.Fatalf("after %d bytes: %d arrived, want %d", read, got, whole)
		}
	}
	var none *arrival
	if none.arrived() != 0 {
		t.Error("no arrival has messages")
	}
}

// TestStreamWaitsForArrivedOnly: Recv waits for the events whose messages
// have arrived and are still in the SDK, and for no more.
func TestStreamWaitsForArrivedOnly(t *testing.T) {
	ch := make(chan types.ConverseStreamOutput)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	body := &arrival{}
	st := &stream{s: &Summarizer{}, ctx: ctx, cancel: cancel, body: body, es: bedrockruntime.NewConverseStreamEventStream(
		func(es *bedrockruntime.ConverseStreamEventStream) { es.Reader = eventReader{ch} })}
	body.complete.Store(3) // three messages in, the SDK slow to hand them on
	go func() {
		for _, s := range []string{"The customer", " was charged", " twice."} {
			time.Sleep(5 * time.Millisecond)
			ch <- textDelta(s)
		}
	}()
	if got, err := st.Recv(); err != nil || got != "The customer was charged twice." {
		t.Fatalf("Recv = %q, %v; want the three arrived deltas joined", got, err)
	}
	later := make(chan string)
	go func() {
		got, _ := st.Recv()
		later <- got
	}()
	time.Sleep(20 * time.Millisecond)
	body.complete.Store(4)
	ch <- textDelta(" Refunded.")
	if got := <-later; got != " Refunded." {
		t.Errorf("second Recv = %q, want the delta that arrived after the first returned", got)
	}
}

// TestConcurrentStreams: streams of one client decode at once, each with
// its own codec; under the race detector (CI runs it), the SDK's shared
// codec is reported as a data race.
func TestConcurrentStreams(t *testing.T) {
	text := strings.Repeat("word ", 100)
	fo := bedrocktest.Options{StreamChunkWords: 1, Answer: func(bedrocktest.Request) bedrocktest.Answer { return bedrocktest.Answer{Text: text} }}
	s, _ := newTestSummarizer(t, fo, Options{})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			st, err := s.SummarizeStream(context.Background(), request())
			if err != nil {
				t.Error(err)
				return
			}
			defer st.Close()
			if got, _, err := drain(t, st); err != nil || got != strings.TrimSpace(text) && got != text {
				t.Errorf("streamed %d bytes, %v", len(got), err)
			}
		})
	}
	wg.Wait()
}
