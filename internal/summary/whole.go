package summary

import (
	"context"
	"errors"
	"strings"
	"sync"
)

// wordsPerPiece is how many words each piece of a whole stream carries.
const wordsPerPiece = 4

// StreamWhole is SummarizeStream for a provider that writes its summary in
// one go: it runs summarize, then delivers the text in pieces of a few
// words, which joined are exactly the summary. A provider implements
// SummarizeStream as
//
//	return summary.StreamWhole(ctx, req, p.Summarize)
func StreamWhole(ctx context.Context, req Request, summarize func(context.Context, Request) (Result, error)) (Stream, error) {
	res, err := summarize(ctx, req)
	if err != nil {
		return nil, err
	}
	pieces := splitPieces(res.Summary, wordsPerPiece)
	res.Summary = ""
	return &wholeStream{ctx: ctx, pieces: pieces, res: res}, nil
}

// errClosed is returned by Recv after Close.
var errClosed = errors.New("receive from closed stream")

// wholeStream hands out precomputed pieces of a summary.
type wholeStream struct {
	ctx    context.Context
	mu     sync.Mutex
	pieces []string
	next   int
	closed bool
	res    Result
}

// Recv returns the next piece, io.EOF after the last, or the context's
// error if the caller went away.
func (st *wholeStream) Recv() (string, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.closed {
		return "", errClosed
	}
	if err := st.ctx.Err(); err != nil {
		return "", ContextError("stream summary", err)
	}
	if st.next >= len(st.pieces) {
		return "", EOF
	}
	p := st.pieces[st.next]
	st.next++
	return p, nil
}

// Result returns the provider's result without its text.
func (st *wholeStream) Result() Result {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.res
}

// Close releases the stream; it is safe to call more than once.
func (st *wholeStream) Close() error {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.closed = true
	return nil
}

// splitPieces cuts text after every n-th word and at each line end, keeping
// the whitespace that follows a word with it, so that the pieces
// concatenate to text.
func splitPieces(text string, n int) []string {
	var pieces []string
	words, start := 0, 0
	for i := 0; i < len(text); {
		j := i
		for j < len(text) && !isSpaceByte(text[j]) {
			j++
		}
		for j < len(text) && isSpaceByte(text[j]) {
			j++
		}
		if j > i && !isSpaceByte(text[i]) {
			words++
		}
		newline := strings.IndexByte(text[i:j], '\n') >= 0
		i = j
		if words == n || newline {
			pieces = append(pieces, text[start:i])
			start, words = i, 0
		}
	}
	if start < len(text) {
		pieces = append(pieces, text[start:])
	}
	return pieces
}
