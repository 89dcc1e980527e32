package main

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestIdleCrowdLeavesRoom fills the server's connection cap three times
// over with idle keep-alive clients (one GET /health each, then silence, as
// the crowd that once took every descriptor did): the health check and a
// summarize with a valid key are still answered. 300 idle clients and their
// server ends hold at most 400 files in this process.
func TestIdleCrowdLeavesRoom(t *testing.T) {
	const limit = 100
	base, _, _, stop := startServer(t, map[string]string{"API_KEYS": "conn-key-0123456789", "MAX_CONNS": "100"})
	defer stop()
	addr := strings.TrimPrefix(base, "http://")
	var crowd []net.Conn
	for i := range 3 * limit {
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			t.Fatalf("client %d: %v", i, err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(5 * time.Second))
		io.WriteString(c, "GET /health HTTP/1.1\r\nHost: test\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatalf("idle client %d was not answered: %v", i, err)
		}
		resp.Body.Close()
		crowd = append(crowd, c)
	}
	open := 0
	for _, c := range crowd {
		c.SetReadDeadline(time.Now().Add(10 * time.Millisecond))
		var ne net.Error
		if _, err := c.Read(make([]byte, 1)); errors.As(err, &ne) && ne.Timeout() {
			open++
		}
	}
	if open > limit {
		t.Errorf("the server holds %d idle connections, MAX_CONNS=%d", open, limit)
	}
	c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := c.Get(base + "/health")
	if err != nil {
		t.Fatalf("health with a crowd of idle clients: %v", err)
	}
	resp.Body.Close()
	req, _ := http.NewRequest("POST", base+"/api/v1/summarize", strings.NewReader(`{"transcript":"Agent: Hello. Customer: My bill doubled this month."}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-API-Key", "conn-key-0123456789")
	resp, err = c.Do(req)
	if err != nil {
		t.Fatalf("summarize with a crowd of idle clients: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("summarize: %d, want 200", resp.StatusCode)
	}
}
