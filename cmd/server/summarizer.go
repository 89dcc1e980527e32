package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/llm-testing/llm-testing/internal/bedrock"
	"github.com/llm-testing/llm-testing/internal/config"
	"github.com/llm-testing/llm-testing/internal/local"
	"github.com/llm-testing/llm-testing/internal/summary"
)

// chunkParallel is how many chunks of a long transcript are summarized at
// once.
const chunkParallel = 4

// newSummarizer builds the configured summarizer with the service's
// guarantees around it: long transcripts in chunks within one time budget
// (bedrock), PII redaction
// (REDACT_PII) before text leaves the process and in summaries, and the
// maxLength limit.
func newSummarizer(ctx context.Context, cfg config.Config, log *slog.Logger) (summary.Summarizer, error) {
	var s summary.Summarizer
	switch cfg.Summarizer {
	case config.SummarizerBedrock:
		awsCfg, err := bedrock.LoadAWSConfig(ctx)
		if err != nil {
			return nil, fmt.Errorf("SUMMARIZER=bedrock: %w", err)
		}
		log.Info("bedrock", "model", cfg.BedrockModelID, "region", awsCfg.Region, "timeout", cfg.BedrockTimeout.String())
		s = bedrock.New(awsCfg, bedrock.Options{ModelID: cfg.BedrockModelID, Timeout: cfg.BedrockTimeout, Logger: log})
		s = summary.Chunked(s, cfg.ChunkTokens, chunkParallel)
		// One budget for the whole request, chunks and combining included.
		s = summary.Deadline(s, cfg.BedrockTimeout)
	default:
		s = local.New()
	}
	if cfg.RedactPII {
		s = summary.Redacting(s)
	}
	return summary.Guard(s), nil
}
