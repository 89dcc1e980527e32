package summary

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"
)

// transcript returns n turns alternating Agent and Customer, each about
// words words long.
func transcript(n, words int) string {
	var b strings.Builder
	for i := range n {
		who := "Agent"
		if i%2 == 1 {
			who = "Customer"
		}
		fmt.Fprintf(&b, "%s: turn %d%s.\n", who, i, strings.Repeat(" word", words))
	}
	return b.String()
}

func TestSplitTurns(t *testing.T) {
	tests := []struct {
		name       string
		transcript string
		maxTokens  int
		wantChunks int // 0: more than one, exact count not asserted
	}{
		{"fits", transcript(4, 5), 1000, 1},
		{"no limit", transcript(400, 50), 0, 1},
		{"turns", transcript(40, 20), 100, 0},
		{"one huge turn", "Agent: " + strings.Repeat("This is a sentence. ", 500), 100, 0},
		{"one huge sentence", "Agent: " + strings.Repeat("word ", 2000), 100, 0},
		{"one huge word", strings.Repeat("é", 5000), 100, 0},
		{"no labels", strings.Repeat("Just talking here. ", 300), 50, 0},
		{"spaces the cut does not cut at", strings.Repeat("a\vb\fc\u00a0d\u2003e ", 400), 20, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			chunks := SplitTurns(tt.transcript, tt.maxTokens)
			if got := strings.Join(chunks, ""); got != tt.transcript {
				t.Fatalf("chunks joined differ from the transcript (%d vs %d bytes)", len(got), len(tt.transcript))
			}
			if tt.wantChunks != 0 && len(chunks) != tt.wantChunks {
				t.Fatalf("got %d chunks, want %d", len(chunks), tt.wantChunks)
			}
			if tt.wantChunks == 0 && len(chunks) < 2 {
				t.Fatalf("got %d chunks, want several", len(chunks))
			}
			if tt.maxTokens <= 0 {
				return
			}
			for i, c := range chunks {
				if got := EstimateTokens(c); got > tt.maxTokens {
					t.Errorf("chunk %d has %d tokens, over %d", i, got, tt.maxTokens)
				}
			}
		})
	}
}

func TestSplitTurnsCutsBetweenTurns(t *testing.T) {
	chunks := SplitTurns(transcript(40, 20), 100)
	for i, c := range chunks {
		if !strings.HasPrefix(c, "Agent:") && !strings.HasPrefix(c, "Customer:") {
			t.Errorf("chunk %d starts mid-turn: %.30q", i, c)
		}
	}
}

func TestChunkedBoundsConcurrency(t *testing.T) {
	var inflight, peak, calls atomic.Int32
	f := &fakeSummarizer{SummarizeFunc: func(ctx context.Context, req Request) (Result, error) {
		calls.Add(1)
		n := inflight.Add(1)
		defer inflight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(30 * time.Millisecond)
		return Result{Summary: "Short part summary.", Chunks: 1}, nil
	}}
	tr := transcript(8, 90) // 8 turns of ~100 tokens each
	if n := len(SplitTurns(tr, 120)); n != 8 {
		t.Fatalf("setup: %d chunks, want 8", n)
	}
	res, err := Chunked(f, 120, 4).Summarize(context.Background(), Request{ID: "r", Transcript: tr, MaxLength: 50})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := peak.Load(), int32(4); got != want {
		t.Errorf("peak concurrent calls = %d, want %d", got, want)
	}
	if got, want := calls.Load(), int32(9); got != want {
		t.Errorf("calls = %d, want %d (8 chunks + 1 combine)", got, want)
	}
	if got, want := res.Chunks, 8; got != want {
		t.Errorf("Chunks = %d, want %d", got, want)
	}
}

func TestChunkedMerges(t *testing.T) {
	cost := func(v float64) *float64 { return &v }
	var mu sync.Mutex
	var combineText string
	f := &fakeSummarizer{SummarizeFunc: func(_ context.Context, req Request) (Result, error) {
		if strings.HasSuffix(req.ID, "-combine") {
			mu.Lock()
			combineText = req.Transcript
			mu.Unlock()
			return Result{Summary: "All done.", Sentiment: SentimentMixed, Resolution: ResolutionResolved,
				KeyPoints: []string{"from combine"}, Usage: Usage{InputTokens: 5, OutputTokens: 1, EstimatedCostUSD: cost(0.5)}}, nil
		}
		return Result{Summary: "Part " + req.ID + ".", Sentiment: SentimentNegative,
			KeyPoints:   []string{"refund issued", "Refund issued "},
			ActionItems: []ActionItem{{Owner: OwnerAgent, Description: "send label"}},
			Usage:       Usage{InputTokens: 10, OutputTokens: 2, EstimatedCostUSD: cost(1)}}, nil
	}}
	tr := transcript(6, 90)
	req := Request{ID: "r", Transcript: tr, MaxLength: 50, Sections: []Section{SectionKeyPoints, SectionActionItems, SectionSentiment}}
	res, err := Chunked(f, 120, 2).Summarize(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.Chunks, 6; got != want {
		t.Errorf("Chunks = %d, want %d", got, want)
	}
	if got, want := res.Usage.InputTokens, 65; got != want {
		t.Errorf("InputTokens = %d, want %d", got, want)
	}
	if res.Usage.EstimatedCostUSD == nil || *res.Usage.EstimatedCostUSD != 6.5 {
		t.Errorf("EstimatedCostUSD = %v, want 6.5", res.Usage.EstimatedCostUSD)
	}
	if got, want := strings.Join(res.KeyPoints, "|"), "refund issued"; got != want {
		t.Errorf("KeyPoints = %q, want %q", got, want)
	}
	if got, want := len(res.ActionItems), 1; got != want {
		t.Errorf("ActionItems = %d, want %d", got, want)
	}
	if got, want := res.Sentiment, SentimentMixed; got != want {
		t.Errorf("Sentiment = %q, want %q (from the combining call)", got, want)
	}
	for i := 1; i <= 6; i++ {
		if want := fmt.Sprintf("Part r-part%d.", i); !strings.Contains(combineText, want) {
			t.Errorf("combine text lacks %q", want)
		}
	}
}

func TestChunkedFirstErrorCancelsTheRest(t *testing.T) {
	boom := &Error{Kind: KindThrottled, Err: errors.New("slow down")}
	f := &fakeSummarizer{SummarizeFunc: func(ctx context.Context, req Request) (Result, error) {
		if req.ID == "r-part1" {
			return Result{}, boom
		}
		<-ctx.Done() // the others only end when canceled
		return Result{}, ctx.Err()
	}}
	_, err := Chunked(f, 120, 4).Summarize(context.Background(), Request{ID: "r", Transcript: transcript(8, 90)})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the first chunk's error", err)
	}
	if got, want := KindOf(err), KindThrottled; got != want {
		t.Errorf("KindOf = %v, want %v", got, want)
	}
}

