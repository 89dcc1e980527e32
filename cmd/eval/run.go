package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/llm-testing/llm-testing/internal/config"
	"github.com/llm-testing/llm-testing/internal/eval"
)

// options are the command line, parsed.
type options struct {
	set         string
	targets     []string
	compare     string
	judge       string
	rubric      string
	cacheDir    string
	noCache     bool
	cache       *eval.Cache
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
	fs.Func("target", "target to evaluate, repeatable (default local): local, lead[:N], longest, bedrock:<model-id>[?prompt=<file>], url:<base-url>, reference, corrupt; the first is the baseline the others are compared with", func(v string) error {
		o.targets = append(o.targets, v)
		return nil
	})
	fs.StringVar(&o.compare, "compare", "", "baseline to compare every -target with (same forms as -target); without it the first -target is the baseline")
	fs.StringVar(&o.judge, "judge", "", "LLM judge grading every summary against its call: bedrock:<model-id>")
	fs.StringVar(&o.rubric, "rubric", "", "judge rubric template file (default: the embedded rubric)")
	fs.StringVar(&o.cacheDir, "cache-dir", "dist/eval-cache", "directory of the answer cache (model targets and the judge)")
	fs.BoolVar(&o.noCache, "no-cache", false, "ask every model again; neither read nor write the cache")
	fs.StringVar(&gate, "gate", "", "thresholds on each target compared with the baseline (or the only target), e.g. rouge1>=0.30,factRecall>=0.8,faithfulness>=0.9,delta.rouge1>=-0.02, or @file.json")
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
	if len(o.targets) == 0 {
		o.targets = []string{"local"}
	}
	if o.compare != "" {
		o.targets = append([]string{o.compare}, o.targets...)
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
	if !o.noCache {
		if o.cache, err = eval.OpenCache(o.cacheDir); err != nil {
			return err
		}
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
	fmt.Fprintf(stdout, "\nwrote %s, %s and %s\n", jsonPath, mdPath, filepath.Join(o.out, "report.html"))
	return verdict(report, stderr)
}

// evaluate runs every target on items (graded by the judge when there is
// one), compares each with the first, and gates the runs.
func evaluate(ctx context.Context, o options, items []eval.Item, stderr io.Writer) (eval.Report, error) {
	report := eval.Report{Dataset: o.set, CreatedAt: time.Now().UTC(), Items: len(items)}
	var targets []eval.Target
	for _, spec := range o.targets {
		t, err := newTarget(ctx, spec, o)
		if err != nil {
			return report, fmt.Errorf("target %q: %w", spec, err)
		}
		targets = append(targets, t)
	}
	var judge eval.Judge
	if o.judge != "" {
		j, err := newJudge(ctx, o.judge, o)
		if err != nil {
			return report, fmt.Errorf("-judge: %w", err)
		}
		judge = j
		report.Judge = &eval.JudgeInfo{Name: j.Name(), RubricVersion: j.RubricVersion()}
	}
	for _, t := range targets {
		r, err := eval.Evaluate(ctx, t, items, eval.RunOptions{
			Concurrency: o.concurrency,
			Timeout:     o.timeout,
			Progress:    eval.Progress(stderr, t.Name(), isTerminal(stderr)),
			Judge:       judge,
		})
		if err != nil {
			return report, fmt.Errorf("evaluate %s: %w", t.Name(), err)
		}
		report.Runs = append(report.Runs, r)
	}
	if report.Judge != nil {
		report.Judge.CostUSD = judgeCost(report.Runs)
	}
	cmps, err := eval.CompareAll(report.Runs)
	if err != nil {
		return report, err
	}
	report.Comparisons = cmps
	if o.cache != nil {
		st := o.cache.Stats()
		report.Cache = &st
	}
	if o.gate != nil {
		report.Gate = gateRuns(o.gate, report)
	}
	return report, nil
}

// gateRuns checks the thresholds on every run compared with the baseline,
// or on the only run.
func gateRuns(th []eval.Threshold, report eval.Report) *eval.GateResult {
	if len(report.Comparisons) == 0 {
		g := eval.ApplyGate(th, report.Runs[0].Aggregate, nil)
		return &g
	}
	all := eval.GateResult{Passed: true}
	for i, c := range report.Comparisons {
		g := eval.ApplyGate(th, report.Runs[i+1].Aggregate, &c)
		for _, ch := range g.Checks {
			ch.Target = report.Runs[i+1].Target
			all.Checks = append(all.Checks, ch)
		}
		all.Passed = all.Passed && g.Passed
	}
	return &all
}

// judgeCost is the judge's estimated total over the runs, nil when one is
// unknown.
func judgeCost(runs []eval.Run) *float64 {
	total := 0.0
	for _, r := range runs {
		if r.Aggregate.JudgeCostUSD == nil {
			return nil
		}
		total += *r.Aggregate.JudgeCostUSD
	}
	return &total
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
			fmt.Fprintf(stderr, "gate: %s failed (%s)\n", strings.TrimPrefix(c.Target+" "+c.Threshold, " "), describe(c))
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
