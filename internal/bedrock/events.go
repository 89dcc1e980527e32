package bedrock

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"

	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/schemas"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/aws/smithy-go/transport/http/protocol/restjson1"
)

// The SDK reads a ConverseStream body in a goroutine of its own, hands
// each event on through a second one over unbuffered channels, and decodes
// every message into buffers made for it alone: a 255-byte array for each
// header name, a growing buffer for each payload, a shape decoder for each
// event. That was 70 % of the bytes a stream's call allocates and most of
// its hand-offs between goroutines (docs/performance.md), with the
// collector and the scheduler then setting the stream's p99. A stream
// reads its body itself instead, in the goroutine that calls Recv:
// eventStream reads the event-stream framing in place, from a buffered
// reader, checks both of its CRCs, and gives the stream the two headers
// and the payload it reads. The messages it does not read itself
// (exceptions, error messages, types it does not know) go to the SDK's own
// decoder, so that their errors are the SDK's, as before.

// The event-stream message framing (the AWS event stream encoding, as the
// SDK writes and reads it): a prelude of the message's total length, its
// headers' length and the CRC-32 of those eight bytes; the headers; the
// payload; the CRC-32 of everything before it.
const (
	preludeBytes    = 12
	crcBytes        = 4
	minMessageBytes = preludeBytes + crcBytes
	// maxMessageBytes is the longest message read: the format's own limits
	// of 16 MiB of payload and 128 KiB of headers. A longer length is a
	// broken stream, not a buffer to grow.
	maxMessageBytes = 16<<20 + 128<<10 + minMessageBytes
	// eventBufferBytes is what a stream's reader holds of its body: a few
	// text deltas' messages. A longer message is read into a buffer of its
	// own.
	eventBufferBytes = 4 << 10
)

// Header value types of the format that have a fixed size, by type
// number; the types without one are bytes (6) and string (7), each a
// 2-byte length and that many bytes. Types past uuid (9) are malformed.
var fixedValueBytes = [...]int{0: 0, 1: 0, 2: 1, 3: 2, 4: 4, 5: 8, 8: 8, 9: 16}

const (
	bytesValue  = 6
	stringValue = 7
	lastValue   = 9
)

// message is one event-stream message, as its bytes in the reader's buffer:
// valid until the next read.
type message struct {
	raw []byte // all of it
	// kind and name are the values of the :message-type and :event-type
	// headers, nil when absent (or not strings); payload is the rest.
	kind, name, payload []byte
}

// eventStream reads the messages of an event-stream body.
type eventStream struct {
	body io.ReadCloser
	r    *bufio.Reader
}

func newEventStream(body io.ReadCloser) *eventStream {
	return &eventStream{body: body, r: bufio.NewReaderSize(body, eventBufferBytes)}
}

var (
	// errCut is the error for a body that ends inside a message.
	errCut = errors.New("the event stream ended inside a message")
	// errHeaderCut is the error for a message whose headers end inside
	// one. (The SDK's decoder takes a header name's length as the last
	// byte of the headers for their end.)
	errHeaderCut = errors.New("event-stream message: header cut")
)

// next reads the next message: io.EOF at the end of the body between two
// messages, errCut inside one, or the message's own fault.
func (e *eventStream) next() (message, error) {
	head, err := e.r.Peek(preludeBytes)
	if err != nil {
		if errors.Is(err, io.EOF) {
			if len(head) == 0 {
				return message{}, io.EOF
			}
			return message{}, errCut
		}
		return message{}, err
	}
	n := binary.BigEndian.Uint32(head)
	if n < minMessageBytes || n > maxMessageBytes {
		return message{}, fmt.Errorf("event-stream message of %d bytes, want %d to %d", n, minMessageBytes, maxMessageBytes)
	}
	var raw []byte
	if int(n) <= e.r.Size() {
		raw, err = e.r.Peek(int(n))
		_, _ = e.r.Discard(len(raw)) // raw stays in the buffer until the next read
	} else {
		raw = make([]byte, n)
		_, err = io.ReadFull(e.r, raw)
	}
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return message{}, errCut
	case err != nil:
		return message{}, err
	}
	return parseMessage(raw)
}

// buffered reports whether the next message has arrived whole: read from
// the body already, so that next returns it without waiting.
func (e *eventStream) buffered() bool {
	have := e.r.Buffered()
	if have < preludeBytes {
		return false
	}
	head, _ := e.r.Peek(preludeBytes) // buffered: no read
	return int64(binary.BigEndian.Uint32(head)) <= int64(have)
}

