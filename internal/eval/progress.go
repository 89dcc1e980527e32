package eval

import (
	"fmt"
	"io"
	"strings"
)

// Progress returns a RunOptions.Progress callback that reports on w: a bar
// redrawn in place when w is a terminal, otherwise a line every ten items and
// at the end.
func Progress(w io.Writer, label string, terminal bool) func(done, total int) {
	const width = 30
	return func(done, total int) {
		if !terminal {
			if done%10 == 0 || done == total {
				fmt.Fprintf(w, "%s: %d/%d\n", label, done, total)
			}
			return
		}
		filled := width
		if total > 0 {
			filled = done * width / total
		}
		fmt.Fprintf(w, "\r%s [%s%s] %d/%d", label, strings.Repeat("=", filled), strings.Repeat(" ", width-filled), done, total)
		if done == total {
			fmt.Fprintln(w)
		}
	}
}
