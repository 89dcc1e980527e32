// Command loadtest measures the service under load on this machine. It
// starts the fake Bedrock in-process and the server as a subprocess pointed
// at it, drives concurrent keep-alive clients on loopback, then reports
// requests per second, latency percentiles, the service's own overhead (from
// Server-Timing, and end to end against the fake alone), errors by status and
// the server's peak RSS. It never sends traffic off the machine and stops by
// itself. With no flags it is the headline run behind `go tool mage bench`:
//
//	go run ./cmd/loadtest                                 # steady: 500 clients, 1 s fake latency, 20 s
//	go run ./cmd/loadtest -mode burst -latency 2s         # as many requests in flight at once as fit
//	go run ./cmd/loadtest -tls                            # the fake over TLS and HTTP/2, as Bedrock
//
// See docs/performance.md for results and what they mean.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/llm-testing/llm-testing/internal/summary"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

// Modes of a run.
const (
	modeSteady = "steady" // clients loop for the duration, keep-alive
	modeBurst  = "burst"  // every client sends one request, all at once
)

// options are the parsed flags.
type options struct {
	mode            string
	clients         int
	duration        time.Duration
	warmup          time.Duration
	rounds          int // steady: service and fake-alone phases, alternating
	latency         time.Duration
	transcriptBytes int
	transcriptText  string // textCall or textAccented
	stream          bool
	tls             bool // the fake Bedrock over TLS with HTTP/2
	h2MaxStreams    int  // with tls: the fake's concurrent streams per connection; 0 for Go's 250
	serverBin       string
	baseline        bool
	logLevel        string
	jsonOut         bool
	serverEnv       []string // KEY=VALUE, last
	cpuProfile      string   // a CPU profile of this process (the clients and the fake), written at the end
	fdLimit         uint64   // the open-file limit this process runs with
}

// run is the whole program: main gives it the process's signals (as ctx),
// arguments, environment and output, and tests give it their own.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fdLimit, err := raiseFileLimit()
	if err != nil {
		fmt.Fprintf(stderr, "loadtest: cannot raise the open-file limit (%v); burst size is bounded by %d\n", err, fdLimit)
	}
	opts, err := parseFlags(args[1:], fdLimit, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if opts.mode == modeSteady {
		// Its own garbage collector runs less often: this process's memory
		// does not matter, its CPU is taken from the service it measures.
		defer debug.SetGCPercent(debug.SetGCPercent(loadTestGCPercent))
	}
	stopProfile, err := startCPUProfile(opts.cpuProfile)
	if err != nil {
		return err
	}
	rep, err := measure(ctx, opts, getenv, stderr)
	if perr := stopProfile(); err == nil {
		err = perr
	}
	if err != nil {
		return err
	}
	if opts.jsonOut {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return rep.writeText(stdout)
}

// loadTestGCPercent is this process's GOGC in steady mode, whatever GOGC
// says (that variable is passed to the server).
const loadTestGCPercent = 400

// maxTranscriptBytes is the largest transcript of text the service takes:
// summary.MaxTranscriptRune characters.
func maxTranscriptBytes(text string) int {
	if text == textAccented {
		return summary.MaxTranscriptRune / utf8.RuneCountInString(accentedWord) * len(accentedWord)
	}
	return summary.MaxTranscriptRune
}

// fdMargin is how many descriptors a run keeps for everything but the
// connections: listeners, the build, files, the runtime.
const fdMargin = 500

// maxBurst is the default burst: the "about 9,000 fit" under a
// 20,000 open-file limit.
const maxBurst = 9000

// burstBound is how many requests this process can hold in flight: each
// costs it two descriptors, the client's socket and the in-process fake's.
func burstBound(fdLimit uint64) int {
	if fdLimit <= 2*fdMargin {
		return 1
	}
	return int((fdLimit - fdMargin) / 2)
}

// parseFlags reads the command line into options: the flags, burst mode's
// own defaults for what was not set, then the checks.
func parseFlags(args []string, fdLimit uint64, stderr io.Writer) (options, error) {
	o := options{fdLimit: fdLimit}
	fs := newFlagSet(&o, stderr)
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if err := o.modeDefaults(set); err != nil {
		return o, err
	}
	return o, o.validate()
}

// newFlagSet defines the load test's flags, each parsed into o, with their
// defaults and usage written to stderr.
func newFlagSet(o *options, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.mode, "mode", modeSteady, "steady: -clients keep-alive clients loop for -duration; burst: -clients requests all in flight at once, each sent once")
	fs.IntVar(&o.clients, "clients", 500, "concurrent clients (steady) or requests in flight (burst; default min(9000, what the open-file limit allows))")
	fs.DurationVar(&o.duration, "duration", 20*time.Second, "how long clients send requests (steady)")
	fs.DurationVar(&o.warmup, "warmup", 2*time.Second, "steady: clients send for this long first, unreported (connection setup)")
	fs.IntVar(&o.rounds, "rounds", 3, "steady: rounds of the service then the fake alone (burst: 1), each -warmup plus -duration; the report gives the median and range of the rounds' end-to-end p99 over the fake, of the fake alone's p99 (the noise) and of the server's CPU per request")
	fs.DurationVar(&o.latency, "latency", time.Second, "the fake Bedrock's latency per call (burst default 2s)")
	fs.IntVar(&o.transcriptBytes, "transcript-bytes", 2048, "transcript size in bytes (a support call, repeated to size)")
	fs.StringVar(&o.transcriptText, "transcript-text", textCall, "call: a support call in ASCII; accented: \"été \" repeated (1.5 bytes a character)")
	fs.BoolVar(&o.stream, "stream", false, "use POST /api/v1/summarize/stream (no Server-Timing there: overhead is end to end only)")
	fs.BoolVar(&o.tls, "tls", false, "serve the fake Bedrock over TLS with HTTP/2, as Bedrock is (the server trusts it through AWS_CA_BUNDLE)")
	fs.IntVar(&o.h2MaxStreams, "h2-max-streams", 0, "with -tls: the fake's HTTP/2 concurrent streams per connection (default 0: the Go server's 250)")
	fs.StringVar(&o.serverBin, "server-bin", "", "a built server binary (default: go build ./cmd/server into a temporary directory)")
	fs.BoolVar(&o.baseline, "baseline", true, "also drive the fake Bedrock alone with the same clients, body and duration")
	fs.StringVar(&o.logLevel, "log-level", "warn", "the server's LOG_LEVEL (production logs at info: one line per request)")
	fs.BoolVar(&o.jsonOut, "json", false, "write the report as JSON instead of text")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the load test itself (its clients and the fake) to this file")
	fs.Func("server-env", "KEY=VALUE for the server only, after the load test's own settings (repeatable; e.g. GOMEMLIMIT=800MiB)", func(v string) error {
		if k, _, ok := strings.Cut(v, "="); !ok || k == "" {
			return fmt.Errorf("want KEY=VALUE, got %q", v)
		}
		o.serverEnv = append(o.serverEnv, v)
		return nil
	})
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: loadtest [flags]\n\nLoad-test the server against the fake Bedrock on loopback; see docs/performance.md.\n\n")
		fs.PrintDefaults()
	}
	return fs
}

