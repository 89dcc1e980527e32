package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/llm-testing/llm-testing/internal/awsenv"
	"github.com/llm-testing/llm-testing/internal/bedrock"
	"github.com/llm-testing/llm-testing/internal/config"
	"github.com/llm-testing/llm-testing/internal/eval"
	"github.com/llm-testing/llm-testing/internal/local"
	"github.com/llm-testing/llm-testing/internal/prompt"
	"github.com/llm-testing/llm-testing/internal/summary"
)

// newTarget builds the target a spec names: local, lead[:N], longest,
// bedrock:<model-id>[?prompt=<file>], url:<base-url>, reference or corrupt.
// Targets that call a model (bedrock, url) answer from the cache when
// o.cache is set; the in-process ones cost nothing and depend on the code,
// so they always run.
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
		model, tpl, err := bedrockSpec(arg)
		if err != nil {
			return nil, err
		}
		cfg, err := awsenv.Load(ctx)
		if err != nil {
			return nil, fmt.Errorf("load aws config: %w", err)
		}
		// Long calls are split as the service splits them (CHUNK_TOKENS's
		// default).
		p := bedrock.New(cfg, bedrock.Options{ModelID: model, Logger: o.logger, Prompt: tpl})
		t := inProcess(spec, p, o, config.DefaultChunkTokens)
		return o.cached(t, fmt.Sprintf("bedrock|%s|prompt=%s|redact=%t|chunk=%d", model, tpl.Version(), o.redact, config.DefaultChunkTokens)), nil
	case "url":
		t, err := eval.NewURLTarget(arg, o.key, nil)
		if err != nil {
			return nil, err
		}
		return o.cached(t, "url|"+arg), nil
	case "reference":
		return eval.ReferenceTarget{}, nil
	case "corrupt":
		return eval.CorruptTarget{}, nil
	}
	return nil, fmt.Errorf("unknown target kind %q, want local, lead[:N], longest, bedrock:<model-id>[?prompt=<file>], url:<base-url>, reference or corrupt", kind)
}

// bedrockSpec reads <model-id>[?prompt=<file>]: the model, and the summary
// prompt (the embedded default without prompt=), validated as PROMPT_FILE
// is.
func bedrockSpec(arg string) (string, *prompt.Template, error) {
	model, query, _ := strings.Cut(arg, "?")
	if model == "" {
		return "", nil, errors.New("bedrock needs a model id: bedrock:<model-id>[?prompt=<file>]")
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return "", nil, fmt.Errorf("bedrock:%s: %w", arg, err)
	}
	tpl := prompt.DefaultSummary()
	for k := range q {
		if k != "prompt" {
			return "", nil, fmt.Errorf("bedrock:%s: unknown option %q, want prompt=<file>", arg, k)
		}
	}
	if path := q.Get("prompt"); path != "" {
		if tpl, err = prompt.LoadSummary(path); err != nil {
			return "", nil, fmt.Errorf("prompt %s: %w", path, err)
		}
	}
	return model, tpl, nil
}

// cached wraps t in the cache under id, when there is a cache.
func (o options) cached(t eval.Target, id string) eval.Target {
	if o.cache == nil {
		return t
	}
	return eval.NewCachedTarget(t, id, o.cache)
}

// newJudge builds the judge -judge names: bedrock:<model-id>, with the
// rubric -rubric names (the embedded default when empty).
func newJudge(ctx context.Context, spec string, o options) (eval.Judge, error) {
	model, ok := strings.CutPrefix(spec, "bedrock:")
	if !ok || model == "" {
		return nil, fmt.Errorf("want bedrock:<model-id>, got %q", spec)
	}
	rubric := eval.DefaultRubric()
	if o.rubric != "" {
		var err error
		if rubric, err = prompt.Load(o.rubric, eval.JudgeSpec); err != nil {
			return nil, fmt.Errorf("-rubric %s: %w", o.rubric, err)
		}
	}
	cfg, err := awsenv.Load(ctx)
	if err != nil {
		return nil, fmt.Errorf("load aws config: %w", err)
	}
	var j eval.Judge = eval.NewLLMJudge(spec, bedrock.New(cfg, bedrock.Options{ModelID: model, Logger: o.logger}), rubric)
	if o.cache != nil {
		j = eval.NewCachedJudge(j, o.cache)
	}
	return j, nil
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
