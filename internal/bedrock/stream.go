package bedrock

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// SummarizeStream asks the model for a plain-text summary through
// ConverseStream (sections are not streamed). It returns only once the first
// text has arrived, so that anything failing before it (throttling, access,
// timeouts) is an error here and the API can still answer with a status.
func (s *Summarizer) SummarizeStream(ctx context.Context, req summary.Request) (summary.Stream, error) {
	// Close cancels the call; the deadline is the pipeline's.
	ctx, cancel := context.WithCancel(ctx)
	var body io.ReadCloser
	_, err := s.client.ConverseStream(ctx, s.converseStreamInput(req), func(o *bedrockruntime.Options) {
		o.APIOptions = append(o.APIOptions, takeEventStream(&body, o.Protocol)) // events.go
	})
	if err == nil && body == nil {
		err = errors.New("no event stream in the response")
	}
	if err != nil {
		if body != nil {
			_ = body.Close()
		}
		err = s.classify(ctx, "converse stream", err)
		cancel()
		return nil, err
	}
	st := &stream{s: s, ctx: ctx, cancel: cancel, events: newEventStream(body)}
	first, err := st.next()
	if errors.Is(err, io.EOF) {
		err = &summary.Error{Kind: summary.KindUpstream,
			Hint: fmt.Sprintf("model %s streamed no text", s.modelID), Err: errors.New("empty answer")}
	}
	if err != nil {
		st.Close()
		return nil, err
	}
	st.pending = first
	return st, nil
}

// stream is a summary.Stream over a ConverseStream event stream, read in
// the goroutine that calls Recv (events.go): the model's text as it
// arrives, every word of it.
type stream struct {
	s      *Summarizer
	ctx    context.Context
	cancel context.CancelFunc
	events *eventStream

	pending string
	// err ends the stream: io.EOF, or its failure as a *summary.Error,
	// kept for the next call once read behind text.
	err     error
	stopped bool // the model's messageStop has arrived

	in, out   int
	closeOnce sync.Once
}

// next returns the next text delta, joined with those already arrived
// behind it, io.EOF at the end of the stream, or the stream's failure as a
// *summary.Error. It records usage from the metadata event on the way.
func (st *stream) next() (string, error) {
	for st.err == nil {
		text, err := st.read()
		if err != nil {
			st.err = err
		} else if text != "" {
			return st.ready(text), nil
		}
	}
	return "", st.err
}

// ready appends to text the text of the messages that have arrived whole
// (eventStream.buffered), without waiting for any that has not. Deltas
// that arrived together go on as one piece, through one Recv and,
// downstream, one write. The end of the stream or a failure is left for
// the next call to find.
func (st *stream) ready(text string) string {
	var joined strings.Builder // from the second text on: one buffer, not a string per join
	for st.err == nil && st.events.buffered() {
		t, err := st.read()
		if err != nil {
			st.err = err
			break
		}
		if t != "" {
			if joined.Len() == 0 {
				joined.Grow(8 * (len(text) + len(t)))
				joined.WriteString(text)
			}
			joined.WriteString(t)
		}
	}
	if joined.Len() == 0 {
		return text
	}
	return joined.String()
}

// deltaPayload and metadataPayload are what a stream reads of the
// payload of a contentBlockDelta event and of the metadata event.
type (
	deltaPayload struct {
		Delta struct {
			Text *string `json:"text"`
		} `json:"delta"`
	}
	metadataPayload struct {
		Usage *struct {
			InputTokens  int `json:"inputTokens"`
			OutputTokens int `json:"outputTokens"`
		} `json:"usage"`
	}
)

// read reads the next message and takes what it carries (take), with a
// failure classified for the API.
func (st *stream) read() (string, error) {
	text, err := st.take()
	if err != nil && !errors.Is(err, io.EOF) {
		err = st.s.classify(st.ctx, "read stream", err)
	}
	return text, err
}

// take reads the next message and takes what it carries: its text, for a
// text delta; the usage, for the metadata; the end, for messageStop. A
// message that is not an event is the stream's failure, as the SDK
// decodes it. The body's end is io.EOF after messageStop, errCut before
// it: the model's answer was cut.
func (st *stream) take() (string, error) {
	m, err := st.events.next()
	if errors.Is(err, io.EOF) && !st.stopped {
		return "", cut("before the model's messageStop", err)
	}
	if err != nil {
		return "", err
	}
	if string(m.kind) != "event" || m.name == nil {
		return "", sdkFailure(m.raw) // as the SDK reads it; an event without a type too
	}
	switch string(m.name) {
	case "contentBlockDelta":
		var p deltaPayload
		if err := json.Unmarshal(m.payload, &p); err != nil {
			return "", fmt.Errorf("decode contentBlockDelta: %w", err)
		}
		if p.Delta.Text != nil {
			return *p.Delta.Text, nil
		}
	case "metadata":
		var p metadataPayload
		if err := json.Unmarshal(m.payload, &p); err != nil {
			return "", fmt.Errorf("decode metadata: %w", err)
		}
		if p.Usage != nil {
			st.in, st.out = p.Usage.InputTokens, p.Usage.OutputTokens
		}
	case "messageStop":
		st.stopped = true
	}
	return "", nil
}

// Recv returns the next piece of text, io.EOF at the end.
func (st *stream) Recv() (string, error) {
	if text := st.pending; text != "" {
		st.pending = ""
		return text, nil
	}
	return st.next()
}

// Result returns the finished result once Recv has returned io.EOF.
func (st *stream) Result() summary.Result {
	return summary.Result{
		Model:         st.s.modelID,
		PromptVersion: st.s.prompt.Version(),
		Usage:         summary.Usage{InputTokens: st.in, OutputTokens: st.out, EstimatedCostUSD: st.s.prices.Cost(st.s.modelID, st.in, st.out)},
		Chunks:        1,
	}
}

// Close ends the Bedrock call; it is safe to call more than once.
func (st *stream) Close() error {
	st.closeOnce.Do(func() {
		st.cancel() // first: a Recv under way ends as canceled
		_ = st.events.Close()
	})
	return nil
}
