// Package memlimit finds how much memory this process may use: the Go
// runtime's soft limit (GOMEMLIMIT) when one is set, else the container's
// limit from its cgroup (v2 memory.max, or v1 memory.limit_in_bytes).
package memlimit

import (
	"io/fs"
	"math"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// Source says where a Limit came from.
type Source string

// The sources, in the order Detect tries them.
const (
	SourceGOMEMLIMIT Source = "GOMEMLIMIT"
	SourceCgroupV2   Source = "cgroup v2 memory.max"
	SourceCgroupV1   Source = "cgroup v1 memory.limit_in_bytes"
	SourceNone       Source = "none"
)

// Limit is the memory the process may use, in bytes (0 when there is no
// limit), and where that figure came from.
type Limit struct {
	Bytes  int64
	Source Source
}

// The cgroup files, relative to /sys/fs/cgroup, that hold the limit.
const (
	cgroupV2File = "memory.max"
	cgroupV1File = "memory/memory.limit_in_bytes"
)

// unlimitedV1 is the smallest cgroup v1 limit taken as none: the kernel
// writes "no limit" as the largest page-aligned int64.
const unlimitedV1 = 1 << 62

// Detect reads the process's limit: GOMEMLIMIT (as the runtime holds it,
// whether set by the variable or by debug.SetMemoryLimit), else the cgroup's.
func Detect() Limit {
	return detect(debug.SetMemoryLimit(-1), os.DirFS("/sys/fs/cgroup"))
}

// detect is Detect with the runtime's limit (math.MaxInt64 for none) and
// the cgroup filesystem given.
func detect(goLimit int64, cgroup fs.FS) Limit {
	if goLimit > 0 && goLimit < math.MaxInt64 {
		return Limit{Bytes: goLimit, Source: SourceGOMEMLIMIT}
	}
	if b, ok := readLimit(cgroup, cgroupV2File); ok {
		return Limit{Bytes: b, Source: SourceCgroupV2}
	}
	if b, ok := readLimit(cgroup, cgroupV1File); ok {
		return Limit{Bytes: b, Source: SourceCgroupV1}
	}
	return Limit{Source: SourceNone}
}

// readLimit reads a cgroup limit file: a byte count, or "max" (v2) or a
// huge number (v1) for none.
func readLimit(cgroup fs.FS, name string) (int64, bool) {
	raw, err := fs.ReadFile(cgroup, name)
	if err != nil {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(raw)), 10, 64)
	if err != nil || n <= 0 || n >= unlimitedV1 {
		return 0, false
	}
	return n, true
}
