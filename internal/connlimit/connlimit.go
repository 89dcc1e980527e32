// Package connlimit keeps a server's open connections below the process's
// file-descriptor limit. Without it a crowd of idle keep-alive clients takes
// every descriptor: accept fails with "too many open files", and new clients,
// the container health check among them, get nothing.
//
// A Limiter caps the connections a listener accepts (golang.org/x/net's
// netutil.LimitListener: past the cap, Accept waits for one to close) and,
// through http.Server.ConnState, closes idle keep-alive connections first
// once the open count nears the cap, so that room is made for clients with
// a request to send instead of being held for those with none.
package connlimit

import (
	"container/list"
	"net"
	"net/http"
	"sync"

	"golang.org/x/net/netutil"
)

// Limiter counts a server's connections and sheds idle ones near the cap.
// Wire both halves: Listener around the server's listener, and ConnState as
// the server's ConnState hook.
type Limiter struct {
	max, soft int

	mu   sync.Mutex
	open int
	idle *list.List // of net.Conn, the longest idle first
	at   map[net.Conn]*list.Element
}

// New returns a Limiter for at most limit open connections (at least 1). Once
// 90% of them are open, a connection that goes idle is closed at once, and
// each new connection closes the longest-idle one.
func New(limit int) *Limiter {
	limit = max(limit, 1)
	return &Limiter{max: limit, soft: limit - limit/10, idle: list.New(), at: map[net.Conn]*list.Element{}}
}

// Cap is the most connections the Limiter lets be open.
func (l *Limiter) Cap() int { return l.max }

// Listener wraps ln so that it accepts at most Cap connections at once.
func (l *Limiter) Listener(ln net.Listener) net.Listener { return netutil.LimitListener(ln, l.max) }

// Open is how many connections are open now.
func (l *Limiter) Open() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.open
}

// ConnState is the http.Server.ConnState hook.
func (l *Limiter) ConnState(c net.Conn, state http.ConnState) {
	var shed []net.Conn
	l.mu.Lock()
	switch state {
	case http.StateNew:
		l.open++
		for l.open-len(shed) >= l.soft && l.idle.Len() > 0 {
			shed = append(shed, l.forget(l.idle.Front().Value.(net.Conn)))
		}
	case http.StateIdle:
		if l.open >= l.soft {
			shed = append(shed, c)
		} else if _, ok := l.at[c]; !ok {
			l.at[c] = l.idle.PushBack(c)
		}
	case http.StateActive:
		l.forget(c)
	case http.StateClosed, http.StateHijacked:
		l.forget(c)
		l.open--
	}
	l.mu.Unlock()
	// Closing makes the server's goroutine for c see an error and report
	// StateClosed, which takes the lock: close outside it.
	for _, c := range shed {
		_ = c.Close()
	}
}

// forget drops c from the idle list, if it is there, and returns it.
func (l *Limiter) forget(c net.Conn) net.Conn {
	if e, ok := l.at[c]; ok {
		l.idle.Remove(e)
		delete(l.at, c)
	}
	return c
}
