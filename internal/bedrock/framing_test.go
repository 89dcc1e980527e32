package bedrock

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/aws/smithy-go/eventstream"
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
	return encode(tb, m)
}

// encode is m as the SDK's encoder writes it.
func encode(tb testing.TB, m eventstream.Message) []byte {
	tb.Helper()
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
		{"too short", func() []byte { b := good(); binary.BigEndian.PutUint32(b, 15); return reframe(b) }, "of 15 bytes"},
		{"too long", func() []byte { b := good(); binary.BigEndian.PutUint32(b, maxMessageBytes+1); return reframe(b) }, "bytes, want 16 to"},
		{"length changed", func() []byte { b := good(); binary.BigEndian.PutUint32(b, 3000); return b }, "prelude: CRC mismatch"},
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
			// Over a body that stays open: a fault the bytes at hand show is
			// an error at once, not a wait for more.
			pr, pw := io.Pipe()
			defer pw.Close()
			go func() { _, _ = pw.Write(tt.body()) }()
			got := make(chan error, 1)
			go func() {
				_, err := newEventStream(pr).next()
				got <- err
			}()
			var err error
			select {
			case err = <-got:
			case <-time.After(5 * time.Second):
				t.Fatal("next waits for more of a message already known to be malformed")
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("next = %v, want an error with %q", err, tt.wantErr)
			}
		})
	}
}

// FuzzParseMessage holds the stream's reading of one message to the SDK's
// own decoder: both accept the same bytes, and read the same payload and
// :message-type and :event-type from them; but for headers whose last byte
// is a name's length, which the SDK takes for their end and the stream
// rejects (errNameLengthLast).
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
	f.Add(encode(f, m))
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
	ours, err := newEventStream(io.NopCloser(bytes.NewReader(raw))).next()
	if sdkErr == nil && errors.Is(err, errNameLengthLast) {
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
