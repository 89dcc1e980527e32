package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/llm-testing/llm-testing/internal/bedrock/bedrocktest"
)

// fakeBedrock is the fake Bedrock on a loopback port, counting calls in
// flight (to tell how many requests a burst really held at once) and keeping
// the first call's path and body, which the baseline replays.
type fakeBedrock struct {
	url      string
	srv      *http.Server
	handler  http.Handler
	inflight atomic.Int64
	peak     atomic.Int64

	captured  atomic.Bool
	mu        sync.Mutex
	firstPath string
	firstBody []byte
}

func startFake(latency time.Duration) (*fakeBedrock, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen for the fake Bedrock: %w", err)
	}
	f := &fakeBedrock{url: "http://" + ln.Addr().String(), handler: bedrocktest.New(bedrocktest.Options{Latency: latency})}
	f.srv = &http.Server{Handler: f, ReadHeaderTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
	go func() { _ = f.srv.Serve(ln) }()
	return f, nil
}

func (f *fakeBedrock) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := f.inflight.Add(1)
	defer f.inflight.Add(-1)
	for p := f.peak.Load(); n > p && !f.peak.CompareAndSwap(p, n); p = f.peak.Load() {
	}
	if !f.captured.Load() {
		f.capture(r)
	}
	f.handler.ServeHTTP(w, r)
}

func (f *fakeBedrock) capture(r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.firstBody != nil {
		return
	}
	body, err := io.ReadAll(r.Body)
	if err == nil && len(body) > 0 {
		f.firstPath, f.firstBody = r.URL.EscapedPath(), body
		f.captured.Store(true)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
}

// first is the path and body of the first call the fake answered.
func (f *fakeBedrock) first() (string, []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.firstPath, f.firstBody
}

// resetPeak starts counting the peak of calls in flight afresh.
func (f *fakeBedrock) resetPeak() { f.peak.Store(f.inflight.Load()) }

func (f *fakeBedrock) close() { _ = f.srv.Close() }
