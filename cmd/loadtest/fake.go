package main

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/llm-testing/llm-testing/internal/bedrock/bedrocktest"
)

// fakeBedrock is the fake Bedrock on a loopback port, counting calls in
// flight (to tell how many requests a burst really held at once) and by
// protocol, and keeping the first call's path and body, which the baseline
// replays.
type fakeBedrock struct {
	url      string
	handler  http.Handler
	inflight atomic.Int64
	peak     atomic.Int64
	// protos counts calls by r.ProtoMajor (1 or 2; 0 for anything else).
	protos [3]atomic.Int64
	// Connections accepted, open now and at most at once; the server's own
	// error log (refused accepts, failed handshakes), counted.
	accepted, open, peakOpen atomic.Int64
	errLog                   errorLog
	close                    func()

	// With TLS: the certificate's roots (for the baseline's client) and the
	// PEM file holding it (the server's AWS_CA_BUNDLE).
	roots  *x509.CertPool
	caFile string

	captured  atomic.Bool
	mu        sync.Mutex
	firstPath string
	firstBody []byte
}

// fakeTLS says how the fake serves: plain HTTP/1.1 when off, else HTTPS
// offering HTTP/2 as Bedrock does, with at most maxStreams concurrent
// streams per connection (0: the Go server's default, 250).
type fakeTLS struct {
	on         bool
	maxStreams int
}

// startFake serves the fake on 127.0.0.1, with TLS writing its certificate
// into dir.
func startFake(latency time.Duration, t fakeTLS, dir string) (*fakeBedrock, error) {
	// Memo: the load test sends one body over and over, and the fake's own
	// work on it (parsing, the answer, its encoding) would otherwise take
	// CPU from the service it measures.
	f := &fakeBedrock{handler: bedrocktest.New(bedrocktest.Options{Latency: latency, Memo: true})}
	if t.on {
		return f, f.startTLS(t.maxStreams, dir)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen for the fake Bedrock: %w", err)
	}
	srv := &http.Server{Handler: f, ReadHeaderTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
	f.instrument(srv)
	go func() { _ = srv.Serve(ln) }()
	f.url, f.close = "http://"+ln.Addr().String(), func() { _ = srv.Close() }
	return f, nil
}

// startTLS serves the fake with httptest's certificate (for 127.0.0.1)
// and HTTP/2, and writes the certificate as PEM into dir.
func (f *fakeBedrock) startTLS(maxStreams int, dir string) error {
	srv := httptest.NewUnstartedServer(f) // listens on 127.0.0.1:0
	srv.EnableHTTP2 = true
	if maxStreams > 0 {
		srv.Config.HTTP2 = &http.HTTP2Config{MaxConcurrentStreams: maxStreams}
	}
	f.instrument(srv.Config)
	srv.StartTLS()
	f.url, f.close = srv.URL, srv.Close
	cert := srv.Certificate()
	f.roots = x509.NewCertPool()
	f.roots.AddCert(cert)
	f.caFile = filepath.Join(dir, "fake-bedrock-ca.pem")
	if err := os.WriteFile(f.caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}), 0o600); err != nil {
		srv.Close()
		return fmt.Errorf("write the fake Bedrock's certificate: %w", err)
	}
	return nil
}

// instrument counts srv's connections and error log lines.
func (f *fakeBedrock) instrument(srv *http.Server) {
	srv.ErrorLog = log.New(&f.errLog, "", 0)
	srv.ConnState = func(_ net.Conn, st http.ConnState) {
		switch st {
		case http.StateNew:
			f.accepted.Add(1)
			n := f.open.Add(1)
			for p := f.peakOpen.Load(); n > p && !f.peakOpen.CompareAndSwap(p, n); p = f.peakOpen.Load() {
			}
		case http.StateClosed, http.StateHijacked:
			f.open.Add(-1)
		}
	}
}

// errorLog counts the lines an http.Server logs and keeps the first of a
// phase: thousands of "TLS handshake error" lines say one thing.
type errorLog struct {
	mu    sync.Mutex
	n     int
	first string
}

func (l *errorLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.n == 0 {
		l.first = strings.TrimSpace(string(p))
	}
	l.n++
	return len(p), nil
}

func (l *errorLog) take() (int, string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n, first := l.n, l.first
	l.n, l.first = 0, ""
	return n, first
}

// transport is a client transport for the fake alone, as newTransport, and
// over TLS trusting the fake and speaking HTTP/2 like the server's SDK.
func (f *fakeBedrock) transport(clients int) *http.Transport {
	t := newTransport(clients)
	if f.roots != nil {
		t.TLSClientConfig = &tls.Config{RootCAs: f.roots, MinVersion: tls.VersionTLS12}
		t.ForceAttemptHTTP2 = true
	}
	return t
}

func (f *fakeBedrock) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := f.inflight.Add(1)
	defer f.inflight.Add(-1)
	for p := f.peak.Load(); n > p && !f.peak.CompareAndSwap(p, n); p = f.peak.Load() {
	}
	if m := r.ProtoMajor; m == 1 || m == 2 {
		f.protos[m].Add(1)
	} else {
		f.protos[0].Add(1)
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

// reset starts counting peaks, protocols, connections and errors afresh,
// for a new phase.
func (f *fakeBedrock) reset() {
	f.peak.Store(f.inflight.Load())
	for i := range f.protos {
		f.protos[i].Store(0)
	}
	f.accepted.Store(0)
	f.peakOpen.Store(f.open.Load())
	f.errLog.take()
}

// fakeStats is what the fake saw in one phase.
type fakeStats struct {
	// Protocols counts calls by protocol: "HTTP/1.x" or "HTTP/2".
	Protocols map[string]int64 `json:"protocols"`
	// ConnsAccepted and PeakConns are the connections the fake accepted
	// and the most open at once.
	ConnsAccepted int64 `json:"connsAccepted"`
	PeakConns     int64 `json:"peakConns"`
	// ServerErrors counts the fake's http.Server error log lines (refused
	// accepts, failed TLS handshakes); FirstServerError is the first.
	ServerErrors     int    `json:"serverErrors,omitempty"`
	FirstServerError string `json:"firstServerError,omitempty"`
}

// stats is what the fake saw since the last reset.
func (f *fakeBedrock) stats() *fakeStats {
	s := &fakeStats{Protocols: map[string]int64{}, ConnsAccepted: f.accepted.Load(), PeakConns: f.peakOpen.Load()}
	for i, name := range []string{"other", "HTTP/1.x", "HTTP/2"} {
		if n := f.protos[i].Load(); n > 0 {
			s.Protocols[name] = n
		}
	}
	s.ServerErrors, s.FirstServerError = f.errLog.take()
	return s
}
