package bedrock

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"time"

	"github.com/aws/smithy-go/eventstream"

	"github.com/llm-testing/llm-testing/internal/bedrock/bedrocktest"
	"github.com/llm-testing/llm-testing/internal/summary"
)

// encodeMessage is one event-stream message, written by the SDK's own
// encoder: kind its :message-type, typeHeader the header that names it
// (:event-type, :exception-type), name its value.
func encodeMessage(tb testing.TB, kind, typeHeader, name, payload string) []byte {
	tb.Helper()
	var m eventstream.Message
	m.Headers.Set(typeHeader, eventstream.StringValue(name))
	m.Headers.Set(":content-type", eventstream.StringValue("application/json"))
	m.Headers.Set(":message-type", eventstream.StringValue(kind))
	m.Payload = []byte(payload)
	var b bytes.Buffer
	if err := eventstream.NewEncoder().Encode(&b, m); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func encodeEvent(tb testing.TB, name, payload string) []byte {
	return encodeMessage(tb, "event", ":event-type", name, payload)
}

func delta(tb testing.TB, text string) []byte {
	return encodeEvent(tb, "contentBlockDelta", `{"contentBlockIndex":0,"delta":{"text":"`+text+`"}}`)
}

var stop = func(tb testing.TB) []byte { return encodeEvent(tb, "messageStop", `{"stopReason":"end_turn"}`) }

// pipeStream is a stream over a body the test writes.
func pipeStream() (*stream, *io.PipeWriter) {
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	return &stream{s: &Summarizer{}, ctx: ctx, cancel: cancel, events: newEventStream(pr)}, pw
}

// send writes the messages to w in one write, in a goroutine: a pipe's
// write waits for its reader.
func send(w *io.PipeWriter, msgs ...[]byte) {
	b := bytes.Join(msgs, nil)
	go func() { _, _ = w.Write(b) }()
}

// TestStreamJoinsArrivedDeltas: deltas that have arrived whole when one is
// read go on as one piece, with the usage they carry; a delta only partly
// arrived is not waited for, and a delta that comes later is a piece of its
// own. The end comes after messageStop.
func TestStreamJoinsArrivedDeltas(t *testing.T) {
	st, w := pipeStream()
	defer st.Close()
	later := delta(t, " Refunded.")
	send(w, encodeEvent(t, "messageStart", `{"role":"assistant"}`), delta(t, "The customer"), delta(t, " was charged"),
		encodeEvent(t, "metadata", `{"usage":{"inputTokens":12,"outputTokens":5}}`), delta(t, " twice."), later[:len(later)-3])
	first := make(chan string, 1)
	go func() {
		text, _ := st.Recv()
		first <- text
	}()
	select {
	case got := <-first:
		if got != "The customer was charged twice." {
			t.Fatalf("first Recv = %q; want the three whole deltas, joined", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the first Recv waits for the delta only partly arrived")
	}
	if st.in != 12 || st.out != 5 {
		t.Errorf("usage %d in, %d out; want the metadata read on the way (12, 5)", st.in, st.out)
	}
	got := make(chan string)
	go func() {
		text, _ := st.Recv()
		got <- text
	}()
	time.Sleep(10 * time.Millisecond)
	send(w, later[len(later)-3:])
	if text := <-got; text != " Refunded." {
		t.Errorf("second Recv = %q, want the delta completed after it began", text)
	}
	send(w, stop(t))
	go func() {
		time.Sleep(10 * time.Millisecond)
		w.Close()
	}()
	if _, err := st.Recv(); err != io.EOF {
		t.Errorf("Recv at the end = %v, want io.EOF", err)
	}
}

// TestStreamEndsBadly: a stream that ends before the model's messageStop,
// inside a message, or with an exception or an error message is a failure
// of its own kind after the text before it, never a quiet end of a cut
// answer.
func TestStreamEndsBadly(t *testing.T) {
	errorMessage := func(tb testing.TB) []byte {
		var m eventstream.Message
		m.Headers.Set(":message-type", eventstream.StringValue("error"))
		m.Headers.Set(":error-code", eventstream.StringValue("InternalFailure"))
		m.Headers.Set(":error-message", eventstream.StringValue("broken"))
		var b bytes.Buffer
		if err := eventstream.NewEncoder().Encode(&b, m); err != nil {
			tb.Fatal(err)
		}
		return b.Bytes()
	}
	tests := []struct {
		name     string
		end      func(testing.TB) []byte
		wantKind summary.Kind
		wantErr  string
	}{
		{"no messageStop", func(testing.TB) []byte { return nil }, summary.KindUpstream, "before the model's messageStop"},
		{"cut inside a message", func(tb testing.TB) []byte { return delta(tb, " more")[:20] }, summary.KindUpstream, "inside a message"},
		{"cut inside a prelude", func(tb testing.TB) []byte { return delta(tb, " more")[:5] }, summary.KindUpstream, "inside a message"},
		{"throttled", func(tb testing.TB) []byte {
			return encodeMessage(tb, "exception", ":exception-type", "throttlingException", `{"message":"slow down"}`)
		}, summary.KindThrottled, "slow down"},
		{"model stream error", func(tb testing.TB) []byte {
			return encodeMessage(tb, "exception", ":exception-type", "modelStreamErrorException", `{"message":"model broke"}`)
		}, summary.KindUpstream, "model broke"},
		{"error message", errorMessage, summary.KindUpstream, "InternalFailure"},
		{"unknown message type", func(tb testing.TB) []byte {
			return encodeMessage(tb, "novel", ":event-type", "contentBlockDelta", `{}`)
		}, summary.KindUpstream, "novel"},
		{"bad payload", func(tb testing.TB) []byte { return encodeEvent(tb, "contentBlockDelta", `{"delta":`) }, summary.KindUpstream, "decode contentBlockDelta"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, w := pipeStream()
			defer st.Close()
			go func() {
				_, _ = w.Write(delta(t, "The customer"))
				time.Sleep(10 * time.Millisecond) // the first text goes on alone
				_, _ = w.Write(tt.end(t))
				w.Close()
			}()
			got, pieces, err := drain(t, st)
			if got != "The customer" || pieces != 1 {
				t.Errorf("streamed %q in %d pieces before the end, want the first delta", got, pieces)
			}
			if err == nil || summary.KindOf(err) != tt.wantKind || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Recv's error = %v (kind %v), want kind %v with %q", err, summary.KindOf(err), tt.wantKind, tt.wantErr)
			}
			if _, again := st.Recv(); again == nil {
				t.Error("Recv after the failure succeeded")
			}
		})
	}
}

// TestStreamJoinsEventsArrivedTogether: events that reach the connection
// together, over the SDK's real client and HTTP, go on as one piece.
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
	}
}

