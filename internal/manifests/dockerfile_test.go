package manifests

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/llm-testing/llm-testing/internal/config"
)

func loadDockerfile(tb testing.TB) Dockerfile {
	tb.Helper()
	f, err := os.Open(filepath.Join(repoRoot(tb), "Dockerfile"))
	if err != nil {
		tb.Fatalf("open Dockerfile: %v", err)
	}
	defer f.Close()
	d, err := ParseDockerfile(f)
	if err != nil {
		tb.Fatalf("parse Dockerfile: %v", err)
	}
	return d
}

// goVersion returns go.mod's "go" line as major.minor.
func goVersion(tb testing.TB) string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(tb), "go.mod"))
	if err != nil {
		tb.Fatalf("read go.mod: %v", err)
	}
	m := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(b)
	if m == nil {
		tb.Fatal("go.mod has no go line")
	}
	return string(m[1])
}

// TestDockerfile checks the Dockerfile statically (it cannot be built here):
// a Go builder matching go.mod makes a static, trimmed, versioned binary;
// the final image is minimal, runs it as non-root on the server's port.
func TestDockerfile(t *testing.T) {
	d := loadDockerfile(t)
	if len(d.Stages) < 2 {
		t.Fatalf("%d stage(s), want a builder and a final stage", len(d.Stages))
	}
	build, final := d.Stages[0], d.Final()

	if want := "golang:" + goVersion(t); build.Image != want && !strings.HasPrefix(build.Image, want+".") && !strings.HasPrefix(build.Image, want+"-") {
		t.Errorf("builder FROM %s, want %s (go.mod's version)", build.Image, want)
	}
	var goBuild string
	for _, in := range build.Find("RUN") {
		if strings.Contains(in.Args, "go build") {
			goBuild = in.Args
		}
	}
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", "-X main.version=", "-o /server", "./cmd/server"} {
		if !strings.Contains(goBuild, want) {
			t.Errorf("builder's go build lacks %q: %q", want, goBuild)
		}
	}

	if !strings.HasPrefix(final.Image, "gcr.io/distroless/static") && final.Image != "scratch" {
		t.Errorf("final FROM %s, want distroless static or scratch", final.Image)
	}
	if final.Image == "scratch" && !slices.ContainsFunc(final.Find("COPY"), func(in Instruction) bool {
		return strings.Contains(in.Args, "ca-certificates")
	}) {
		t.Error("final stage is scratch with no CA certificates copied in")
	}
	if !slices.ContainsFunc(final.Find("COPY"), func(in Instruction) bool {
		return strings.HasPrefix(in.Args, "--from="+build.Name+" /server ") && strings.HasSuffix(in.Args, " /server")
	}) {
		t.Errorf("final stage does not copy /server from the %q stage", build.Name)
	}

	users := final.Find("USER")
	if len(users) == 0 {
		t.Error("final stage has no USER; it would run as root")
	} else if u := users[len(users)-1].Args; u == "root" || u == "0" || strings.HasPrefix(u, "0:") || strings.HasPrefix(u, "root:") {
		t.Errorf("final USER %s is root", u)
	}

	var ports []string
	for _, in := range final.Find("EXPOSE") {
		ports = append(ports, strings.Fields(in.Args)...)
	}
	if want := strconv.Itoa(config.DefaultPort); !slices.Contains(ports, want) && !slices.Contains(ports, want+"/tcp") {
		t.Errorf("EXPOSE %q, want %s (the server's default port)", ports, want)
	}

	eps := final.Find("ENTRYPOINT")
	if len(eps) == 0 {
		t.Fatal("final stage has no ENTRYPOINT")
	}
	if args, ok := eps[len(eps)-1].Exec(); !ok || !slices.Equal(args, []string{"/server"}) {
		t.Errorf("ENTRYPOINT %s, want exec form [\"/server\"] (there is no shell)", eps[len(eps)-1].Args)
	}
	for _, in := range final.Find("ENV") {
		name, _, _ := strings.Cut(in.Args, "=")
		if !slices.Contains(config.Vars, name) {
			t.Errorf("ENV %s is not read by the server", name)
		}
	}
	if cmd := final.Find("RUN"); len(cmd) > 0 {
		t.Errorf("final stage RUNs %q; it has no shell", cmd[0].Args)
	}
}

// dockerignored reports whether a .dockerignore pattern, as Docker reads it
// (relative to the root, ** for any directories), excludes path.
func dockerignored(pattern, path string) bool {
	p := strings.TrimSuffix(strings.TrimPrefix(pattern, "/"), "/")
	if rest, ok := strings.CutPrefix(p, "**/"); ok {
		for dir := path; ; {
			if ok, _ := filepath.Match(rest, dir); ok {
				return true
			}
			_, after, found := strings.Cut(dir, "/")
			if !found {
				return false
			}
			dir = after
		}
	}
	ok, _ := filepath.Match(p, path)
	return ok || strings.HasPrefix(path, p+"/")
}

// TestDockerignoreDropsBuildOutputs checks that binaries and test binaries
// left in the checkout stay out of the build context, and the commands'
// sources stay in.
func TestDockerignoreDropsBuildOutputs(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot(t), ".dockerignore"))
	if err != nil {
		t.Fatalf("read .dockerignore: %v", err)
	}
	var patterns []string
	for _, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			patterns = append(patterns, line)
		}
	}
	ignored := func(path string) bool {
		return slices.ContainsFunc(patterns, func(p string) bool { return dockerignored(p, path) })
	}
	for _, out := range []string{"server", "loadtest", "server.test", "internal/deploy/deploy.test", "bin/server", "dist/image/index.json"} {
		if !ignored(out) {
			t.Errorf(".dockerignore lets %s into the build context", out)
		}
	}
	for _, src := range []string{"cmd/server/main.go", "cmd/loadtest/main.go", "internal/deploy/deploy.go", "go.mod"} {
		if ignored(src) {
			t.Errorf(".dockerignore excludes %s, which the build needs", src)
		}
	}
}

// TestDockerignoreKeepsSources checks that .dockerignore leaves in the
// build context what `go build ./cmd/server` needs.
func TestDockerignoreKeepsSources(t *testing.T) {
	f, err := os.Open(filepath.Join(repoRoot(t), ".dockerignore"))
	if err != nil {
		t.Fatalf("open .dockerignore: %v", err)
	}
	defer f.Close()
	var patterns []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			patterns = append(patterns, strings.TrimSuffix(strings.TrimPrefix(line, "/"), "/"))
		}
	}
	for _, needed := range []string{"go.mod", "go.sum", "cmd", "api", "internal"} {
		for _, p := range patterns {
			if ok, _ := filepath.Match(p, needed); ok || p == "*" || p == "**" {
				t.Errorf(".dockerignore pattern %q excludes %s", p, needed)
			}
		}
	}
	if !slices.Contains(patterns, ".git") {
		t.Error(".dockerignore does not exclude .git")
	}
}
