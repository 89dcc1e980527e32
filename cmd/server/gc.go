package main

import (
	"runtime/debug"

	"github.com/llm-testing/llm-testing/internal/memlimit"
)

// gcPercentUnderLimit is the GOGC the server runs with when GOMEMLIMIT is
// set and GOGC is not. With a memory limit the runtime collects as the heap
// nears it whatever GOGC says, so the default 100 only makes the collector
// run (and scan every goroutine stack deep in the SDK) each time a small
// heap doubles: under 500 keep-alive clients GC was a fifth of the CPU.
// At 400 a request costs 10 % less CPU whole and 25 % less streamed
// (docs/performance.md), for heap headroom the limit bounds anyway. At
// 400 both endpoints meet the 10 ms p99 over the LLM at 500 clients (5-7
// ms streamed, since streams read their own body). Higher holds more: at
// 1600, 500 streams filled the heap toward the limit (860 MiB of the
// manifest's 1 GiB), past its memory scaling target and near its rollback
// alarm.
const gcPercentUnderLimit = 400

// tuneGC sets GOGC to gcPercentUnderLimit when the runtime has a memory
// limit (mem, as memlimit.Detect read it, came from GOMEMLIMIT) and getenv
// has no GOGC, and reports the GOGC in force (-1: off).
func tuneGC(getenv func(string) string, mem memlimit.Limit) int {
	if getenv("GOGC") == "" && mem.Source == memlimit.SourceGOMEMLIMIT {
		debug.SetGCPercent(gcPercentUnderLimit)
		return gcPercentUnderLimit
	}
	p := debug.SetGCPercent(100) // read it: there is no getter
	debug.SetGCPercent(p)
	return p
}
