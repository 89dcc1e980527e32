package api

import (
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// maxLimitedKeys bounds the rate limiter's memory. Only authenticated keys
// reach it, so it holds at most the configured keys; the bound is a second
// line of defence.
const maxLimitedKeys = 10000

// keyLimiter is a token bucket per API key id.
type keyLimiter struct {
	mu      sync.Mutex
	rps     rate.Limit
	burst   int
	max     int
	buckets map[string]*rate.Limiter
}

func newKeyLimiter(rps float64, burst, maxKeys int) *keyLimiter {
	return &keyLimiter{rps: rate.Limit(rps), burst: burst, max: maxKeys, buckets: make(map[string]*rate.Limiter)}
}

// allow takes a token for key, or says how long until one is free.
func (l *keyLimiter) allow(key string) (time.Duration, bool) {
	now := time.Now()
	l.mu.Lock()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= l.max {
			l.evict(now)
		}
		b = rate.NewLimiter(l.rps, l.burst)
		l.buckets[key] = b
	}
	l.mu.Unlock()
	r := b.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return d, false
	}
	return 0, true
}

// evict makes room for a new key. It drops the buckets that are full again
// (their keys have been idle long enough that forgetting them changes
// nothing); if none is, it drops the one closest to full, so that the key
// forgotten is the one that gains least from it, never a busy one.
func (l *keyLimiter) evict(now time.Time) {
	fullest, most := "", -1.0
	for k, b := range l.buckets {
		t := b.TokensAt(now)
		if t >= float64(l.burst) {
			delete(l.buckets, k)
			continue
		}
		if t > most {
			fullest, most = k, t
		}
	}
	if len(l.buckets) >= l.max {
		delete(l.buckets, fullest)
	}
}

func (l *keyLimiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// inflight caps summarize requests in flight; past the cap they are shed at
// once rather than queued.
type inflight struct {
	n   *atomic.Int64
	max int64
}

func newInflight(n *atomic.Int64, max int) *inflight { return &inflight{n: n, max: int64(max)} }

func (f *inflight) acquire() bool {
	if f.n.Add(1) > f.max {
		f.n.Add(-1)
		return false
	}
	return true
}

func (f *inflight) release() { f.n.Add(-1) }