// modeDefaults checks -mode and, in burst mode, sets -clients, -latency
// and -rounds to burst's own defaults unless they are in set, the flags
// given.
func (o *options) modeDefaults(set map[string]bool) error {
	switch o.mode {
	case modeSteady:
	case modeBurst:
		if !set["clients"] {
			o.clients = min(maxBurst, burstBound(o.fdLimit))
		}
		if !set["latency"] {
			o.latency = 2 * time.Second
		}
		if !set["rounds"] {
			o.rounds = 1
		}
	default:
		return fmt.Errorf("invalid -mode %q: want steady or burst", o.mode)
	}
	return nil
}

// validate checks the options against each other and the open-file limit.
func (o options) validate() error {
	switch {
	case o.clients < 1:
		return fmt.Errorf("invalid -clients %d: want at least 1", o.clients)
	case o.clients > burstBound(o.fdLimit):
		return fmt.Errorf("-clients %d needs %d open files in this process, over its limit of %d: lower -clients or raise the hard limit (ulimit -Hn)",
			o.clients, 2*o.clients+fdMargin, o.fdLimit)
	case o.mode == modeSteady && o.duration <= 0:
		return fmt.Errorf("invalid -duration %v: want more than 0", o.duration)
	case o.rounds < 1 || (o.rounds > 1 && o.mode != modeSteady):
		return fmt.Errorf("invalid -rounds %d: want 1, or more in steady mode", o.rounds)
	case o.warmup < 0:
		return fmt.Errorf("invalid -warmup %v: want 0 or more", o.warmup)
	case o.latency < 0:
		return fmt.Errorf("invalid -latency %v: want 0 or more", o.latency)
	case o.h2MaxStreams < 0 || (o.h2MaxStreams > 0 && !o.tls):
		return fmt.Errorf("invalid -h2-max-streams %d: want 0 or more, with -tls", o.h2MaxStreams)
	case o.transcriptText != textCall && o.transcriptText != textAccented:
		return fmt.Errorf("invalid -transcript-text %q: want %s or %s", o.transcriptText, textCall, textAccented)
	case o.transcriptBytes < 1 || o.transcriptBytes > maxTranscriptBytes(o.transcriptText):
		return fmt.Errorf("invalid -transcript-bytes %d: want 1 to %d for %s text", o.transcriptBytes, maxTranscriptBytes(o.transcriptText), o.transcriptText)
	}
	switch o.logLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("invalid -log-level %q: want debug, info, warn or error", o.logLevel)
	}
	return nil
}
