//go:build !linux

package main

import (
	"errors"
	"os/exec"
	"time"
)

// raiseFileLimit is a no-op off Linux: the burst bound assumes a small
// limit.
func raiseFileLimit() (uint64, error) {
	return 1024, errors.New("only implemented on Linux")
}

func dieWithParent(*exec.Cmd) {}

type memory struct {
	rss, hwm int64
}

// readMemory needs /proc: off Linux the report has no memory figures.
func readMemory(int) (memory, error) {
	return memory{}, errors.New("process memory is read from /proc, which this system lacks")
}

// readCPU needs /proc too.
func readCPU(int) (time.Duration, error) {
	return 0, errors.New("process CPU time is read from /proc, which this system lacks")
}

// readMachineCPU needs /proc/stat.
func readMachineCPU() (machineCPU, error) {
	return machineCPU{}, errors.New("machine CPU time is read from /proc/stat, which this system lacks")
}
