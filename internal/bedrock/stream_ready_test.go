package bedrock

import (
	"context"
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
)

// eventReader is a ConverseStream reader over a channel the test fills.
type eventReader struct {
	ch chan types.ConverseStreamOutput
}

func (r eventReader) Events() <-chan types.ConverseStreamOutput { return r.ch }
func (r eventReader) Close() error                              { return nil }
func (r eventReader) Err() error                                { return nil }

func textDelta(s string) types.ConverseStreamOutput {
	return &types.ConverseStreamOutputMemberContentBlockDelta{Value: types.ContentBlockDeltaEvent{
		ContentBlockIndex: aws.Int32(0), Delta: &types.ContentBlockDeltaMemberText{Value: s}}}
}

// TestStreamJoinsDeltasReady: deltas already decoded when one is read go
// on as one piece, with the usage they carry; a delta that comes later is
// a piece of its own, so nothing waits for text that has not arrived.
func TestStreamJoinsDeltasReady(t *testing.T) {
	ch := make(chan types.ConverseStreamOutput, 8)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st := &stream{s: &Summarizer{}, ctx: ctx, cancel: cancel, es: bedrockruntime.NewConverseStreamEventStream(
		func(es *bedrockruntime.ConverseStreamEventStream) { es.Reader = eventReader{ch} })}
	ch <- &types.ConverseStreamOutputMemberMessageStart{Value: types.MessageStartEvent{Role: types.ConversationRoleAssistant}}
	ch <- textDelta("The customer")
	ch <- textDelta(" was charged")
	ch <- &types.ConverseStreamOutputMemberMetadata{Value: types.ConverseStreamMetadataEvent{
		Usage: &types.TokenUsage{InputTokens: aws.Int32(12), OutputTokens: aws.Int32(5)}}}
	ch <- textDelta(" twice.")
	if got, err := st.Recv(); err != nil || got != "The customer was charged twice." {
		t.Fatalf("first Recv = %q, %v; want the three deltas ready, joined", got, err)
	}
	if st.in != 12 || st.out != 5 {
		t.Errorf("usage %d in, %d out; want the metadata read on the way (12, 5)", st.in, st.out)
	}
	later := make(chan string)
	go func() {
		got, _ := st.Recv()
		later <- got
	}()
	ch <- textDelta(" Refunded.")
	if got := <-later; got != " Refunded." {
		t.Errorf("second Recv = %q, want the delta sent after it began", got)
	}
	close(ch)
	if _, err := st.Recv(); err != io.EOF {
		t.Errorf("Recv at the end = %v, want io.EOF", err)
	}
}