// Close closes the body.
func (e *eventStream) Close() error { return e.body.Close() }

// parseMessage reads raw, one whole message (its length checked), in
// place: both CRCs, then the headers, each a name's length and name, a
// value type and value.
func parseMessage(raw []byte) (message, error) {
	n := len(raw)
	if crc32.ChecksumIEEE(raw[:8]) != binary.BigEndian.Uint32(raw[8:preludeBytes]) {
		return message{}, errors.New("event-stream message prelude: CRC mismatch")
	}
	if crc32.ChecksumIEEE(raw[:n-crcBytes]) != binary.BigEndian.Uint32(raw[n-crcBytes:]) {
		return message{}, errors.New("event-stream message: CRC mismatch")
	}
	headers := binary.BigEndian.Uint32(raw[4:8])
	if int64(headers) > int64(n-minMessageBytes) {
		return message{}, fmt.Errorf("event-stream message of %d bytes with %d of headers", n, headers)
	}
	m := message{raw: raw, payload: raw[preludeBytes+int(headers) : n-crcBytes]}
	for h := raw[preludeBytes : preludeBytes+int(headers)]; len(h) > 0; {
		nameEnd := 1 + int(h[0])
		if len(h) <= nameEnd { // the name, and the type after it
			return message{}, errHeaderCut
		}
		name, typ := h[1:nameEnd], h[nameEnd]
		h = h[nameEnd+1:]
		var value []byte
		switch {
		case typ == bytesValue || typ == stringValue:
			if len(h) < 2 || len(h) < 2+int(binary.BigEndian.Uint16(h)) {
				return message{}, errHeaderCut
			}
			end := 2 + int(binary.BigEndian.Uint16(h))
			value, h = h[2:end], h[end:]
		case typ > lastValue:
			return message{}, fmt.Errorf("event-stream message: header value of unknown type %d", typ)
		default:
			size := fixedValueBytes[typ]
			if len(h) < size {
				return message{}, errHeaderCut
			}
			h = h[size:]
		}
		switch string(name) { // the last of a name counts, as for the SDK
		case ":message-type":
			m.kind = stringOnly(typ, value)
		case ":event-type":
			m.name = stringOnly(typ, value)
		}
	}
	return m, nil
}

// stringOnly is value if typ is the string type, else nil.
func stringOnly(typ byte, value []byte) []byte {
	if typ != stringValue {
		return nil
	}
	return value
}

// sdkFailure is the error the SDK's own decoder makes of a message a
// stream does not read itself: an exception (throttling, the model's
// stream error), an error message, or a message of a type unknown. It
// decodes with a restJson1 protocol of its own, Bedrock Runtime's, since
// the SDK's protocol keeps decoding state that a client's streams would
// otherwise share.
func sdkFailure(raw []byte) error {
	p := restjson1.New(schemas.AmazonBedrockFrontendService)
	ev, err := p.DeserializeEventMessage(schemas.ConverseStreamOutput, bedrockruntime.TypeRegistry, bytes.NewReader(raw))
	switch {
	case err == nil:
		return fmt.Errorf("unexpected event %T", ev)
	case errors.Is(err, io.EOF):
		return errCut
	}
	return err
}

// sdkEventStreamReader is the ID of the SDK's middleware that starts its
// goroutines reading a ConverseStream body.
const sdkEventStreamReader = "OperationEventStreamDeserializer"

// takeEventStream returns an API option that leaves a ConverseStream
// call's event stream to its caller: it takes the SDK's reader of it off
// the call's stack and stores the body of the call's successful response
// in *to. Its middleware is the first of the deserialize step, so it sees
// the response after the SDK has checked its status and headers; errors
// stay the SDK's, and a retried call stores the attempt that succeeded.
func takeEventStream(to *io.ReadCloser) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		if _, err := stack.Deserialize.Remove(sdkEventStreamReader); err != nil {
			return fmt.Errorf("take the event stream from the SDK: %w", err)
		}
		return stack.Deserialize.Add(middleware.DeserializeMiddlewareFunc("EventStreamTaker",
			func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
				out, md, err := next.HandleDeserialize(ctx, in)
				if resp, ok := out.RawResponse.(*smithyhttp.Response); ok && err == nil {
					*to = resp.Body
				}
				return out, md, err
			}), middleware.Before)
	}
}
