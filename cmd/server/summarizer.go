package main

import (
	"context"
	"log/slog"

	"github.com/llm-testing/llm-testing/internal/config"
	"github.com/llm-testing/llm-testing/internal/local"
	"github.com/llm-testing/llm-testing/internal/summary"
)

// newSummarizer builds the configured summarizer with the service's
// guarantees around it: PII redaction (REDACT_PII) and the maxLength limit.
func newSummarizer(ctx context.Context, cfg config.Config, log *slog.Logger) (summary.Summarizer, error) {
	var s summary.Summarizer = local.New()
	if cfg.RedactPII {
		s = summary.Redacting(s)
	}
	return summary.Guard(s), nil
}
