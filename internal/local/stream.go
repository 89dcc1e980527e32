package local

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// wordsPerPiece is how many words each streamed piece carries.
const wordsPerPiece = 4

// SummarizeStream computes the summary as Summarize does, then delivers its
// text in pieces of a few words. The pieces joined are exactly the summary.
func (s *Summarizer) SummarizeStream(ctx context.Context, req summary.Request) (summary.Stream, error) {
	res, err := s.Summarize(ctx, req)
	if err != nil {
		return nil, err
	}
	pieces := split(res.Summary, wordsPerPiece)
	res.Summary = ""
	return &stream{ctx: ctx, pieces: pieces, res: res}, nil
}

// errClosed is returned by Recv after Close.
var errClosed = errors.New("receive from closed stream")

// stream hands out precomputed pieces of a summary.
type stream struct {
	ctx    context.Context
	mu     sync.Mutex
	pieces []string
	next   int
	closed bool
	res    summary.Result
}

// Recv returns the next piece, io.EOF after the last, or the context's
// error if the caller went away.
func (st *stream) Recv() (string, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.closed {
		return "", errClosed
	}
	if err := st.ctx.Err(); err != nil {
		return "", ctxError(err)
	}
	if st.next >= len(st.pieces) {
		return "", io.EOF
	}
	p := st.pieces[st.next]
	st.next++
	return p, nil
}

// Result returns the model, usage, truncation and sections; Summary is empty.
func (st *stream) Result() summary.Result {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.res
}

// Close releases the stream; it is safe to call more than once.
func (st *stream) Close() error {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.closed = true
	return nil
}

// split cuts text after every n-th word and at each line end, keeping the
// whitespace that follows a word with it, so that the pieces concatenate
// to text.
func split(text string, n int) []string {
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

func isSpaceByte(c byte) bool { return strings.IndexByte(" \t\n\r", c) >= 0 }
