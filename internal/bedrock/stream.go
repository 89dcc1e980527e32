package bedrock

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// SummarizeStream asks the model for a plain-text summary through
// ConverseStream (sections are not streamed). It returns only once the first
// text has arrived, so that anything failing before it (throttling, access,
// timeouts) is an error here and the API can still answer with a status.
func (s *Summarizer) SummarizeStream(ctx context.Context, req summary.Request) (summary.Stream, error) {
	// Close cancels the call; the deadline is the pipeline's.
	ctx, cancel := context.WithCancel(ctx)
	var body *arrival
	resp, err := s.client.ConverseStream(ctx, s.converseStreamInput(req), func(o *bedrockruntime.Options) {
		o.APIOptions = append(o.APIOptions, watchArrival(&body))
	})
	if err != nil {
		err = s.classify(ctx, "converse stream", err)
		cancel()
		return nil, err
	}
	st := &stream{s: s, ctx: ctx, cancel: cancel, es: resp.GetStream(), body: body}
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

// stream is a summary.Stream over a ConverseStream event stream: the
// model's text as it arrives, every word of it.
type stream struct {
	s      *Summarizer
	ctx    context.Context
	cancel context.CancelFunc
	es     *bedrockruntime.ConverseStreamEventStream
	// body is the response body as the SDK reads it (arrival.go); nil if
	// it could not be watched.
	body *arrival

	pending  string
	done     bool
	received int64 // events received from the SDK

	in, out   int
	closeOnce sync.Once
}

// next returns the next text delta, joined with those already decoded
// behind it, io.EOF at the end of the stream, or the stream's failure as a
// *summary.Error. It records usage from the metadata event on the way.
func (st *stream) next() (string, error) {
	for {
		var ev types.ConverseStreamOutput
		var ok bool
		select {
		case ev, ok = <-st.es.Events():
		case <-st.ctx.Done():
			return "", st.s.classify(st.ctx, "read stream", st.ctx.Err())
		}
		if !ok {
			if err := st.es.Err(); err != nil {
				return "", st.s.classify(st.ctx, "read stream", err)
			}
			return "", io.EOF
		}
		if text := st.record(ev); text != "" {
			return st.ready(text), nil
		}
	}
}

// ready appends to text the text of the events that have arrived: those
// the SDK has decoded, and those whose messages have arrived whole but are
// still on their way through the SDK (arrival.go), without waiting for any
// that has not arrived. Deltas that arrived together go on as one piece,
// through one Recv and, downstream, one write. The end of the stream or a
// failure is left for the next call to find.
func (st *stream) ready(text string) string {
	events := st.es.Events()
	var joined strings.Builder // from the second text on: one buffer, not a string per join
	done := func() string {
		if joined.Len() == 0 {
			return text
		}
		return joined.String()
	}
	for {
		var ev types.ConverseStreamOutput
		var ok bool
		if st.body.arrived() > st.received { // on its way through the SDK
			select {
			case ev, ok = <-events:
			case <-st.ctx.Done():
				return done()
			}
		} else {
			select {
			case ev, ok = <-events:
			default:
				return done()
			}
		}
		if !ok {
			return done()
		}
		if t := st.record(ev); t != "" {
			if joined.Len() == 0 {
				joined.Grow(8 * (len(text) + len(t)))
				joined.WriteString(text)
			}
			joined.WriteString(t)
		}
	}
}

// record counts an event received and takes what it carries: its text, for
// a text delta, or the usage, for the metadata.
func (st *stream) record(ev types.ConverseStreamOutput) string {
	st.received++
	switch e := ev.(type) {
	case *types.ConverseStreamOutputMemberContentBlockDelta:
		if t, ok := e.Value.Delta.(*types.ContentBlockDeltaMemberText); ok {
			return t.Value
		}
	case *types.ConverseStreamOutputMemberMetadata:
		if u := e.Value.Usage; u != nil {
			st.in, st.out = int(aws.ToInt32(u.InputTokens)), int(aws.ToInt32(u.OutputTokens))
		}
	}
	return ""
}

// Recv returns the next piece of text, io.EOF at the end.
func (st *stream) Recv() (string, error) {
	if st.done {
		return "", io.EOF
	}
	if text := st.pending; text != "" {
		st.pending = ""
		return text, nil
	}
	text, err := st.next()
	if errors.Is(err, io.EOF) {
		st.done = true
	}
	return text, err
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
		_ = st.es.Close()
		st.cancel()
	})
	return nil
}
