package manifests

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// buildLikeDockerfile builds ./cmd/server into a temporary folder with the
// Dockerfile's own flags (its CGO_ENABLED, -trimpath and -ldflags, with
// version for ${VERSION}), so the tests run the binary the image would hold.
func buildLikeDockerfile(tb testing.TB, version string) string {
	tb.Helper()
	var goBuild string
	for _, in := range loadDockerfile(tb).Stages[0].Find("RUN") {
		if strings.Contains(in.Args, "go build") {
			goBuild = in.Args
		}
	}
	m := regexp.MustCompile(`-ldflags "([^"]*)"`).FindStringSubmatch(goBuild)
	if m == nil {
		tb.Fatalf("the Dockerfile's go build has no -ldflags \"...\": %q", goBuild)
	}
	ldflags := strings.ReplaceAll(m[1], "${VERSION}", version)
	args := []string{"build", "-ldflags", ldflags, "-o", filepath.Join(tb.TempDir(), "server")}
	if strings.Contains(goBuild, "-trimpath") {
		args = append(args, "-trimpath")
	}
	args = append(args, "./cmd/server")
	cmd := exec.Command(goTool(tb), args...)
	cmd.Dir = repoRoot(tb)
	cmd.Env = os.Environ()
	if strings.Contains(goBuild, "CGO_ENABLED=0") {
		cmd.Env = append(cmd.Env, "CGO_ENABLED=0")
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return args[4]
}

// TestDockerfileBuild builds the server as the Dockerfile does and checks
// the result: the version reaches main.version, and the binary is static,
// so it runs on distroless static or scratch (no libc, no loader).
func TestDockerfileBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the server; skipped with -short")
	}
	const version = "v9.8.7-dockerfile"
	bin := buildLikeDockerfile(t, version)
	out, err := exec.Command(bin, "version").CombinedOutput()
	if err != nil {
		t.Fatalf("server version: %v\n%s", err, out)
	}
	if got := strings.TrimSpace(string(out)); got != version {
		t.Errorf("server version = %q, want %q: the Dockerfile's -X flag misses main.version", got, version)
	}
	if runtime.GOOS != "linux" {
		t.Skip("the static-binary check reads ELF")
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatalf("read the binary: %v", err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("the binary asks for a dynamic loader; the final image has none (CGO_ENABLED=0)")
		}
	}
}
