package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// raiseFileLimit lifts this process's open-file soft limit to its hard
// limit, so that a burst can hold thousands of sockets; the server, started
// after, inherits it. It returns the limit in force.
func raiseFileLimit() (uint64, error) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return 1024, fmt.Errorf("getrlimit: %w", err)
	}
	if lim.Cur < lim.Max {
		want := lim
		want.Cur = lim.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &want); err != nil {
			return lim.Cur, fmt.Errorf("setrlimit: %w", err)
		}
		lim = want
	}
	return lim.Cur, nil
}

// dieWithParent makes the kernel kill cmd's process if this one dies first,
// so that no server outlives a killed load test.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// memory is a process's resident set: now and its high-water mark, in bytes.
type memory struct {
	rss, hwm int64
}

// readMemory reads VmRSS and VmHWM from /proc/<pid>/status.
func readMemory(pid int) (memory, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return memory{}, fmt.Errorf("read memory of process %d: %w", pid, err)
	}
	defer f.Close()
	var m memory
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok || (name != "VmRSS" && name != "VmHWM") {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		if err != nil {
			return memory{}, fmt.Errorf("parse %s of process %d: %w", name, pid, err)
		}
		if name == "VmRSS" {
			m.rss = kb << 10
		} else {
			m.hwm = kb << 10
		}
	}
	if err := sc.Err(); err != nil {
		return memory{}, fmt.Errorf("read memory of process %d: %w", pid, err)
	}
	if m.rss == 0 {
		return memory{}, fmt.Errorf("process %d: no VmRSS in /proc/%d/status", pid, pid)
	}
	return m, nil
}

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat's times: 100 on
// every Linux architecture Go supports.
const clockTicks = 100

// readCPU is a process's user plus system time so far, from
// /proc/<pid>/stat (fields 14 and 15, after the parenthesised name).
func readCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("read CPU time of process %d: %w", pid, err)
	}
	_, rest, ok := strings.Cut(string(b), ") ")
	f := strings.Fields(rest)
	if !ok || len(f) < 13 {
		return 0, fmt.Errorf("parse /proc/%d/stat: too few fields", pid)
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("parse /proc/%d/stat: bad CPU times", pid)
	}
	return time.Duration(utime+stime) * time.Second / clockTicks, nil
}

// readMachineCPU reads the first line of /proc/stat, the machine's CPU
// time in ticks by kind: user nice system idle iowait irq softirq steal
// (guest time is within user and nice, so it is not added again).
func readMachineCPU() (machineCPU, error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return machineCPU{}, fmt.Errorf("read machine CPU time: %w", err)
	}
	return parseMachineCPU(string(b))
}

func parseMachineCPU(stat string) (machineCPU, error) {
	line, _, _ := strings.Cut(stat, "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return machineCPU{}, errors.New("parse /proc/stat: no cpu line with a steal field")
	}
	var ticks [8]int64
	for i := range ticks {
		v, err := strconv.ParseInt(f[i+1], 10, 64)
		if err != nil {
			return machineCPU{}, fmt.Errorf("parse /proc/stat: field %d: %w", i+1, err)
		}
		ticks[i] = v
	}
	var total int64
	for _, t := range ticks {
		total += t
	}
	// Ticks times the length of one, not seconds over USER_HZ: a large
	// machine's ticks since boot times a second overflow int64.
	tick := func(n int64) time.Duration { return time.Duration(n) * (time.Second / clockTicks) }
	return machineCPU{total: tick(total), steal: tick(ticks[7])}, nil
}
