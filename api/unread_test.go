package api

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// writeFirst sends a POST with a body of n bytes, writing all of it before
// reading anything, as Python's urllib and SDKs like it do, and returns the
// status it then reads (or the error that stopped it).
func writeFirst(tb testing.TB, addr, key string, n int) (int, error) {
	tb.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		tb.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	head := fmt.Sprintf("POST /api/v1/summarize HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"+
		"X-API-Key: %s\r\nContent-Length: %d\r\n\r\n", key, n)
	if _, err := io.WriteString(c, head); err != nil {
		return 0, err
	}
	body := `{"transcript":"` + strings.Repeat("a", n-17) + `"}`
	if _, err := io.WriteString(c, body); err != nil {
		return 0, fmt.Errorf("write body: %w", err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return 0, fmt.Errorf("read response: %w", err)
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// TestTooLargeForWriteFirstClients: a client that writes its whole body
// before reading gets the 413 for bodies up to 64 MiB, not a reset.
func TestTooLargeForWriteFirstClients(t *testing.T) {
	ts := newTestServer(t, &fakeSummarizer{}, nil)
	srv := httptest.NewServer(ts.handler)
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	for _, n := range []int{8 << 20, 16 << 20, 64 << 20} { // past the 4 MiB default
		t.Run(fmt.Sprintf("%dMiB", n>>20), func(t *testing.T) {
			code, err := writeFirst(t, addr, testKey, n)
			if err != nil {
				t.Fatalf("%d-byte body: %v, want a 413", n, err)
			}
			if code != http.StatusRequestEntityTooLarge {
				t.Errorf("status %d, want 413", code)
			}
		})
	}
	t.Run("wrong key", func(t *testing.T) {
		code, err := writeFirst(t, addr, "not-a-key", 8<<20)
		if err != nil || code != http.StatusUnauthorized {
			t.Errorf("status %d, %v; want 401", code, err)
		}
	})
}

// TestStalledBodyAfterErrorCloses: a client answered 401 before its body,
// which then stops arriving, is disconnected within a few seconds rather
// than held for the 60 s read timeout.
func TestStalledBodyAfterErrorCloses(t *testing.T) {
	ts := newTestServer(t, &fakeSummarizer{}, nil)
	srv := httptest.NewUnstartedServer(ts.handler)
	srv.Config.ReadTimeout = time.Minute
	srv.Start()
	defer srv.Close()
	c, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "POST /api/v1/summarize HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"+
		"X-API-Key: wrong\r\nContent-Length: 100000\r\n\r\n{\"transcript\":\"")
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("status %d, want 401", resp.StatusCode)
	}
	start := time.Now()
	if _, err := br.ReadByte(); err == nil {
		t.Fatal("read more after the response; want the connection closed")
	} else if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("connection still open after %v", time.Since(start))
	}
}
