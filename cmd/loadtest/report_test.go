package main

import (
	"strings"
	"testing"
)

func TestBurstTarget(t *testing.T) {
	tests := []struct {
		name     string
		perReq   int64
		statuses map[string]int
		want     string
	}{
		{"within, some shed", 600 << 10, map[string]int{"200": 3, "503": 2}, ": met"},
		{"over the bytes", 1 << 20, map[string]int{"200": 5}, ": MISSED"},
		{"a body timeout", 100 << 10, map[string]int{"200": 4, "408": 1}, "(1 others): MISSED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &report{Mode: modeBurst, TranscriptBytes: 200_000, Memory: &memoryReport{PerInFlightBytes: tt.perReq}}
			r.Service.Statuses = tt.statuses
			r.Service.Errors = tt.statuses["503"] + tt.statuses["408"]
			var b strings.Builder
			r.writeTargets(&b)
			// 60 KiB + 3 x 200,000 bytes = 645.9 KiB
			if got := b.String(); !strings.Contains(got, "at most 645.9 KiB") || !strings.Contains(got, tt.want) {
				t.Errorf("writeTargets = %q, want the 645.9 KiB limit and %q", got, tt.want)
			}
		})
	}
}
