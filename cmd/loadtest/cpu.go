package main

import (
	"fmt"
	"os"
	"runtime/pprof"
	"time"
)

// cpuMeter reads the CPU time used so far by the server (pid) and by this
// process (the clients and the in-process fake), so that a phase's CPU can
// be divided among its requests. Reading it at the start and end of each
// phase keeps one round's CPU from being counted against another's
// requests.
type cpuMeter struct {
	pid int
}

// cpuReading is one reading; ok is false where /proc cannot be read.
type cpuReading struct {
	server, self time.Duration
	ok           bool
}

func (m cpuMeter) read() cpuReading {
	server, err := readCPU(m.pid)
	self, selfErr := readCPU(os.Getpid())
	return cpuReading{server: server, self: self, ok: err == nil && selfErr == nil}
}

// addCPU records the CPU used between before and after, by the server
// (when server is set: a service phase) and by this process, over n
// requests sent in the phase, the warm-up's included.
func (r *phaseReport) addCPU(before, after cpuReading, n int, server bool) {
	if !before.ok || !after.ok || n <= 0 {
		return
	}
	perRequest := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(n) }
	if server {
		r.CPUSeconds = (after.server - before.server).Seconds()
		r.CPUMsPerRequest = perRequest(after.server - before.server)
	}
	r.LoadTestCPUMsPerRequest = perRequest(after.self - before.self)
}

// startCPUProfile profiles this process into path ("" for none) until the
// returned function is called.
func startCPUProfile(path string) (stop func() error, err error) {
	if path == "" {
		return func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("create CPU profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("start CPU profile: %w", err)
	}
	return func() error {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			return fmt.Errorf("write CPU profile: %w", err)
		}
		return nil
	}, nil
}
