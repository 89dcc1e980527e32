package manifests

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// testKey is the API key the test server accepts.
const testKey = "smoke-test-key-0123456789"

// goTool returns the go command that runs this test.
func goTool(tb testing.TB) string {
	tb.Helper()
	if p := filepath.Join(runtime.GOROOT(), "bin", "go"); fileExists(p) {
		return p
	}
	p, err := exec.LookPath("go")
	if err != nil {
		tb.Fatalf("find the go command: %v", err)
	}
	return p
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// freePort returns a loopback port nobody listens on right now.
func freePort(tb testing.TB) int {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("find a free port: %v", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startServer runs the server binary on port with the local summarizer and
// returns its base URL once /health answers 200. It stops the server when
// the test ends.
func startServer(tb testing.TB, bin string, port int) string {
	tb.Helper()
	var logs bytes.Buffer
	cmd := exec.Command(bin)
	cmd.Env = []string{
		"PORT=" + strconv.Itoa(port),
		"API_KEYS=" + testKey,
		"SUMMARIZER=local",
		"DRAIN_TIMEOUT=1s",
		"LOG_FORMAT=text",
		"HOME=" + tb.TempDir(),
	}
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		tb.Fatalf("start server: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	tb.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
			tb.Errorf("server did not stop within 10s of SIGTERM")
		}
	})
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			tb.Fatalf("server exited before serving: %v\n%s", err, logs.String())
		default:
		}
		resp, err := http.Get(base + "/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	tb.Fatalf("server did not answer /health within 20s\n%s", logs.String())
	return ""
}

// runScript runs scripts/smoke-test.sh against base with key and returns
// its output and exit code.
func runScript(tb testing.TB, base, key string) (string, int) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", filepath.Join(repoRoot(tb), "scripts", "smoke-test.sh"), base)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "API_KEY=" + key, "TIMEOUT=20"}
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return string(out), 0
	case errors.As(err, &exit):
		return string(out), exit.ExitCode()
	default:
		tb.Fatalf("run smoke test: %v\n%s", err, out)
		return "", -1
	}
}

// TestAgainstServer runs the real server and checks the deployment's view
// of it: the ALB and container health checks of the manifest succeed on a
// serving task and fail on a dead one, and scripts/smoke-test.sh passes with
// a valid key and fails, saying why, with a wrong key or no server.
func TestAgainstServer(t *testing.T) {
	for _, tool := range []string{"bash", "curl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("the smoke test script needs %s, which is not on PATH", tool)
		}
	}
	if testing.Short() {
		t.Skip("builds and runs the server; skipped with -short")
	}
	bin := buildLikeDockerfile(t, "v0.0.0-smoke")
	base := startServer(t, bin, freePort(t))
	downPort := freePort(t)
	down := fmt.Sprintf("http://127.0.0.1:%d", downPort)

	t.Run("health checks", func(t *testing.T) {
		checkHealth(t, bin, base, port(t, base), downPort)
	})

	tests := []struct {
		name     string
		base     string
		key      string
		wantCode int
		wantOut  []string
	}{
		{
			name: "valid key", base: base, key: testKey, wantCode: 0,
			wantOut: []string{"ok   GET /health", "ok   POST /api/v1/summarize ", "ok   POST /api/v1/summarize (no key)", "ok   GET /openapi.json", "all checks passed"},
		},
		{
			name: "wrong key", base: base, key: "not-the-key-0123456789", wantCode: 1,
			wantOut: []string{"ok   GET /health", "FAIL POST /api/v1/summarize: status 401, want 200", "--- body:"},
		},
		{
			name: "no server", base: down, key: testKey, wantCode: 1,
			wantOut: []string{"FAIL GET /health: no response"},
		},
		{
			name: "no key", base: base, key: "", wantCode: 2,
			wantOut: []string{"API_KEY is not set"},
		},
	}
	for _, tt := range tests {
		t.Run("smoke script/"+tt.name, func(t *testing.T) {
			out, code := runScript(t, tt.base, tt.key)
			if code != tt.wantCode {
				t.Errorf("exit code = %d, want %d\n%s", code, tt.wantCode, out)
			}
			for _, want := range tt.wantOut {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q\n%s", want, out)
				}
			}
			if tt.wantCode != 0 && strings.Contains(out, "all checks passed") {
				t.Errorf("a failing run says all checks passed\n%s", out)
			}
		})
	}
}

