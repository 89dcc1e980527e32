package bedrock

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

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
	// errCut is the error of a body that ends, or a connection that fails,
	// before the answer does: inside a message, or between two before the
	// model's messageStop. It wraps io.ErrUnexpectedEOF or the connection's
	// own error, so that classify takes it for the network's failure.
	errCut = errors.New("the event stream was cut")
	// errHeaderCut is the error of a message whose headers end inside one.
	errHeaderCut = errors.New("event-stream message: header cut")
	// errNameLengthLast is errHeaderCut's case of headers whose last byte is
	// a name's length, not 0: the SDK's decoder takes it for their end.
	errNameLengthLast = fmt.Errorf("%w after a name's length", errHeaderCut)
)

// cut is errCut where, with the cause: io.EOF, a body that ended, as
// io.ErrUnexpectedEOF.
func cut(where string, cause error) error {
	if errors.Is(cause, io.EOF) {
		cause = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("%w %s: %w", errCut, where, cause)
}

// next reads the next message: io.EOF at the end of the body between two
// messages, errCut when the body ends or fails inside one, or the
// message's own fault. The prelude's CRC is checked as soon as it has
// arrived, before waiting for a message of the length it gives.
func (e *eventStream) next() (message, error) {
	head, err := e.r.Peek(preludeBytes)
	if err != nil {
		switch {
		case len(head) > 0:
			return message{}, cut("inside a message", err)
		case err == io.EOF:
			return message{}, io.EOF
		}
		return message{}, cut("between messages", err)
	}
	if crc32.ChecksumIEEE(head[:8]) != binary.BigEndian.Uint32(head[8:preludeBytes]) {
		return message{}, errors.New("event-stream message prelude: CRC mismatch")
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
	if err != nil {
		return message{}, cut("inside a message", err)
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

// parseMessage reads raw, one whole message (its length and prelude
// checked), in place: its CRC, then the headers, each a name's length and
// name, a value type and value.
func parseMessage(raw []byte) (message, error) {
	n := len(raw)
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
			if len(h) == 1 && h[0] != 0 {
				return message{}, errNameLengthLast
			}
			return message{}, errHeaderCut
		}
		name, typ := h[1:nameEnd], h[nameEnd]
		h = h[nameEnd+1:]
		var value []byte
		switch {
		case typ == bytesValue || typ == stringValue:
			if len(h) < 2 {
				return message{}, errHeaderCut
			}
			end := 2 + int(binary.BigEndian.Uint16(h))
			if len(h) < end {
				return message{}, errHeaderCut
			}
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
