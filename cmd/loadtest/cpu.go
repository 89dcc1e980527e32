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

// cpuReading is one reading; ok is false where /proc cannot be read. machine
// is the whole machine's CPU time so far (/proc/stat), where machineOK.
type cpuReading struct {
	server, self time.Duration
	ok           bool
	machine      machineCPU
	machineOK    bool
}

func (m cpuMeter) read() cpuReading {
	server, err := readCPU(m.pid)
	self, selfErr := readCPU(os.Getpid())
	machine, machineErr := readMachineCPU()
	return cpuReading{server: server, self: self, ok: err == nil && selfErr == nil, machine: machine, machineOK: machineErr == nil}
}

// machineCPU is the machine's CPU time so far, over all its CPUs: in total
// and stolen, the time a virtual machine's CPUs were ready to run and the
// host ran something else. Steal is invisible in the load average and in
// every process's CPU time; on a shared host it is what makes one round's
// p99 ten times another's.
type machineCPU struct {
	total, steal time.Duration
}

// stealPercent is the share of the machine's CPU time stolen between two
// readings.
func stealPercent(before, after machineCPU) float64 {
	total := after.total - before.total
	if total <= 0 {
		return 0
	}
	return 100 * float64(after.steal-before.steal) / float64(total)
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
	if before.machineOK && after.machineOK {
		steal := stealPercent(before.machine, after.machine)
		r.StealPercent = &steal
	}
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
