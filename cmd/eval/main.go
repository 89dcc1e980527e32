// Command eval runs an evaluation set through one or two targets (the local
// summarizer, a Bedrock model, a deployed URL, or the lead-N baseline),
// scores the summaries, writes report.json and report.md, and exits non-zero
// when a gate's thresholds are not met, so CI can block a regression.
//
// Exit status: 0 ok, 1 a gate threshold failed, 2 usage, configuration or a
// run that could not complete.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "eval:", err)
	}
	os.Exit(exitCode(err))
}

// errGate reports that the run finished but a threshold failed.
var errGate = errors.New("gate failed")

func exitCode(err error) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errGate):
		return 1
	}
	return 2
}

// isTerminal reports whether w is a character device, where a progress bar
// redrawn in place reads well.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