// messages encodes n event-stream messages with the SDK's encoder, with
// payloads of growing length (the last ones longer than eventBufferBytes),
// and returns them.
func messages(t *testing.T, n int) [][]byte {
	t.Helper()
	var out [][]byte
	for i := range n {
		out = append(out, delta(t, strings.Repeat("x", 40*i)))
	}
	if len(out[n-1]) <= eventBufferBytes {
		t.Fatalf("the longest message is %d bytes, want one past eventBufferBytes", len(out[n-1]))
	}
	return out
}

// TestEventStream: an eventStream reads back every message the SDK's
// encoder wrote, however the body's reads cut them, then io.EOF.
func TestEventStream(t *testing.T) {
	msgs := messages(t, 120)
	content := bytes.Join(msgs, nil)
	readers := map[string]func(io.Reader) io.Reader{
		"whole":     func(r io.Reader) io.Reader { return r },
		"one byte":  iotest.OneByteReader,
		"half":      iotest.HalfReader,
		"data, err": iotest.DataErrReader,
	}
	for name, wrap := range readers {
		t.Run(name, func(t *testing.T) {
			e := newEventStream(io.NopCloser(wrap(bytes.NewReader(content))))
			for i := range msgs {
				m, err := e.next()
				if err != nil {
					t.Fatalf("message %d: %v", i, err)
				}
				if want := `{"contentBlockIndex":0,"delta":{"text":"` + strings.Repeat("x", 40*i) + `"}}`; string(m.payload) != want ||
					string(m.kind) != "event" || string(m.name) != "contentBlockDelta" || !bytes.Equal(m.raw, msgs[i]) {
					t.Fatalf("message %d: %s %s, %d bytes of payload, want event contentBlockDelta and %d", i, m.kind, m.name, len(m.payload), len(want))
				}
			}
			if _, err := e.next(); err != io.EOF {
				t.Errorf("after the last message: %v, want io.EOF", err)
			}
		})
	}
}

// chunks is a reader that returns one of its chunks per Read.
type chunks [][]byte

func (c *chunks) Read(p []byte) (int, error) {
	if len(*c) == 0 {
		return 0, io.EOF
	}
	n := copy(p, (*c)[0])
	if n < len((*c)[0]) {
		(*c)[0] = (*c)[0][n:]
	} else {
		*c = (*c)[1:]
	}
	return n, nil
}

// TestBuffered: buffered is true only while the next message has arrived
// whole, and never reads.
func TestBuffered(t *testing.T) {
	a, b, c := delta(t, "a"), delta(t, "bb"), delta(t, "ccc")
	e := newEventStream(io.NopCloser(&chunks{append(a, b[:len(b)-1]...), append(b[len(b)-1:], c...)}))
	if e.buffered() {
		t.Error("buffered before any read")
	}
	for i, want := range []struct {
		text     string
		buffered bool // after it
	}{{"a", false}, {"bb", true}, {"ccc", false}} {
		m, err := e.next()
		if err != nil || !bytes.Contains(m.payload, []byte(`"`+want.text+`"`)) {
			t.Fatalf("message %d: %s, %v", i, m.payload, err)
		}
		if got := e.buffered(); got != want.buffered {
			t.Errorf("after %q buffered = %v, want %v", want.text, got, want.buffered)
		}
	}
}