func TestChunkedShortTranscriptPassesThrough(t *testing.T) {
	f := &fakeSummarizer{SummarizeFunc: func(_ context.Context, req Request) (Result, error) {
		return Result{Summary: req.Transcript, Chunks: 1}, nil
	}}
	res, err := Chunked(f, 1000, 4).Summarize(context.Background(), Request{Transcript: "Agent: hi."})
	if err != nil {
		t.Fatal(err)
	}
	if res.Summary != "Agent: hi." || res.Chunks != 1 {
		t.Errorf("got %+v, want the transcript passed through whole", res)
	}
}

func TestChunkedStream(t *testing.T) {
	cost := func(v float64) *float64 { return &v }
	f := &fakeSummarizer{
		SummarizeFunc: func(context.Context, Request) (Result, error) {
			return Result{Summary: "Part.", Usage: Usage{InputTokens: 10, EstimatedCostUSD: cost(0.25)}}, nil
		},
		StreamFunc: func(_ context.Context, req Request) (Stream, error) {
			if !strings.HasSuffix(req.ID, "-combine") {
				return nil, fmt.Errorf("stream for %s, want only the combining call", req.ID)
			}
			return &sliceStream{deltas: []string{"All ", "done."}, res: Result{Usage: Usage{InputTokens: 1, EstimatedCostUSD: cost(0.5)}}}, nil
		},
	}
	st, err := Chunked(f, 120, 4).SummarizeStream(context.Background(), Request{ID: "r", Transcript: transcript(8, 90)})
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := st.Recv(); err != nil {
			break
		}
	}
	res := st.Result()
	if got, want := res.Chunks, 8; got != want {
		t.Errorf("Chunks = %d, want %d", got, want)
	}
	if got, want := res.Usage.InputTokens, 81; got != want {
		t.Errorf("InputTokens = %d, want %d", got, want)
	}
	if c := res.Usage.EstimatedCostUSD; c == nil || *c != 2.5 {
		t.Errorf("EstimatedCostUSD = %v, want 8×0.25 + 0.5 = 2.5", c)
	}
}

// TestChunkedTurnsShare: the chunks of a call in turns carry its turns and
// no text copy of them, and a turn too long for one call is cut into
// trimmed substrings of its own text.
func TestChunkedTurnsShare(t *testing.T) {
	long := strings.Repeat("été ", 3000)
	turns := []Turn{{Speaker: "Agent", Role: RoleAgent, Text: "hello"}, {Speaker: "Sam", Role: RoleCustomer, Text: long}}
	var mu sync.Mutex
	var parts []Request
	f := &fakeSummarizer{SummarizeFunc: func(_ context.Context, req Request) (Result, error) {
		mu.Lock()
		defer mu.Unlock()
		parts = append(parts, req)
		return Result{Summary: "ok"}, nil
	}}
	if _, err := Chunked(f, 2000, 1).Summarize(context.Background(), Request{ID: "r", Turns: turns, MaxLength: 50}); err != nil {
		t.Fatal(err)
	}
	chunks := 0
	for _, p := range parts {
		if p.Turns == nil { // the combining call
			continue
		}
		chunks++
		if p.Transcript != "" {
			t.Errorf("chunk %s carries a transcript of %d bytes, want none", p.ID, len(p.Transcript))
		}
		for _, tn := range p.Turns {
			if tn.Text != strings.TrimSpace(tn.Text) {
				t.Errorf("chunk %s: turn text %.20q... is not trimmed", p.ID, tn.Text)
			}
			start := uintptr(unsafe.Pointer(unsafe.StringData(long)))
			at := uintptr(unsafe.Pointer(unsafe.StringData(tn.Text)))
			if tn.Speaker == "Sam" && (at < start || at+uintptr(len(tn.Text)) > start+uintptr(len(long))) {
				t.Errorf("chunk %s: a piece of the long turn is a copy, not a substring of it", p.ID)
			}
		}
	}
	if chunks < 3 {
		t.Errorf("%d chunks, want the long turn cut in several", chunks)
	}
}
