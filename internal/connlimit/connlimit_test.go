package connlimit

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// serve runs an HTTP server with l on a loopback port and returns its
// address.
func serve(tb testing.TB, l *Limiter) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	srv := &http.Server{
		Handler:   http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") }),
		ConnState: l.ConnState,
	}
	go srv.Serve(l.Listener(ln))
	tb.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// idleClient opens a connection, makes one keep-alive request on it and
// leaves it open, as a pooled HTTP client does.
func idleClient(tb testing.TB, addr string) net.Conn {
	tb.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: test\r\n\r\n"); err != nil {
		tb.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		tb.Fatalf("request on a fresh connection: %v", err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return c
}

// closed reports whether the server has closed c.
func closed(c net.Conn) bool {
	c.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
	_, err := c.Read(make([]byte, 1))
	var ne net.Error
	return err != nil && !(errors.As(err, &ne) && ne.Timeout())
}

// waitOpen waits until the limiter counts at most n open connections.
func waitOpen(tb testing.TB, l *Limiter, n int) {
	tb.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for l.Open() > n {
		if time.Now().After(deadline) {
			tb.Fatalf("%d connections open, want at most %d", l.Open(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestIdleConnectionsMakeRoom holds three times the cap in idle keep-alive
// connections: every one of them was answered, the server never held more
// than the cap, and a new client still gets in.
func TestIdleConnectionsMakeRoom(t *testing.T) {
	const limit = 20
	l := New(limit)
	addr := serve(t, l)
	var conns []net.Conn
	for range 3 * limit {
		conns = append(conns, idleClient(t, addr))
		if n := l.Open(); n > limit {
			t.Fatalf("%d connections open, cap %d", n, limit)
		}
	}
	waitOpen(t, l, limit-limit/10)
	open := 0
	for _, c := range conns {
		if !closed(c) {
			open++
		}
	}
	if open > limit {
		t.Errorf("%d idle connections still open, cap %d", open, limit)
	}
	if open == 0 {
		t.Error("every idle connection was closed; those under the cap should stay")
	}
	idleClient(t, addr)
}

// TestUnderSoftCapKeepsIdle: below 90% of the cap nothing is closed.
func TestUnderSoftCapKeepsIdle(t *testing.T) {
	l := New(100)
	addr := serve(t, l)
	var conns []net.Conn
	for range 50 {
		conns = append(conns, idleClient(t, addr))
	}
	for i, c := range conns {
		if closed(c) {
			t.Fatalf("connection %d closed with 50 of 100 open", i)
		}
	}
	if got, want := l.Open(), 50; got != want {
		t.Errorf("Open = %d, want %d", got, want)
	}
}

// TestCapHoldsWithBusyConnections: connections that never go idle cannot be
// shed, and the listener accepts no more than the cap of them.
func TestCapHoldsWithBusyConnections(t *testing.T) {
	const limit = 10
	l := New(limit)
	addr := serve(t, l)
	var conns []net.Conn
	for range limit + 5 {
		// Connected, no request sent: StateNew, never idle.
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns = append(conns, c)
	}
	time.Sleep(100 * time.Millisecond)
	if got := l.Open(); got != limit {
		t.Errorf("Open = %d with %d silent clients, want the cap %d", got, len(conns), limit)
	}
	// Closing one lets one waiting client in.
	conns[0].Close()
	deadline := time.Now().Add(5 * time.Second)
	for l.Open() != limit {
		if time.Now().After(deadline) {
			t.Fatalf("Open = %d after one closed, want %d", l.Open(), limit)
		}
		time.Sleep(time.Millisecond)
	}
}

// pipeConn is one end of a net.Pipe that records whether it was closed.
type pipeConn struct {
	net.Conn
	closed bool
}

func (c *pipeConn) Close() error { c.closed = true; return c.Conn.Close() }

// TestShedsLongestIdleFirst drives ConnState as the server does: near the
// cap a new connection closes the longest-idle one, and a connection going
// idle is closed at once; a busy connection is never closed.
func TestShedsLongestIdleFirst(t *testing.T) {
	l := New(10) // sheds from 9 open
	var conns []*pipeConn
	add := func() *pipeConn {
		a, b := net.Pipe()
		t.Cleanup(func() { a.Close(); b.Close() })
		c := &pipeConn{Conn: a}
		conns = append(conns, c)
		l.ConnState(c, http.StateNew)
		return c
	}
	for range 8 {
		c := add()
		l.ConnState(c, http.StateActive)
		l.ConnState(c, http.StateIdle)
	}
	l.ConnState(conns[1], http.StateActive) // busy: not sheddable
	for i, c := range conns {
		if c.closed {
			t.Fatalf("conn %d closed with 8 of 10 open", i)
		}
	}
	ninth := add()
	if !conns[0].closed {
		t.Error("the longest-idle connection was not closed when the ninth came")
	}
	for i, c := range conns[1:] {
		if c.closed {
			t.Errorf("conn %d closed; only the longest-idle one should be", i+1)
		}
	}
	l.ConnState(ninth, http.StateActive)
	l.ConnState(ninth, http.StateIdle) // 9 open (the shed one not yet reported closed)
	if !ninth.closed {
		t.Error("a connection going idle at the soft cap was kept")
	}
	l.ConnState(conns[0], http.StateClosed)
	l.ConnState(ninth, http.StateClosed)
	if got, want := l.Open(), 7; got != want {
		t.Errorf("Open = %d, want %d", got, want)
	}
	add()
	add() // 9 open again: sheds the longest idle, skipping the busy one
	if conns[1].closed || !conns[2].closed {
		t.Errorf("busy conn closed %v, longest idle closed %v; want false, true", conns[1].closed, conns[2].closed)
	}
}
