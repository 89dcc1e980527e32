package bedrock

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/smithy-go/eventstream"

	"github.com/llm-testing/llm-testing/internal/bedrock/bedrocktest"
	"github.com/llm-testing/llm-testing/internal/summary"
)

func stop(tb testing.TB) []byte { return encodeEvent(tb, "messageStop", `{"stopReason":"end_turn"}`) }

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
// answer; a cut one is unavailable, for the client to retry.
func TestStreamEndsBadly(t *testing.T) {
	errorMessage := func(tb testing.TB) []byte {
		var m eventstream.Message
		m.Headers.Set(":message-type", eventstream.StringValue("error"))
		m.Headers.Set(":error-code", eventstream.StringValue("InternalFailure"))
		m.Headers.Set(":error-message", eventstream.StringValue("broken"))
		return encode(tb, m)
	}
	tests := []struct {
		name     string
		end      func(testing.TB) []byte
		wantKind summary.Kind
		wantErr  string
	}{
		{"no messageStop", func(testing.TB) []byte { return nil }, summary.KindUnavailable, "before the model's messageStop"},
		{"cut inside a message", func(tb testing.TB) []byte { return delta(tb, " more")[:20] }, summary.KindUnavailable, "inside a message"},
		{"cut inside a prelude", func(tb testing.TB) []byte { return delta(tb, " more")[:5] }, summary.KindUnavailable, "inside a message"},
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

// TestConcurrentStreams: streams of one client read at once, each on its
// own, and fail at once, each decoding its exception with the SDK's codec;
// CI runs it under the race detector.
func TestConcurrentStreams(t *testing.T) {
	text := strings.Repeat("word ", 100)
	answer := func(bedrocktest.Request) bedrocktest.Answer { return bedrocktest.Answer{Text: text} }
	for _, mid := range []string{"", "ModelStreamErrorException"} {
		s, _ := newTestSummarizer(t, bedrocktest.Options{StreamChunkWords: 1, Answer: answer, MidStreamException: mid}, Options{})
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				st, err := s.SummarizeStream(context.Background(), request())
				if err != nil {
					t.Error(err)
					return
				}
				defer st.Close()
				got, _, err := drain(t, st)
				if mid == "" && (err != nil || got != strings.TrimSpace(text) && got != text) {
					t.Errorf("streamed %d bytes, %v", len(got), err)
				}
				if mid != "" && (err == nil || !strings.Contains(err.Error(), "fake "+mid)) {
					t.Errorf("streamed %d bytes, %v; want the %s", len(got), err, mid)
				}
			})
		}
		wg.Wait()
	}
}

// streamServer is a Summarizer whose calls h answers, over plain HTTP/1.1
// or over TLS with HTTP/2.
func streamServer(t *testing.T, h http.HandlerFunc, h2 bool) *Summarizer {
	t.Helper()
	if h2 {
		return overTLS(t, httptest.NewUnstartedServer(h))
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return New(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("x", "y", "")}, Options{MaxAttempts: 1})
}

// answerWith is a handler that writes the events of a stream, flushing
// each, then does what end says: return, abort the connection, or wait for
// the call to go away.
func answerWith(events [][]byte, end string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/vnd.amazon.eventstream")
		for _, ev := range events {
			_, _ = w.Write(ev)
			_ = http.NewResponseController(w).Flush()
		}
		switch end {
		case "abort":
			panic(http.ErrAbortHandler)
		case "stall":
			<-r.Context().Done()
		}
	}
}

// TestStreamCutConnection: a connection that fails midway, between
// messages or inside one, is unavailable with a Retry-After, wherever the
// cut falls, over HTTP/1.1 and HTTP/2.
func TestStreamCutConnection(t *testing.T) {
	next := delta(t, " more")
	for _, h2 := range []bool{false, true} {
		for _, tt := range []struct {
			name string
			rest []byte
		}{{"between messages", nil}, {"inside a prelude", next[:5]}, {"inside a message", next[:20]}} {
			t.Run(fmt.Sprintf("%s, h2 %v", tt.name, h2), func(t *testing.T) {
				events := [][]byte{delta(t, "The customer")}
				if tt.rest != nil {
					events = append(events, tt.rest)
				}
				s := streamServer(t, answerWith(events, "abort"), h2)
				st, err := s.SummarizeStream(context.Background(), request())
				if err != nil {
					t.Fatal(err)
				}
				defer st.Close()
				_, _, err = drain(t, st)
				var e *summary.Error
				if !errors.As(err, &e) || e.Kind != summary.KindUnavailable || e.RetryAfter == 0 {
					t.Errorf("Recv's error = %v, want unavailable with a Retry-After", err)
				}
			})
		}
	}
}

// TestStreamStalls: a Recv waiting on a stream that has stopped sending
// returns, timed out, once the call's deadline passes (the summary.Stream
// contract), over HTTP/1.1 and HTTP/2; and Close from another goroutine
// ends a waiting Recv as canceled.
func TestStreamStalls(t *testing.T) {
	for _, h2 := range []bool{false, true} {
		t.Run(fmt.Sprintf("h2 %v", h2), func(t *testing.T) {
			s := streamServer(t, answerWith([][]byte{delta(t, "The customer")}, "stall"), h2)
			for _, close := range []bool{false, true} {
				ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
				defer cancel()
				want := summary.KindTimeout
				if close {
					ctx, want = context.Background(), summary.KindCanceled
				}
				st, err := s.SummarizeStream(ctx, request())
				if err != nil {
					t.Fatal(err)
				}
				if _, err := st.Recv(); err != nil {
					t.Fatal(err)
				}
				if close {
					time.AfterFunc(100*time.Millisecond, func() { st.Close() })
				}
				done := make(chan error, 1)
				go func() {
					_, err := st.Recv()
					done <- err
				}()
				select {
				case err := <-done:
					if got := summary.KindOf(err); got != want {
						t.Errorf("close %v: Recv gave %v (kind %v), want kind %v", close, err, got, want)
					}
				case <-time.After(5 * time.Second):
					t.Fatalf("close %v: Recv still waits on a stalled stream", close)
				}
				st.Close()
			}
		})
	}
}
