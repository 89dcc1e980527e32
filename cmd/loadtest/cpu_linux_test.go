package main

import (
	"testing"
	"time"
)

func TestParseMachineCPU(t *testing.T) {
	const tick = time.Second / clockTicks
	tests := []struct {
		name        string
		stat        string
		total, stea time.Duration
		wantErr     bool
	}{
		{"a firecracker guest", "cpu  1338405 12307 277436 1722641 29360 0 16692 123099 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n",
			(1338405 + 12307 + 277436 + 1722641 + 29360 + 16692 + 123099) * tick, 123099 * tick, false},
		{"guest time is not counted twice", "cpu  10 0 0 10 0 0 0 5 7 3\n", 25 * tick, 5 * tick, false},
		{"an old kernel without steal", "cpu  1 2 3 4 5 6 7\n", 0, 0, true},
		{"not the cpu line", "intr 1 2 3 4 5 6 7 8 9\n", 0, 0, true},
		{"a field that is not a number", "cpu  1 2 3 x 5 6 7 8 0 0\n", 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseMachineCPU(tt.stat)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if !tt.wantErr && (got.total != tt.total || got.steal != tt.stea) {
				t.Errorf("got total %v steal %v, want %v and %v", got.total, got.steal, tt.total, tt.stea)
			}
		})
	}
}

func TestReadMachineCPU(t *testing.T) {
	m, err := readMachineCPU()
	if err != nil {
		t.Fatal(err)
	}
	if m.total <= 0 || m.steal < 0 || m.steal > m.total {
		t.Errorf("machine CPU %+v", m)
	}
}

// TestParseMachineCPUBigMachine: ticks since boot of a big machine up for
// long do not overflow (64 CPUs, a year: 2e11 ticks).
func TestParseMachineCPUBigMachine(t *testing.T) {
	got, err := parseMachineCPU("cpu  200000000000 0 0 0 0 0 0 1000 0 0\n")
	if err != nil {
		t.Fatal(err)
	}
	if want := 200000001000 * (time.Second / clockTicks); got.total != want {
		t.Errorf("total %v, want %v", got.total, want)
	}
}
