package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// target is what a phase sends: one loopback URL, one body, its headers.
type target struct {
	url    string
	body   []byte
	header http.Header
}

// sample is one request's outcome.
type sample struct {
	latency time.Duration
	status  int    // 0 for a transport error
	errKind string // with status 0
	total   float64
	llm     float64 // Server-Timing, ms; -1 when absent
}

// newTransport keeps one connection per client alive and dials loopback
// only.
func newTransport(clients int) *http.Transport {
	return &http.Transport{
		DialContext:         dialLoopback,
		MaxIdleConns:        0,
		MaxIdleConnsPerHost: clients,
		MaxConnsPerHost:     0,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
		// One socket per request in flight: HTTP/1.1 (fakeBedrock.transport
		// turns HTTP/2 on for the baseline over TLS).
		ForceAttemptHTTP2: false,
	}
}

var dialer = &net.Dialer{Timeout: 30 * time.Second, KeepAlive: -1}

// dialLoopback refuses any address that is not a loopback IP: this program
// must never put load on anything but this machine.
func dialLoopback(ctx context.Context, network, addr string) (net.Conn, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("refusing to dial %s: the load test sends to loopback addresses only", addr)
	}
	return dialer.DialContext(ctx, network, addr)
}

// send makes one request and reads the whole answer.
func send(ctx context.Context, client *http.Client, t target) sample {
	start := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.url, bytes.NewReader(t.body))
	if err != nil {
		return sample{status: 0, errKind: "bad request: " + err.Error(), total: -1, llm: -1}
	}
	req.Header = t.header.Clone()
	resp, err := client.Do(req)
	if err != nil {
		return sample{latency: time.Since(start), errKind: errKind(err), total: -1, llm: -1}
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	s := sample{latency: time.Since(start), status: resp.StatusCode, total: -1, llm: -1}
	if err != nil {
		s.status, s.errKind = 0, "reading body: "+errKind(err)
	}
	s.total, s.llm = serverTiming(resp.Header.Get("Server-Timing"))
	return s
}

// serverTiming reads "total;dur=12.5, llm;dur=10.1"; -1 for what is absent.
func serverTiming(h string) (total, llm float64) {
	total, llm = -1, -1
	for _, metric := range strings.Split(h, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(metric), ";")
		for _, p := range strings.Split(params, ";") {
			v, ok := strings.CutPrefix(strings.TrimSpace(p), "dur=")
			if !ok {
				continue
			}
			d, err := strconv.ParseFloat(v, 64)
			if err != nil {
				continue
			}
			switch name {
			case "total":
				total = d
			case "llm":
				llm = d
			}
		}
	}
	return total, llm
}

// errKind names a transport error briefly, for the errors table.
func errKind(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	case errors.Is(err, syscall.EMFILE), errors.Is(err, syscall.ENFILE):
		return "too many open files"
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return "no free local port"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection closed (EOF)"
	}
	msg := err.Error()
	if len(msg) > 80 {
		msg = msg[:80] + "..."
	}
	return msg
}

// phase is one load phase's samples and wall time.
type phase struct {
	samples []sample
	elapsed time.Duration // from the first request's start to the last one's end
	// peak is the most requests sent and not yet answered at once.
	peak int64
	// warmup is how many requests were sent and left out of samples.
	warmup int
	// cold are the samples of requests started during the warm-up.
	cold []sample
}

// gauge counts requests in flight and keeps the peak.
type gauge struct {
	n, peak atomic.Int64
}

func (g *gauge) send(ctx context.Context, client *http.Client, t target) sample {
	n := g.n.Add(1)
	for p := g.peak.Load(); n > p && !g.peak.CompareAndSwap(p, n); p = g.peak.Load() {
	}
	defer g.n.Add(-1)
	return send(ctx, client, t)
}

// steady runs clients loops, each sending one request after another for
// warmup and then duration; requests in flight then finish. Requests started
// during the warm-up (connection setup, the first calls through the SDK)
// are sent but left out of the figures, unless they failed.
//
// Client i starts stagger*i/clients after the first, so that requests
// arrive spread evenly over the stagger (one fake latency) and not all at
// once: clients started together stay bunched, each bunch queues for the
// CPU behind itself, and the p99 then measures that queue, whose length
// changes from run to run with how the bunch happens to form.
func steady(ctx context.Context, client *http.Client, t target, clients int, stagger, warmup, duration time.Duration) phase {
	begin := time.Now()
	start := begin.Add(warmup)
	deadline := start.Add(duration)
	per := make([][]sample, clients)
	cold := make([][]sample, clients)
	warm := make([]int, clients)
	var g gauge
	var wg sync.WaitGroup
	for i := range clients {
		wg.Go(func() {
			if !sleepUntil(ctx, begin.Add(stagger*time.Duration(i)/time.Duration(clients))) {
				return
			}
			for now := time.Now(); now.Before(deadline) && ctx.Err() == nil; now = time.Now() {
				s := g.send(ctx, client, t)
				if now.Before(start) {
					cold[i] = append(cold[i], s)
				}
				if now.Before(start) && s.status == http.StatusOK {
					warm[i]++ // errors count, warm-up or not
					continue
				}
				per[i] = append(per[i], s)
			}
		})
	}
	wg.Wait()
	n := 0
	for _, w := range warm {
		n += w
	}
	return phase{samples: concat(per), elapsed: time.Since(start), peak: g.peak.Load(), warmup: n, cold: concat(cold)}
}

// sleepUntil waits until t; it reports false if ctx ended first.
func sleepUntil(ctx context.Context, t time.Time) bool {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err() == nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// burst sends n requests at once, each once: all goroutines are ready
// before the first request goes.
func burst(ctx context.Context, client *http.Client, t target, n int) phase {
	out := make([]sample, n)
	gate := make(chan struct{})
	var g gauge
	var ready, wg sync.WaitGroup
	ready.Add(n)
	for i := range n {
		wg.Go(func() {
			ready.Done()
			<-gate
			out[i] = g.send(ctx, client, t)
		})
	}
	ready.Wait()
	start := time.Now()
	close(gate)
	wg.Wait()
	return phase{samples: out, elapsed: time.Since(start), peak: g.peak.Load()}
}

func concat(per [][]sample) []sample {
	n := 0
	for _, s := range per {
		n += len(s)
	}
	out := make([]sample, 0, n)
	for _, s := range per {
		out = append(out, s...)
	}
	return out
}
