package main

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

// newSummarizer builds the configured summarizer with the service's
// guarantees around it: long transcripts in chunks within one time budget
// (bedrock), PII redaction
// (REDACT_PII) before text leaves the process and in summaries, and the
// maxLength limit.
func newSummarizer(ctx context.Context, cfg config.Config, log *slog.Logger) (summary.Summarizer, error) {
	var s summary.Summarizer
	switch cfg.Summarizer {
	case config.SummarizerBedrock:
		awsCfg, err := awsenv.Load(ctx)
		if err != nil {
			return nil, fmt.Errorf("SUMMARIZER=bedrock: %w", err)
		}
		log.Info("bedrock", "model", cfg.BedrockModelID, "region", awsCfg.Region, "timeout", cfg.BedrockTimeout.String())
		b := bedrock.New(awsCfg, bedrock.Options{ModelID: cfg.BedrockModelID, Timeout: cfg.BedrockTimeout, Logger: log})
		s = b.Pipeline(cfg.ChunkTokens)
	default:
		s = local.New()
	}
	return summary.WithGuarantees(s, cfg.RedactPII), nil
}