func port(tb testing.TB, base string) int {
	tb.Helper()
	p, err := strconv.Atoi(base[strings.LastIndex(base, ":")+1:])
	if err != nil {
		tb.Fatalf("port of %s: %v", base, err)
	}
	return p
}

// checkHealth runs the manifest's two health checks against the server: the
// ALB's GET on http.healthcheck.path, and the container's command (with
// /server standing for the built binary), on the serving port and on a dead
// one.
func checkHealth(tb testing.TB, bin, base string, up, down int) {
	tb.Helper()
	svc := loadWorkspace(tb).Services["backend"]
	resp, err := http.Get(base + svc.HTTP.HealthCheck.Path)
	if err != nil {
		tb.Fatalf("GET the manifest's health path: %v", err)
	}
	resp.Body.Close()
	if got, want := strconv.Itoa(resp.StatusCode), svc.HTTP.HealthCheck.SuccessCodes; got != want {
		tb.Errorf("GET %s = %s, want the manifest's success code %s", svc.HTTP.HealthCheck.Path, got, want)
	}

	command := svc.Image.HealthCheck.Command
	if len(command) < 2 || command[0] != "CMD" || command[1] != "/server" {
		tb.Fatalf("image.healthcheck.command = %q, want CMD /server ...", command)
	}
	for _, tt := range []struct {
		port   int
		wantOK bool
	}{{up, true}, {down, false}} {
		cmd := exec.Command(bin, command[2:]...)
		cmd.Env = []string{"PORT=" + strconv.Itoa(tt.port), "SUMMARIZER=local"}
		out, err := cmd.CombinedOutput()
		if ok := err == nil; ok != tt.wantOK {
			tb.Errorf("%q on port %d: err = %v, want success %v\n%s", command[1:], tt.port, err, tt.wantOK, out)
		}
	}
}

// TestSmokeScriptKeyOffCommandLine runs scripts/smoke-test.sh against a
// stand-in service through a curl wrapper that records its arguments: the
// key must reach the service but never appear on curl's command line
// (visible to every user in ps), and its header file must be private and
// removed afterwards.
func TestSmokeScriptKeyOffCommandLine(t *testing.T) {
	realCurl, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("the smoke test script needs curl, which is not on PATH")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("the smoke test script needs bash, which is not on PATH")
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.URL.Path == "/health":
			fmt.Fprint(w, `{"status":"ok"}`)
		case r.URL.Path == "/openapi.json":
			fmt.Fprint(w, `{"openapi":"3.1.0"}`)
		case r.URL.Path == "/api/v1/summarize" && r.Header.Get("X-API-Key") == testKey:
			fmt.Fprint(w, `{"summary":"Router firmware updated."}`)
		case r.URL.Path == "/api/v1/summarize":
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"status":401}`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()

	bin := t.TempDir()
	argsLog := filepath.Join(bin, "args.log")
	modes := filepath.Join(bin, "modes.log")
	wrapper := "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\" >> " + argsLog + "\n" +
		"for a in \"$@\"; do case $a in @*) f=${a#@}; { stat -c %a \"$f\" 2>/dev/null || stat -f %Lp \"$f\"; echo \"$f\"; } >> " + modes + " ;; esac; done\n" +
		"exec " + realCurl + " \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "curl"), []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", filepath.Join(repoRoot(t), "scripts", "smoke-test.sh"), srv.URL)
	cmd.Env = []string{"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"), "API_KEY=" + testKey, "TIMEOUT=20"}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "all checks passed") {
		t.Fatalf("smoke test against the stand-in: %v\n%s", err, out)
	}
	args, err := os.ReadFile(argsLog)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(args), testKey) {
		t.Fatalf("the API key is on curl's command line:\n%s", args)
	}
	got, err := os.ReadFile(modes)
	if err != nil {
		t.Fatalf("curl was given no header file: %v", err)
	}
	lines := strings.Fields(string(got))
	if len(lines) != 2 || lines[0] != "600" {
		t.Fatalf("header file mode and path = %q, want one file of mode 600", lines)
	}
	if _, err := os.Stat(lines[1]); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("header file %s left behind (%v)", lines[1], err)
	}
}
