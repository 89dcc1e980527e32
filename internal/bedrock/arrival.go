package bedrock

import (
	"context"
	"encoding/binary"
	"io"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/schemas"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/aws/smithy-go/transport/http/protocol/restjson1"
)

// The SDK decodes a ConverseStream body in a goroutine of its own and hands
// each event on through a second, one at a time over unbuffered channels,
// so a reader of its events cannot tell an event still being decoded from
// one the model has not sent. Events that arrive together (a busy server
// reads them in one go; the fake sends a whole answer at once) would then
// go out one per Recv, each its own write and flush to the client and its
// own wake-up of the client's reader. arrival lets the stream tell: it
// counts the event-stream messages that have arrived whole, read from the
// connection, as their bytes pass through to the decoder. Each message
// becomes one event (or ends the stream), so while more have arrived than
// the stream has received, the next event is on its way through the SDK,
// and Recv waits for it; a message only partly arrived does not count.

// arrivalBytes is the most arrival reads from the body at once: a few
// text deltas' events. What is beyond it still arrives, a read later.
const arrivalBytes = 4 << 10

// preludeLengthBytes is the head of every event-stream message: its total
// length, big-endian, the prelude and trailing CRC included.
const preludeLengthBytes = 4

// arrival reads an event stream's body through a buffer and counts the
// messages that have arrived whole. Reads come from the SDK's decoding
// goroutine; arrived is asked from the stream's reader.
type arrival struct {
	body   io.ReadCloser
	buf    []byte
	off, n int
	err    error // the body's, once buf is drained

	// The framing of what has been read from the body: within a message's
	// length (head, headN bytes of it so far) or within its rest (left
	// bytes to go).
	head     [preludeLengthBytes]byte
	headN    int
	inBody   bool
	left     int64
	complete atomic.Int64

	// codec decodes this stream's events (streamCodec); made by the
	// decoding goroutine on its first message.
	codec smithyhttp.ClientProtocol
}

// Read implements io.Reader.
func (a *arrival) Read(p []byte) (int, error) {
	if a.off == a.n {
		if a.err != nil {
			return 0, a.err
		}
		if a.buf == nil {
			a.buf = make([]byte, arrivalBytes)
		}
		a.off = 0
		a.n, a.err = a.body.Read(a.buf)
		a.frame(a.buf[:a.n])
		if a.n == 0 {
			return 0, a.err
		}
	}
	k := copy(p, a.buf[a.off:a.n])
	a.off += k
	return k, nil
}

// frame follows the messages' lengths through b, the next bytes of the
// body, and counts each message whose last byte is in it. A malformed
// length only miscounts: the decoder fails on it and ends the stream.
func (a *arrival) frame(b []byte) {
	for len(b) > 0 {
		if !a.inBody {
			k := copy(a.head[a.headN:], b)
			a.headN += k
			b = b[k:]
			if a.headN < preludeLengthBytes {
				return
			}
			a.headN, a.inBody = 0, true
			a.left = max(0, int64(binary.BigEndian.Uint32(a.head[:]))-preludeLengthBytes)
		}
		k := min(int64(len(b)), a.left)
		a.left -= k
		b = b[k:]
		if a.left == 0 {
			a.inBody = false
			a.complete.Add(1)
		}
	}
}

// Close implements io.Closer.
func (a *arrival) Close() error { return a.body.Close() }

// arrived is how many messages have arrived whole so far; 0 for none
// watched.
func (a *arrival) arrived() int64 {
	if a == nil {
		return 0
	}
	return a.complete.Load()
}

// The SDK's protocol decodes the events of every stream of a client with
// one codec, whose fields each stream's decoding goroutine writes
// (smithy-go v1.28.9, internal/eventstream/codec.go: payloadBuf, and the
// decoder made on first use): a data race, harmless as the SDK uses them
// today, that the race detector reports as soon as two streams decode at
// once. A watched stream decodes with a restJson1 protocol of its own.

// streamCodec is the protocol that decodes events read through r: r's
// own, when r is a watched body and the client's protocol is restJson1 (as
// Bedrock Runtime's is), else the client's.
func streamCodec(client smithyhttp.ClientProtocol, r io.Reader) smithyhttp.ClientProtocol {
	a, ok := r.(*arrival)
	if !ok {
		return client
	}
	if a.codec == nil { // the first message of a restJson1 stream
		if client.ID() != restJSON1 {
			return client
		}
		a.codec = restjson1.New(schemas.AmazonBedrockFrontendService)
	}
	return a.codec
}

// restJSON1 is the ID of the protocol streamCodec makes.
var restJSON1 = restjson1.New(nil).ID()

// watchArrival returns an API option that reads the call's response body
// through an arrival, which it stores in *to. The middleware is the last of
// the deserialize step, so the SDK's event stream reader, built above it,
// reads the body through it. For a retried call, *to is the last attempt's.
func watchArrival(to **arrival) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Deserialize.Add(middleware.DeserializeMiddlewareFunc("ArrivalWatcher",
			func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
				out, md, err := next.HandleDeserialize(ctx, in)
				if resp, ok := out.RawResponse.(*smithyhttp.Response); ok && err == nil && resp.Body != nil {
					a := &arrival{body: resp.Body}
					resp.Body = a
					*to = a
				}
				return out, md, err
			}), middleware.After)
	}
}
