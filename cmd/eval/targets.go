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

// newTarget builds the target a spec names: local, lead[:N], longest,
// bedrock:<model-id> or url:<base-url>.
func newTarget(ctx context.Context, spec string, o options) (eval.Target, error) {
	kind, arg, _ := strings.Cut(spec, ":")
	switch kind {
	case "local":
		if arg != "" {
			return nil, errors.New("local takes no argument")
		}
		return inProcess("local", local.New(), o, 0), nil
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
		return inProcess(name, eval.Lead{N: n}, o, 0), nil
	case "longest":
		if arg != "" {
			return nil, errors.New("longest takes no argument")
		}
		return inProcess("longest", eval.Longest{}, o, 0), nil
	case "bedrock":
		if arg == "" {
			return nil, errors.New("bedrock needs a model id: bedrock:<model-id>")
		}
		cfg, err := awsenv.Load(ctx)
		if err != nil {
			return nil, fmt.Errorf("load aws config: %w", err)
		}
		// Long calls are split as the service splits them (CHUNK_TOKENS's
		// default).
		p := bedrock.New(cfg, bedrock.Options{ModelID: arg, Logger: o.logger})
		return inProcess("bedrock:"+arg, p, o, config.DefaultChunkTokens), nil
	case "url":
		return eval.NewURLTarget(arg, o.key, nil)
	}
	return nil, fmt.Errorf("unknown target kind %q, want local, lead[:N], longest, bedrock:<model-id> or url:<base-url>", kind)
}

// inProcess runs provider p in the service's pipeline, with the service's
// defaults (config.Default) for the time budget and chunking; chunkTokens 0
// never splits. PII is redacted when -redact says so.
func inProcess(name string, p summary.Summarizer, o options, chunkTokens int) eval.Target {
	return eval.NewSummarizerTarget(name, p, summary.Policy{
		Timeout:       config.Default().BedrockTimeout,
		RedactPII:     o.redact,
		ChunkTokens:   chunkTokens,
		ChunkParallel: config.DefaultChunkParallel,
	})
}
