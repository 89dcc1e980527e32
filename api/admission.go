package api

import (
	"github.com/llm-testing/llm-testing/internal/summary"
	"net/http"
	"sync/atomic"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
)

// The cost model of a summarize request: what it adds to the server's
// resident memory while in flight, measured with BenchmarkInFlight (200
// requests held at once, 5 s fake; docs/performance.md, "Admission by
// memory"). A request costs a fixed part (goroutine stacks deep in the AWS
// SDK, both sockets' buffers, the SDK's per-call state) and a part per
// transcript byte (the decoded string, the prompt that quotes it, the
// serialized Converse body, GC headroom), whole or streamed, in one call or
// in chunks alike.
const (
	costFixed   int64 = 170 << 10
	costPerByte int64 = 6
)

// requestCost is the memory a summarize request with a transcript of n
// bytes holds while in flight.
func requestCost(n int64) int64 { return costFixed + costPerByte*n }

// memoryBudget admits summarize requests by their estimated memory: the
// sum of the costs of the requests in flight stays within max (0 admits
// everything: MAX_INFLIGHT alone bounds them).
type memoryBudget struct {
	used atomic.Int64
	max  int64
}

// reserve takes n bytes of the budget, or reports that they do not fit.
func (b *memoryBudget) reserve(n int64) bool {
	if b.max <= 0 || n <= 0 {
		return true
	}
	if b.used.Add(n) > b.max {
		b.used.Add(-n)
		return false
	}
	return true
}

func (b *memoryBudget) release(n int64) {
	if b.max > 0 && n > 0 {
		b.used.Add(-n)
	}
}

// inUse is the memory the requests in flight are estimated to hold.
func (b *memoryBudget) inUse() int64 { return b.used.Load() }

// msgOverBudget is what a client turned away by the budget is told.
const msgOverBudget = "the service is at capacity; retry shortly"

// overBudget sheds a request the budget cannot hold: 503 with Retry-After.
func overBudget(ctx huma.Context) huma.StatusError {
	infoFrom(ctx.Context()).outcome = outcomeShed
	ctx.SetHeader("Retry-After", "1")
	return huma.Error503ServiceUnavailable(msgOverBudget)
}

// admitBySize is the guard that weighs a request before its body is read:
// by its Content-Length, or by MAX_BODY_BYTES when the length is not
// declared (a chunked upload). The reservation is held in the request's
// reqInfo, corrected by reweigh once the body is decoded, and released when
// the request ends (summarizeMiddlewares).
func (s *service) admitBySize(ctx huma.Context) huma.StatusError {
	n := s.cfg.MaxBodyBytes
	if r, _ := humago.Unwrap(ctx); r != nil && r.ContentLength >= 0 {
		n = min(r.ContentLength, n)
	}
	cost := requestCost(n)
	if !s.budget.reserve(cost) {
		return overBudget(ctx)
	}
	infoFrom(ctx.Context()).reserved = cost
	return nil
}

// reweigh corrects the request's reservation to its decoded transcript:
// a JSON body is larger than the text it carries, so this mostly gives back;
// it takes more only where the first estimate was short, and sheds the
// request if that does not fit.
func (s *service) reweigh(ri *reqInfo, transcriptBytes int) error {
	cost := requestCost(int64(transcriptBytes))
	switch d := cost - ri.reserved; {
	case d < 0:
		s.budget.release(-d)
	case d > 0 && !s.budget.reserve(d):
		ri.outcome = outcomeShed
		return huma.ErrorWithHeaders(huma.Error503ServiceUnavailable(msgOverBudget), http.Header{"Retry-After": {"1"}})
	}
	ri.reserved = cost
	return nil
}

// callBytes is the size of the call a request holds once decoded: the text
// of its turns (a document's spoken text, or a transcript's, read into
// turns), else the transcript.
func callBytes(req summary.Request) int {
	if len(req.Turns) == 0 {
		return len(req.Transcript)
	}
	n := 0
	for _, t := range req.Turns {
		n += len(t.Speaker) + len(t.Text)
	}
	return n
}
