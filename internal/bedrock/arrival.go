package bedrock

import (
	"context"
	"io"
	"sync/atomic"

	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// The SDK decodes a ConverseStream body in a goroutine of its own and hands
// each event on through a second, one at a time over unbuffered channels,
// so a reader of its events cannot tell an event still being decoded from
// one the model has not sent. Events that arrive together (a busy server
// reads them in one go; the fake sends a whole answer at once) would then
// go out one per Recv, each its own write and flush to the client and its
// own wake-up of the client's reader. arrival lets the stream tell: it
// counts the bytes read from the connection that the decoder has not yet
// taken, and while there are any, the next event has arrived, at least in
// part, and Recv waits for it.

// arrivalBytes is the most arrival reads from the body at once: a few
// text deltas' events. What is beyond it still arrives, a read later.
const arrivalBytes = 4 << 10

// arrival reads an event stream's body through a buffer and counts what is
// in it: read from the connection, not yet decoded. Reads come from the
// SDK's decoding goroutine; waiting is asked from the stream's reader.
type arrival struct {
	body    io.ReadCloser
	buf     []byte
	off, n  int
	err     error // the body's, once buf is drained
	pending atomic.Int64
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
		a.pending.Store(int64(a.n))
		if a.n == 0 {
			return 0, a.err
		}
	}
	k := copy(p, a.buf[a.off:a.n])
	a.off += k
	a.pending.Add(-int64(k))
	return k, nil
}

// Close implements io.Closer.
func (a *arrival) Close() error { return a.body.Close() }

// waiting reports whether bytes have arrived that the decoder has not yet
// taken.
func (a *arrival) waiting() bool { return a != nil && a.pending.Load() > 0 }

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
