package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/llm-testing/llm-testing/internal/awsenv"
	"github.com/llm-testing/llm-testing/internal/bedrock"
	"github.com/llm-testing/llm-testing/internal/config"
	"github.com/llm-testing/llm-testing/internal/eval"
	"github.com/llm-testing/llm-testing/internal/local"
	"github.com/llm-testing/llm-testing/internal/summary"
)

// newTarget builds the target a spec names: local, lead[:N],
// bedrock:<model-id> or url:<base-url>.
func newTarget(ctx context.Context, spec string, o options) (eval.Target, error) {
	kind, arg, _ := strings.Cut(spec, ":")
	switch kind {
	case "local":
		if arg != "" {
			return nil, errors.New("local takes no argument")
		}
		return inProcess("local", local.New(), o), nil
	case "lead":
		n := 0
		if arg != "" {
			v, err := strconv.Atoi(arg)
			if err != nil || v < 1 {
				return nil, fmt.Errorf("lead:%s: want a positive word count", arg)
			}
			n = v
		}
		name := "lead"
		if n > 0 {
			name = fmt.Sprintf("lead:%d", n)
		}
		return inProcess(name, eval.Lead{N: n}, o), nil
	case "bedrock":
		if arg == "" {
			return nil, errors.New("bedrock needs a model id: bedrock:<model-id>")
		}
		cfg, err := awsenv.Load(ctx)
		if err != nil {
			return nil, fmt.Errorf("load aws config: %w", err)
		}
		// Long calls are split as the service splits them (CHUNK_TOKENS's
		// default), within the same time budget.
		s := bedrock.New(cfg, bedrock.Options{ModelID: arg, Logger: o.logger}).Pipeline(config.DefaultChunkTokens)
		return inProcess("bedrock:"+arg, s, o), nil
	case "url":
		return eval.NewURLTarget(arg, o.key, nil)
	}
	return nil, fmt.Errorf("unknown target kind %q, want local, lead[:N], bedrock:<model-id> or url:<base-url>", kind)
}

// inProcess wraps a summarizer the way the service does: PII redaction when
// asked for, and the maxLength guarantee.
func inProcess(name string, s summary.Summarizer, o options) eval.Target {
	return eval.NewSummarizerTarget(name, summary.WithGuarantees(s, o.redact))
}
