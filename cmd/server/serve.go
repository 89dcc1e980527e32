package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/llm-testing/llm-testing/api"
	"github.com/llm-testing/llm-testing/internal/auth"
	"github.com/llm-testing/llm-testing/internal/config"
	"github.com/llm-testing/llm-testing/internal/connlimit"
	"github.com/llm-testing/llm-testing/internal/memlimit"
	"github.com/llm-testing/llm-testing/internal/summarizer"
)

// serve runs the HTTP server until ctx is done, then drains: /health turns
// 503, new summarize requests get 503, requests in flight finish (up to
// DRAIN_TIMEOUT), and it returns nil.
func serve(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	stderr = &lockedWriter{w: stderr} // two loggers share it: whole lines only
	log := newLogger(cfg.LogFormat, cfg.LogLevel, stderr)
	// The per-request line carries the EMF metrics: it is written whatever
	// LOG_LEVEL says.
	access := newLogger(cfg.LogFormat, min(cfg.LogLevel, slog.LevelInfo), stderr)
	if cfg.Summarizer == config.SummarizerBedrock {
		// Every line names the prompt (PROMPT_FILE) the summaries come from.
		log = log.With("promptVersion", cfg.Prompt.Version())
		access = access.With("promptVersion", cfg.Prompt.Version())
	}
	keys, devKey, err := loadKeys(cfg)
	if err != nil {
		return err
	}
	mem := memlimit.Detect()
	cfg.MemoryBudget = cfg.AdmissionBudget(mem.Bytes)
	gogc := tuneGC(getenv, mem)
	sum, err := summarizer.New(ctx, cfg, log)
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", ":"+strconv.Itoa(cfg.Port))
	if err != nil {
		return fmt.Errorf("listen on port %d (set PORT to use another): %w", cfg.Port, err)
	}
	conns := connlimit.New(cfg.ConnLimit(descriptorLimit()))
	ln = conns.Listener(ln)
	state := new(api.State)
	srv := newHTTPServer(cfg, conns, state, log, api.NewServer(api.Deps{
		Logger: log, AccessLogger: access, Config: cfg, Summarizer: sum, SummarizerName: string(cfg.Summarizer),
		Keys: keys, Version: version, State: state,
	}))
	log.Info("serving", "addr", ln.Addr().String(), "summarizer", cfg.Summarizer, "version", version,
		"keys", keys.Len(), "max_inflight", cfg.MaxInflight, "max_conns", conns.Cap(),
		"memory_limit", mem.Bytes, "memory_limit_source", mem.Source, "memory_budget", cfg.MemoryBudget, "gogc", gogc)
	if devKey != "" {
		printDevKey(stdout, ln.Addr(), devKey)
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	return drain(srv, state, cfg.DrainTimeout, log)
}

// loadKeys parses API_KEYS. With none, the local summarizer serves with a
// development key (returned to be printed once); the bedrock one refuses
// to start, failing closed.
func loadKeys(cfg config.Config) (keys *auth.KeySet, devKey string, err error) {
	keys, err = auth.Parse(cfg.APIKeys)
	if err != nil || keys.Len() > 0 {
		return keys, "", err
	}
	if cfg.Summarizer != config.SummarizerLocal {
		return nil, "", errors.New("API_KEYS is required with SUMMARIZER=bedrock: refusing to serve a paid LLM without authentication")
	}
	devKey = auth.Generate()
	keys, err = auth.Parse(devKey)
	return keys, devKey, err
}

// newHTTPServer is the server's net/http settings around h: timeouts inside
// the load balancer's, the connection cap's hook, and request contexts that
// the drain deadline can end.
func newHTTPServer(cfg config.Config, conns *connlimit.Limiter, state *api.State, log *slog.Logger, h http.Handler) *http.Server {
	return &http.Server{
		Handler: h,
		// Idle keep-alive connections are closed first as the cap nears, so
		// the health check and clients with a request get in.
		ConnState: conns.ConnState,
		// Request contexts end with api.ErrDrainDeadline when the drain
		// times out, so those requests are answered and logged as the
		// server's decision.
		BaseContext:       state.BaseContext,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		// A summary, streamed or not, ends within the LLM budget; the margin
		// covers reading the body and writing the answer.
		WriteTimeout:   cfg.BedrockTimeout + 30*time.Second,
		IdleTimeout:    120 * time.Second, // longer than the ALB's 60 s, so the ALB closes first
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// drain keeps serving (so /health can say 503 and late requests get a
// clean 503) until no summarize request is in flight or the timeout passes,
// then shuts the server down.
func drain(srv *http.Server, state *api.State, timeout time.Duration, log *slog.Logger) error {
	start := time.Now()
	state.StartDrain()
	log.Info("draining", "inflight", state.Inflight(), "timeout", timeout.String())
	deadline := start.Add(timeout)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for state.Inflight() > 0 && time.Now().Before(deadline) {
		<-tick.C
	}
	if n := state.Inflight(); n > 0 {
		log.Warn("drain timeout reached: answering the requests still in flight 503", "inflight", n)
		state.EndInflight()
	}
	// A second for the answers to go out, then whatever is left is closed.
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		log.Warn("drain timed out; closing connections", "inflight", state.Inflight(), "error", err.Error())
		_ = srv.Close()
	}
	log.Info("stopped", "drain_ms", time.Since(start).Milliseconds())
	return nil
}

func newLogger(format string, level slog.Level, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	if format == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

func printDevKey(w io.Writer, addr net.Addr, key string) {
	port := "3000"
	if a, ok := addr.(*net.TCPAddr); ok {
		port = strconv.Itoa(a.Port)
	}
	fmt.Fprintf(w, `
No API_KEYS set: serving with a development key that lasts until this process exits.
Try it:

  curl -s http://localhost:%s/api/v1/summarize -H 'X-API-Key: %s' -H 'Content-Type: application/json' -d '{"transcript":"Agent: Thanks for calling Acme, this is Maria. Customer: I was charged twice for my March bill. Agent: I see the duplicate charge of $49.99; I will refund it today and you will get an email confirmation. Customer: Great, thank you."}'

API docs: http://localhost:%s/docs

`, port, key, port)
}

// lockedWriter serializes writes, so that loggers sharing one output never
// interleave their lines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// fallbackDescriptorLimit is assumed when the descriptor limit cannot be
// read.
const fallbackDescriptorLimit = 8192
