package deploy

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// Version returns `git describe --tags --always --dirty` in dir, or "dev"
// when git cannot tell (no git, no commits).
func Version(ctx context.Context, dir string) string {
	v, err := git(ctx, dir, "describe", "--tags", "--always", "--dirty")
	if err != nil || v == "" {
		return "dev"
	}
	return v
}

// Revision returns the full commit id of HEAD in dir.
func Revision(ctx context.Context, dir string) (string, error) {
	return git(ctx, dir, "rev-parse", "HEAD")
}

// ShortRevision returns the short commit id of HEAD in dir, the image tag.
func ShortRevision(ctx context.Context, dir string) (string, error) {
	return git(ctx, dir, "rev-parse", "--short", "HEAD")
}

// CommitTime returns the committer time of HEAD in dir, the image's
// creation time: the same commit gives the same time wherever it is built.
func CommitTime(ctx context.Context, dir string) (time.Time, error) {
	s, err := git(ctx, dir, "log", "-1", "--format=%ct")
	if err != nil {
		return time.Time{}, err
	}
	sec, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("read commit time %q: %w", s, err)
	}
	return time.Unix(sec, 0).UTC(), nil
}

func git(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("run git %s: %w: %s", strings.Join(args, " "), err, firstLine(stderr.String()))
	}
	return strings.TrimSpace(string(out)), nil
}

// BuildOptions says how to build the server binary.
type BuildOptions struct {
	// Dir is the repository root.
	Dir string
	// GOOS and GOARCH cross-compile when set.
	GOOS, GOARCH string
	// Output is the binary's path, relative to Dir or absolute.
	Output string
	// Version is stamped into main.version.
	Version string
}

// BuildServer builds a static, trimmed cmd/server with its version stamped,
// streaming the compiler's output to w.
func BuildServer(ctx context.Context, w io.Writer, o BuildOptions) error {
	ldflags := "-s -w -X main.version=" + o.Version
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags", ldflags, "-o", o.Output, "./cmd/server")
	cmd.Dir = o.Dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if o.GOOS != "" {
		cmd.Env = append(cmd.Env, "GOOS="+o.GOOS)
	}
	if o.GOARCH != "" {
		cmd.Env = append(cmd.Env, "GOARCH="+o.GOARCH)
	}
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("build server %s/%s: %w", o.GOOS, o.GOARCH, err)
	}
	return nil
}

// Go runs the go command in dir with args, streaming its output; the thin
// targets (test, run, spec, bench, eval) are this.
func Go(ctx context.Context, con Console, dir string, args ...string) error {
	return Run(ctx, con, dir, nil, "go", args...)
}

// Run runs a program in dir with extra environment variables, streaming its
// output to the console.
func Run(ctx context.Context, con Console, dir string, env []string, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = con.In, con.Out, con.Err
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("run %s %s: %w", name, strings.Join(args, " "), err)
	}
	return nil
}
