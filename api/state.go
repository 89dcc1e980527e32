package api

import (
	"context"
	"errors"
	"net"
	"sync"
	"sync/atomic"
)

// State is the part of the server's life that the process running it
// drives: whether shutdown has begun, how many summarize requests are in
// flight (to wait for them to finish), and the context they run under, so
// that the drain deadline can end them as the server's decision.
type State struct {
	draining atomic.Bool
	inflight atomic.Int64

	once sync.Once
	base context.Context
	cut  context.CancelCauseFunc
}

// ErrDrainDeadline is the cause of a request's context ending when the
// drain timeout (DRAIN_TIMEOUT) ran out with it still in flight. Such a
// request is answered 503 with Retry-After when nothing was sent yet, and
// logged as the server's decision, not as a client that went away.
var ErrDrainDeadline = errors.New("drain timeout reached: the server is stopping")

// StartDrain marks the start of shutdown: /health answers 503 and new
// summarize requests are refused with 503 from now on.
func (s *State) StartDrain() { s.draining.Store(true) }

// Draining reports whether shutdown has begun.
func (s *State) Draining() bool { return s.draining.Load() }

// Inflight is the number of summarize requests being served.
func (s *State) Inflight() int64 { return s.inflight.Load() }

// BaseContext is for http.Server.BaseContext: every request's context
// derives from it.
func (s *State) BaseContext(net.Listener) context.Context {
	s.init()
	return s.base
}

// EndInflight ends the context of every request with ErrDrainDeadline.
func (s *State) EndInflight() {
	s.init()
	s.cut(ErrDrainDeadline)
}

func (s *State) init() {
	s.once.Do(func() { s.base, s.cut = context.WithCancelCause(context.Background()) })
}
