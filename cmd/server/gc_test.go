package main

import (
	"math"
	"runtime/debug"
	"testing"

	"github.com/llm-testing/llm-testing/internal/memlimit"
)

func TestTuneGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	for _, tc := range []struct {
		name  string
		gogc  string // the GOGC getenv gives
		limit int64  // the runtime's memory limit
		want  int
	}{
		{"limit and no GOGC", "", 900 << 20, gcPercentUnderLimit},
		{"limit and GOGC", "50", 900 << 20, 50},
		{"no limit", "", math.MaxInt64, 100},
	} {
		t.Run(tc.name, func(t *testing.T) {
			debug.SetMemoryLimit(tc.limit)
			if tc.gogc == "50" {
				debug.SetGCPercent(50) // as the runtime would have read it
			} else {
				debug.SetGCPercent(100)
			}
			got := tuneGC(func(k string) string {
				if k == "GOGC" {
					return tc.gogc
				}
				return ""
			}, memlimit.Detect())
			if got != tc.want {
				t.Errorf("tuneGC = %d, want %d", got, tc.want)
			}
			if now := debug.SetGCPercent(100); now != tc.want {
				t.Errorf("GOGC in force %d, want %d", now, tc.want)
			}
		})
	}
}
