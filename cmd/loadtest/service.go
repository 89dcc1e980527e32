package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// buildServer compiles the server into dir, as `go build` with the
// module's own settings would.
func buildServer(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "server")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/llm-testing/llm-testing/cmd/server")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/server: %w\n%s", err, out)
	}
	return bin, nil
}

// passThrough are the variables of this process's environment the server
// gets besides its configuration: the Go runtime's knobs, so that
// GOGC=50 go run ./cmd/loadtest measures the server with GOGC=50.
var passThrough = []string{"PATH", "HOME", "GOGC", "GOMEMLIMIT", "GOMAXPROCS", "GODEBUG"}

// service is the server running as a subprocess.
type service struct {
	base    string // http://127.0.0.1:port
	key     string
	cmd     *exec.Cmd
	logPath string
	done    chan error // the process's exit

	stopOnce sync.Once
	stopErr  error
}

// startService runs bin against the fake and waits for /health. The
// process dies with this one.
func startService(ctx context.Context, bin string, fake *fakeBedrock, o options, getenv func(string) string, dir string) (*service, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	key := "loadtest-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	return startProcess(ctx, bin, serviceEnv(port, key, fake, o, getenv, dir), port, key, dir)
}

// serviceEnv configures the server with one API key, no rate limit for it,
// MAX_INFLIGHT above what the run sends, and the fake as Bedrock (over
// TLS, trusted through AWS_CA_BUNDLE as a private CA would be).
func serviceEnv(port int, key string, fake *fakeBedrock, o options, getenv func(string) string, dir string) []string {
	env := []string{
		"PORT=" + strconv.Itoa(port),
		"SUMMARIZER=bedrock",
		"API_KEYS=" + key,
		"RATE_LIMIT_RPS=1000000",
		"RATE_LIMIT_BURST=1000000",
		"MAX_INFLIGHT=" + strconv.Itoa(max(10000, o.clients+100)),
		"LOG_LEVEL=" + o.logLevel,
		"AWS_REGION=us-east-1",
		"AWS_ACCESS_KEY_ID=x",
		"AWS_SECRET_ACCESS_KEY=y",
		"AWS_ENDPOINT_URL_BEDROCK_RUNTIME=" + fake.url,
		"AWS_EC2_METADATA_DISABLED=true",
		// No profile of the user's reaches the SDK.
		"AWS_CONFIG_FILE=" + filepath.Join(dir, "aws-config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(dir, "aws-credentials"),
	}
	if fake.caFile != "" {
		env = append(env, "AWS_CA_BUNDLE="+fake.caFile)
	}
	for _, k := range passThrough {
		if v := getenv(k); v != "" {
			env = append(env, k+"="+v)
		}
	}
	return append(env, o.serverEnv...)
}

// startProcess runs bin with env, its output to a log file in dir, and
// waits until it serves /health on port.
func startProcess(ctx context.Context, bin string, env []string, port int, key, dir string) (*service, error) {
	logPath := filepath.Join(dir, "server.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("create server log: %w", err)
	}
	defer logFile.Close() // the child has its own descriptor
	cmd := exec.Command(bin)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = logFile, logFile
	dieWithParent(cmd)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	s := &service{base: fmt.Sprintf("http://127.0.0.1:%d", port), key: key, cmd: cmd, logPath: logPath, done: make(chan error, 1)}
	go func() { s.done <- cmd.Wait() }()
	if err := s.waitHealthy(ctx, 30*time.Second); err != nil {
		_ = s.stop()
		return nil, fmt.Errorf("%w\n%s", err, s.logTail())
	}
	return s, nil
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func (s *service) waitHealthy(ctx context.Context, timeout time.Duration) error {
	client := &http.Client{Transport: newTransport(1), Timeout: time.Second}
	deadline := time.Now().Add(timeout)
	for {
		resp, err := client.Get(s.base + "/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("status %d", resp.StatusCode)
		}
		select {
		case exitErr := <-s.done:
			s.done <- exitErr
			return fmt.Errorf("server exited before serving: %v", exitErr)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("server not healthy after %v: %v", timeout, err)
		}
	}
}

// stop sends SIGTERM, waits for the drain, and kills the server if it has
// not exited in 30 s. Only the first call does anything.
func (s *service) stop() error {
	s.stopOnce.Do(func() { s.stopErr = s.terminate() })
	return s.stopErr
}

func (s *service) terminate() error {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		s.done <- err
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return fmt.Errorf("server exited with %v\n%s", err, s.logTail())
		}
		return err
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		err := <-s.done
		s.done <- err
		return fmt.Errorf("server did not stop within 30s of SIGTERM; killed")
	}
}

// logTail is the end of the server's log, for error messages.
func (s *service) logTail() string {
	b, _ := os.ReadFile(s.logPath)
	if len(b) > 4096 {
		b = b[len(b)-4096:]
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[i+1:]
		}
	}
	return "server log (" + s.logPath + "):\n" + string(b)
}

// sampler polls the server's resident set every interval and keeps the
// largest value seen.
type sampler struct {
	mu      sync.Mutex
	peak    int64
	samples int
	err     error
	stopc   chan struct{}
	done    chan struct{}
}

func sampleMemory(pid int, interval time.Duration) *sampler {
	s := &sampler{stopc: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			m, err := readMemory(pid)
			s.mu.Lock()
			if err != nil {
				s.err = err
			} else {
				s.samples++
				s.peak = max(s.peak, m.rss)
			}
			s.mu.Unlock()
			select {
			case <-s.stopc:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// stop ends sampling and returns the peak VmRSS seen.
func (s *sampler) stop() (peak int64, samples int, err error) {
	close(s.stopc)
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.peak, s.samples, s.err
}
