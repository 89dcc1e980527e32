package bedrock

import (
	"bytes"
	"context"
	"errors"
	"fmt"
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
		return cut("inside a message", err)
	}
	return err
}

// sdkEventStreamReader is the ID of the SDK's middleware that starts its
// goroutines reading a ConverseStream body.
const sdkEventStreamReader = "OperationEventStreamDeserializer"

// restJSON1 is the ID of Bedrock Runtime's protocol, whose events the
// stream reads.
var restJSON1 = restjson1.New(nil).ID()

// takeEventStream returns an API option that leaves a ConverseStream
// call's event stream to its caller: it takes the SDK's reader of it off
// the call's stack and stores the body of the call's successful response
// in *to. Its middleware is the first of the deserialize step, so it sees
// the response after the SDK has checked its status and headers; errors
// stay the SDK's, and a retried call stores the attempt that succeeded.
// The call fails at once if the SDK's reader is not there to take, or its
// protocol (the client's, protocol) is not restJson1: the stream could not
// read its events.
func takeEventStream(to *io.ReadCloser, protocol smithyhttp.ClientProtocol) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		if id := protocol.ID(); id != restJSON1 {
			return fmt.Errorf("take the event stream from the SDK: its protocol is %s, the stream reads %s", id, restJSON1)
		}
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
