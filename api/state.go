package api

import "sync/atomic"

// State is the part of the server's life that the process running it
// drives: whether shutdown has begun, and how many summarize requests are in
// flight (to wait for them to finish).
type State struct {
	draining atomic.Bool
	inflight atomic.Int64
}

// StartDrain marks the start of shutdown: /health answers 503 and new
// summarize requests are refused with 503 from now on.
func (s *State) StartDrain() { s.draining.Store(true) }

// Draining reports whether shutdown has begun.
func (s *State) Draining() bool { return s.draining.Load() }

// Inflight is the number of summarize requests being served.
func (s *State) Inflight() int64 { return s.inflight.Load() }