// reframe sets a message's two CRCs to match its bytes.
func reframe(b []byte) []byte {
	binary.BigEndian.PutUint32(b[8:], crc32.ChecksumIEEE(b[:8]))
	binary.BigEndian.PutUint32(b[len(b)-4:], crc32.ChecksumIEEE(b[:len(b)-4]))
	return b
}

// TestMalformedMessages: a message the format does not allow is an error
// that says what is wrong with it, never a message.
func TestMalformedMessages(t *testing.T) {
	good := func() []byte { return delta(t, "text") }
	tests := []struct {
		name    string
		body    func() []byte
		wantErr string
	}{
		{"prelude CRC", func() []byte { b := good(); b[9] ^= 1; return b }, "prelude: CRC mismatch"},
		{"message CRC", func() []byte { b := good(); b[len(b)-5] ^= 1; return b }, "message: CRC mismatch"},
		{"too short", func() []byte { b := good(); binary.BigEndian.PutUint32(b, 15); return b }, "of 15 bytes"},
		{"too long", func() []byte { b := good(); binary.BigEndian.PutUint32(b, maxMessageBytes+1); return b }, "bytes, want 16 to"},
		{"longer than the body", func() []byte { b := good(); binary.BigEndian.PutUint32(b, uint32(len(b)+1)); return reframe(b) }, "inside a message"},
		{"headers past the payload", func() []byte { b := good(); binary.BigEndian.PutUint32(b[4:], uint32(len(b))); return reframe(b) }, "of headers"},
		{"unknown header type", func() []byte { b := good(); b[preludeBytes+1+int(b[preludeBytes])] = 10; return reframe(b) }, "unknown type 10"},
		{"header value cut", func() []byte {
			b := good()
			binary.BigEndian.PutUint32(b[4:], binary.BigEndian.Uint32(b[4:])-3) // the last header's value ends in the payload
			return reframe(b)
		}, "cut"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := newEventStream(io.NopCloser(bytes.NewReader(tt.body()))).next()
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("next = %v, want an error with %q", err, tt.wantErr)
			}
		})
	}
}

// FuzzParseMessage holds the stream's reading of one message to the SDK's
// own decoder: both accept the same bytes, and read the same payload and
// :message-type and :event-type from them; but for headers that end inside
// a header, which the SDK may take for their end and the stream rejects.
func FuzzParseMessage(f *testing.F) {
	f.Add(delta(f, "The customer"))
	f.Add(encodeMessage(f, "exception", ":exception-type", "throttlingException", `{"message":"slow"}`))
	var m eventstream.Message
	for _, v := range []eventstream.Value{eventstream.BoolValue(true), eventstream.BoolValue(false), eventstream.Int8Value(1),
		eventstream.Int16Value(2), eventstream.Int32Value(3), eventstream.Int64Value(4), eventstream.BytesValue("b"),
		eventstream.TimestampValue(time.Unix(5, 0)), eventstream.UUIDValue{1}} {
		m.Headers.Set(fmt.Sprintf("h%T", v), v)
	}
	m.Headers.Set(":event-type", eventstream.Int32Value(7)) // not a string
	m.Headers.Set(":message-type", eventstream.StringValue("event"))
	var b bytes.Buffer
	if err := eventstream.NewEncoder().Encode(&b, m); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	f.Fuzz(func(t *testing.T, raw []byte) {
		compareWithSDK(t, raw)
		if len(raw) >= minMessageBytes { // the same bytes with their length and CRCs right, to reach the headers
			fixed := bytes.Clone(raw)
			binary.BigEndian.PutUint32(fixed, uint32(len(fixed)))
			compareWithSDK(t, reframe(fixed))
		}
	})
}

// compareWithSDK fails t unless the stream's reading of raw and the
// SDK's agree.
func compareWithSDK(t *testing.T, raw []byte) {
	sdk, sdkErr := eventstream.NewDecoder().Decode(bytes.NewReader(raw), nil)
	if sdkErr == nil && binary.BigEndian.Uint32(raw) != uint32(len(raw)) {
		return // the SDK's decoder read past the message's length: not a message of the framing
	}
	ours, err := newEventStream(io.NopCloser(bytes.NewReader(raw))).next()
	if sdkErr == nil && errors.Is(err, errHeaderCut) {
		return
	}
	if (err == nil) != (sdkErr == nil) {
		t.Fatalf("ours: %v; the SDK's: %v", err, sdkErr)
	}
	if err != nil {
		return
	}
	header := func(name string) []byte {
		if v, ok := sdk.Headers.Get(name).(eventstream.StringValue); ok {
			return []byte(v)
		}
		return nil
	}
	if !bytes.Equal(ours.payload, sdk.Payload) || !bytes.Equal(ours.kind, header(":message-type")) || !bytes.Equal(ours.name, header(":event-type")) {
		t.Fatalf("ours: %q %q %q; the SDK's: %q %q %q", ours.kind, ours.name, ours.payload, header(":message-type"), header(":event-type"), sdk.Payload)
	}
}

// TestConcurrentStreams: streams of one client read at once, each on its
// own; CI runs it under the race detector.
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
