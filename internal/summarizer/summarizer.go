// Package summarizer builds the summarizer the service runs from its
// configuration: the provider SUMMARIZER names, inside summary.NewPipeline.
// cmd/server and the load-test harness both serve with it, so they cannot
// drift apart.
package summarizer

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/llm-testing/llm-testing/internal/awsenv"
	"github.com/llm-testing/llm-testing/internal/bedrock"
	"github.com/llm-testing/llm-testing/internal/config"
	"github.com/llm-testing/llm-testing/internal/local"
	"github.com/llm-testing/llm-testing/internal/summary"
)

// New builds the configured provider inside the service's pipeline
// (summary.NewPipeline): the time budget, PII redaction, chunks for the
// provider that needs them (bedrock), and the maxLength limit. SUMMARIZER=
// bedrock fails when no AWS region or credentials can be found.
func New(ctx context.Context, cfg config.Config, log *slog.Logger) (summary.Summarizer, error) {
	pol := summary.Policy{Timeout: cfg.BedrockTimeout, RedactPII: cfg.RedactPII, ChunkParallel: config.DefaultChunkParallel}
	var p summary.Summarizer
	switch cfg.Summarizer {
	case config.SummarizerBedrock:
		awsCfg, err := awsenv.Load(ctx)
		if err != nil {
			return nil, fmt.Errorf("SUMMARIZER=bedrock: %w", err)
		}
		log.Info("bedrock", "model", cfg.BedrockModelID, "region", awsCfg.Region, "timeout", cfg.BedrockTimeout.String(),
			"promptFile", cfg.PromptFile, "promptVersion", cfg.Prompt.Version())
		p = bedrock.New(awsCfg, bedrock.Options{ModelID: cfg.BedrockModelID, Prices: cfg.BedrockPrices, Logger: log, Prompt: cfg.Prompt})
		pol.ChunkTokens = cfg.ChunkTokens
	default:
		p = local.New()
	}
	return summary.NewPipeline(p, pol), nil
}
