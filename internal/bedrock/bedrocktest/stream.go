package bedrocktest

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
)

// streamWriter frames ConverseStream events with the SDK's own encoder.
type streamWriter struct {
	w   http.ResponseWriter
	rc  *http.ResponseController
	enc *eventstream.Encoder
	err error
}

func (s *streamWriter) send(msgType, typeHeader, name string, payload any) {
	if s.err != nil {
		return
	}
	body, err := json.Marshal(payload)
	if err != nil {
		s.err = err
		return
	}
	var msg eventstream.Message
	msg.Headers.Set(":message-type", eventstream.StringValue(msgType))
	msg.Headers.Set(typeHeader, eventstream.StringValue(name))
	msg.Headers.Set(":content-type", eventstream.StringValue("application/json"))
	msg.Payload = body
	if s.err = s.enc.Encode(s.w, msg); s.err == nil {
		s.err = s.rc.Flush()
	}
}

func (s *streamWriter) event(name string, payload any) {
	s.send("event", ":event-type", name, payload)
}

// exception sends an exception event; the :exception-type is the member
// name of the stream union, as Bedrock sends it ("throttlingException").
func (s *streamWriter) exception(ex, message string) {
	r, n := utf8.DecodeRuneInString(ex)
	member := string(unicode.ToLower(r)) + ex[n:]
	s.send("exception", ":exception-type", member, map[string]string{"message": message})
}

// writeStream answers ConverseStream: messageStart, the text in deltas of a
// few words, contentBlockStop, messageStop and metadata; or, with
// MidStreamException, an exception after the first delta.
func (f *Fake) writeStream(w http.ResponseWriter, r *http.Request, req Request, ans Answer) {
	start := time.Now()
	w.Header().Set("Content-Type", "application/vnd.amazon.eventstream")
	w.Header().Set("X-Amzn-Requestid", "fake-request-id")
	w.WriteHeader(http.StatusOK)
	s := &streamWriter{w: w, rc: http.NewResponseController(w), enc: eventstream.NewEncoder()}
	s.event("messageStart", map[string]string{"role": "assistant"})
	for i, piece := range splitWords(ans.Text, f.opts.StreamChunkWords) {
		if r.Context().Err() != nil {
			f.canceled.Add(1)
			return
		}
		s.event("contentBlockDelta", map[string]any{"contentBlockIndex": 0, "delta": map[string]string{"text": piece}})
		if i == 0 && f.opts.MidStreamException != "" {
			s.exception(f.opts.MidStreamException, "fake "+f.opts.MidStreamException+" mid-stream")
			return
		}
	}
	s.event("contentBlockStop", map[string]int{"contentBlockIndex": 0})
	s.event("messageStop", map[string]string{"stopReason": "end_turn"})
	in, out := req.inputTokens(), ans.outputTokens()
	s.event("metadata", map[string]any{
		"usage":   map[string]int{"inputTokens": in, "outputTokens": out, "totalTokens": in + out},
		"metrics": map[string]int64{"latencyMs": f.opts.Latency.Milliseconds() + time.Since(start).Milliseconds()},
	})
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
