package bedrocktest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
)

// frame encodes one ConverseStream message with the SDK's own encoder:
// msgType "event" or "exception", typeHeader the header naming it.
func frame(msgType, typeHeader, name string, payload any) ([]byte, error) {
	body, err := json.Marshal(payload)
	if err != nil {
		return nil, fmt.Errorf("encode %s %s: %w", msgType, name, err)
	}
	var msg eventstream.Message
	msg.Headers.Set(":message-type", eventstream.StringValue(msgType))
	msg.Headers.Set(typeHeader, eventstream.StringValue(name))
	msg.Headers.Set(":content-type", eventstream.StringValue("application/json"))
	msg.Payload = body
	var b bytes.Buffer
	if err := eventstream.NewEncoder().Encode(&b, msg); err != nil {
		return nil, fmt.Errorf("frame %s %s: %w", msgType, name, err)
	}
	return b.Bytes(), nil
}

func eventFrame(name string, payload any) ([]byte, error) {
	return frame("event", ":event-type", name, payload)
}

// exceptionFrame is an exception message; the :exception-type is the
// member name of the stream union, as Bedrock sends it
// ("throttlingException").
func exceptionFrame(ex, message string) ([]byte, error) {
	r, n := utf8.DecodeRuneInString(ex)
	member := string(unicode.ToLower(r)) + ex[n:]
	return frame("exception", ":exception-type", member, map[string]string{"message": message})
}

// streamEvents frames what a stream of ans sends before its metadata:
// messageStart, the text in deltas of a few words, contentBlockStop and
// messageStop.
func (f *Fake) streamEvents(ans Answer) ([][]byte, error) {
	pieces := splitWords(ans.Text, f.opts.StreamChunkWords)
	out := make([][]byte, 0, len(pieces)+3)
	add := func(name string, payload any) error {
		b, err := eventFrame(name, payload)
		out = append(out, b)
		return err
	}
	if err := add("messageStart", map[string]string{"role": "assistant"}); err != nil {
		return nil, err
	}
	for _, piece := range pieces {
		if err := add("contentBlockDelta", map[string]any{"contentBlockIndex": 0, "delta": map[string]string{"text": piece}}); err != nil {
			return nil, err
		}
	}
	if err := add("contentBlockStop", map[string]int{"contentBlockIndex": 0}); err != nil {
		return nil, err
	}
	if err := add("messageStop", map[string]string{"stopReason": "end_turn"}); err != nil {
		return nil, err
	}
	return out, nil
}

// writeStream answers ConverseStream with rep's events, each flushed as
// it is written, then the metadata; or, with MidStreamException, an
// exception after the first delta.
func (f *Fake) writeStream(w http.ResponseWriter, r *http.Request, rep *reply) {
	start := time.Now()
	w.Header().Set("Content-Type", "application/vnd.amazon.eventstream")
	w.Header().Set("X-Amzn-Requestid", "fake-request-id")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	var held []byte // with StreamAtOnce, written at the end
	if f.opts.StreamAtOnce {
		defer func() {
			if _, err := w.Write(held); err == nil {
				_ = rc.Flush()
			}
		}()
	}
	send := func(b []byte, err error) bool {
		if err != nil {
			return false
		}
		if f.opts.StreamAtOnce {
			held = append(held, b...)
			return true
		}
		if _, err := w.Write(b); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	for i, ev := range rep.events {
		if i > 0 && r.Context().Err() != nil {
			f.canceled.Add(1)
			return
		}
		if !send(ev, nil) {
			return
		}
		if i == 1 && len(rep.events) > 3 && f.opts.MidStreamException != "" { // after the first delta
			send(exceptionFrame(f.opts.MidStreamException, "fake "+f.opts.MidStreamException+" mid-stream"))
			return
		}
	}
	in, out := rep.req.inputTokens(), rep.ans.outputTokens()
	send(eventFrame("metadata", map[string]any{
		"usage":   map[string]int{"inputTokens": in, "outputTokens": out, "totalTokens": in + out},
		"metrics": map[string]int64{"latencyMs": f.opts.Latency.Milliseconds() + time.Since(start).Milliseconds()},
	}))
}

// splitWords cuts text into pieces of n words, each piece after the first
// starting with the whitespace before its first word, so that the pieces
// join back into text.
func splitWords(text string, n int) []string {
	var out []string
	start, words := 0, 0
	prevSpace := true
	for i, r := range text {
		space := unicode.IsSpace(r)
		if !space && prevSpace {
			if words == n {
				cut := i
				for cut > start && strings.ContainsRune(" \t\n\r", rune(text[cut-1])) {
					cut--
				}
				out = append(out, text[start:cut])
				start, words = cut, 0
			}
			words++
		}
		prevSpace = space
	}
	if start < len(text) {
		out = append(out, text[start:])
	}
	return out
}
