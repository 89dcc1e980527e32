package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/llm-testing/llm-testing/internal/config"
	"github.com/llm-testing/llm-testing/internal/eval"
)

// options are the command line, parsed.
type options struct {
	set         string
	target      string
	compare     string
	gate        []eval.Threshold
	concurrency int
	out         string
	key         string
	timeout     time.Duration
	redact      bool
	logger      *slog.Logger
	setOptions
}

func parseFlags(args []string, getenv func(string) string, stderr io.Writer) (options, error) {
	o := options{logger: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	var gate string
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.set, "set", "testdata/eval/calls.jsonl", "evaluation set, JSONL, one call a line")
	fs.StringVar(&o.target, "target", "local", "target to evaluate: local, lead[:N], longest, bedrock:<model-id> or url:<base-url>")
	fs.StringVar(&o.compare, "compare", "", "second target to compare against (same forms as -target)")
	fs.StringVar(&gate, "gate", "", "thresholds on -target, e.g. rouge1>=0.30,factRecall>=0.8,compliance>=1,delta.rouge1>=-0.02, or @file.json")
	fs.IntVar(&o.concurrency, "concurrency", 4, "items in flight at once per target")
	fs.StringVar(&o.out, "out", "dist/eval", "directory for report.json and report.md")
	fs.StringVar(&o.key, "key", "", "API key for url: targets (default $API_KEY)")
	fs.DurationVar(&o.timeout, "timeout", 2*time.Minute, "time limit per item")
	o.setOptions.register(fs)
	fs.BoolVar(&o.redact, "redact", config.DefaultRedactPII, "redact PII in process as the service does (local, lead and bedrock targets)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: eval [flags]\n\nScores summaries of an evaluation set. Exit 0 ok, 1 gate failed, 2 usage or run error.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q: eval takes flags only", fs.Arg(0))
	}
	if o.concurrency < 1 || o.concurrency > 64 {
		return o, fmt.Errorf("-concurrency %d: want 1..64", o.concurrency)
	}
	if o.key == "" {
		o.key = getenv("API_KEY")
	}
	if gate != "" {
		th, err := eval.ParseGate(gate)
		if err != nil {
			return o, fmt.Errorf("-gate: %w", err)
		}
		o.gate = th
	}
	return o, nil
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	items, err := eval.LoadSet(o.set)
	if err != nil {
		return err
	}
	if items, err = o.apply(items); err != nil {
		return fmt.Errorf("-split or -max-length: %w", err)
	}
	report, err := evaluate(ctx, o, items, stderr)
	if err != nil {
		return err
	}
	if err := report.Table(stdout); err != nil {
		return fmt.Errorf("print table: %w", err)
	}
	jsonPath, mdPath, err := report.Write(o.out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nwrote %s and %s\n", jsonPath, mdPath)
	return verdict(report, stderr)
}

// evaluate runs -target, and -compare when given, on items, and compares
// and gates the runs.
func evaluate(ctx context.Context, o options, items []eval.Item, stderr io.Writer) (eval.Report, error) {
	report := eval.Report{Dataset: o.set, CreatedAt: time.Now().UTC(), Items: len(items)}
	specs := []string{o.target}
	if o.compare != "" {
		specs = append(specs, o.compare)
	}
	var targets []eval.Target
	for _, spec := range specs {
		t, err := newTarget(ctx, spec, o)
		if err != nil {
			return report, fmt.Errorf("target %q: %w", spec, err)
		}
		targets = append(targets, t)
	}
	for _, t := range targets {
		r, err := eval.Evaluate(ctx, t, items, eval.RunOptions{
			Concurrency: o.concurrency,
			Timeout:     o.timeout,
			Progress:    eval.Progress(stderr, t.Name(), isTerminal(stderr)),
		})
		if err != nil {
			return report, fmt.Errorf("evaluate %s: %w", t.Name(), err)
		}
		report.Runs = append(report.Runs, r)
	}
	if len(report.Runs) == 2 {
		c, err := eval.Compare(report.Runs[0], report.Runs[1])
		if err != nil {
			return report, err
		}
		report.Comparison = &c
	}
	if o.gate != nil {
		g := eval.ApplyGate(o.gate, report.Runs[0].Aggregate, report.Comparison)
		report.Gate = &g
	}
	return report, nil
}

// verdict is the run's outcome: an error when a target failed every item,
// errGate when the gate failed (each failed check said on stderr).
func verdict(report eval.Report, stderr io.Writer) error {
	for _, r := range report.Runs {
		if r.Aggregate.Items > 0 && r.Aggregate.Errors == r.Aggregate.Items {
			return fmt.Errorf("target %s failed every item, first: %s", r.Target, r.Items[0].Error)
		}
	}
	if g := report.Gate; g != nil && !g.Passed {
		for _, c := range g.Failed() {
			fmt.Fprintf(stderr, "gate: %s failed (%s)\n", c.Threshold, describe(c))
		}
		return errGate
	}
	return nil
}

func describe(c eval.Check) string {
	if c.Reason != "" {
		return c.Reason
	}
	return fmt.Sprintf("got %.4g", c.Value)
}
