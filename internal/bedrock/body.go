package bedrock

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// The SDK serializes each text of a Converse body a byte at a time, and a
// rune at a time past the first byte it must escape (the first newline of a
// numbered transcript, the first accented letter), growing its buffer by
// doubling: for a 300 KB transcript that was a tenth of the request's CPU
// and five times its bytes in garbage. longBodies has the SDK serialize the
// body with each long text block held out, a placeholder in its place, and
// writes those texts into the body itself, escaped as the SDK escapes them
// (the same bytes: the tests compare them), in a buffer sized once. Path,
// headers, signing and everything else stay the SDK's.

// heldOutBytes is how long a text block must be for longBodies to write it.
const heldOutBytes = 1024

// longBodies is a ClientProtocol that writes the long text blocks of
// Converse and ConverseStream bodies itself. With release, it then empties
// those blocks of the input, so that a text made for the prompt alone (the
// numbered transcript) is not held while the call waits: for a client
// whose inputs are each built for one call, as the Summarizer's are (the
// SDK serializes an input once, before its retries).
type longBodies struct {
	smithyhttp.ClientProtocol
	release bool
}

// SerializeRequest implements smithyhttp.ClientProtocol.
func (p longBodies) SerializeRequest(ctx context.Context, op *smithy.OperationSchema, in smithy.Serializable, req *smithyhttp.Request) error {
	skeleton, held := holdOut(in)
	if held == nil {
		return p.ClientProtocol.SerializeRequest(ctx, op, in, req)
	}
	texts := make([]string, len(held))
	for i, b := range held {
		texts[i] = b.Value
	}
	blank := req.Clone() // for the SDK to start again from
	if err := p.ClientProtocol.SerializeRequest(ctx, op, skeleton, req); err != nil {
		return err
	}
	body, err := io.ReadAll(req.GetStream())
	if err != nil {
		return fmt.Errorf("read serialized body: %w", err)
	}
	full, ok := fillIn(body, texts)
	if !ok { // a placeholder not found once: let the SDK write it all
		*req = *blank
		return p.ClientProtocol.SerializeRequest(ctx, op, in, req)
	}
	sreq, err := req.SetStream(bytes.NewReader(full))
	if err != nil {
		return fmt.Errorf("set body: %w", err)
	}
	*req = *sreq
	if p.release {
		for _, b := range held {
			b.Value = ""
		}
	}
	return nil
}

// placeholder is what stands for held-out text i in the skeleton: a text
// the SDK escapes to itself, with NULs (\u0000) that no placeholder-sized
// block of the prompt is likely to hold; fillIn checks it is there once.
func placeholder(i int) string { return fmt.Sprintf("\x00held-out-%d\x00", i) }

// holdOut returns a copy of a Converse or ConverseStream input whose user
// text blocks of heldOutBytes or more are placeholders, and those blocks in
// order; held is nil when there is none, or for another input.
func holdOut(in smithy.Serializable) (skeleton smithy.Serializable, held []*types.ContentBlockMemberText) {
	var msgs *[]types.Message
	var out smithy.Serializable
	switch v := in.(type) {
	case *bedrockruntime.ConverseInput:
		c := *v
		msgs, out = &c.Messages, &c
	case *bedrockruntime.ConverseStreamInput:
		c := *v
		msgs, out = &c.Messages, &c
	default:
		return in, nil
	}
	copied := make([]types.Message, len(*msgs))
	for m, msg := range *msgs {
		copied[m] = msg
		content := make([]types.ContentBlock, len(msg.Content))
		for i, b := range msg.Content {
			content[i] = b
			if t, ok := b.(*types.ContentBlockMemberText); ok && len(t.Value) >= heldOutBytes {
				content[i] = &types.ContentBlockMemberText{Value: placeholder(len(held))}
				held = append(held, t)
			}
		}
		copied[m].Content = content
	}
	if held == nil {
		return in, nil
	}
	*msgs = copied
	return out, held
}

// fillIn writes body with each placeholder's JSON string replaced by its
// text, escaped. ok is false when a placeholder is not in body exactly once.
func fillIn(body []byte, texts []string) (full []byte, ok bool) {
	size := len(body)
	for _, t := range texts {
		size += len(t) + len(t)/32 // room for some escapes; append grows past it
	}
	full = make([]byte, 0, size)
	rest := body
	for i, t := range texts {
		ph := appendEscaped(nil, placeholder(i)) // as the SDK wrote it
		at := bytes.Index(rest, ph)
		if at < 0 || bytes.Contains(rest[at+len(ph):], ph) {
			return nil, false
		}
		full = append(full, rest[:at]...)
		full = appendEscaped(full, t)
		rest = rest[at+len(ph):]
	}
	return append(full, rest...), true
}

// appendEscaped appends s as a JSON string, escaped byte for byte as the
// SDK's JSON serializer escapes it: '"' and '\' with a backslash, \n \r
// \t, other control bytes and DEL as \u00XX, U+2028 and U+2029 as \u2028
// and \u2029, a byte that is not UTF-8 as U+FFFD, everything else as it
// is. A two-byte rune (accented Latin letters) is stepped over without
// being decoded.
func appendEscaped(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			if c >= 0xC2 && c <= 0xDF && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
				i += 2
				continue
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				dst = utf8.AppendRune(append(dst, s[start:i]...), utf8.RuneError)
			case r == '\u2028' || r == '\u2029':
				dst = append(append(dst, s[start:i]...), '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			default:
				i += size
				continue
			}
			i += size
			start = i
			continue
		}
		if !escapeByte[c] {
			i++
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
		}
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

const hexDigits = "0123456789abcdef"

// escapeByte marks the bytes the SDK escapes.
var escapeByte = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	t['"'], t['\\'], t[0x7F] = true, true, true
	return t
}()
