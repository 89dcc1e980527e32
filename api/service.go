package api

import (
	"log/slog"
	"reflect"
	"time"

	"github.com/llm-testing/llm-testing/internal/auth"
	"github.com/llm-testing/llm-testing/internal/config"
	"github.com/llm-testing/llm-testing/internal/summary"
)

// service holds what the handlers share: dependencies and the per-process
// limits.
type service struct {
	log            *slog.Logger
	access         *slog.Logger
	cfg            config.Config
	summarizer     summary.Summarizer
	summarizerName string
	keys           *auth.KeySet
	version        string
	state          *State
	limiter        *keyLimiter
	inflight       *inflight
	budget         *memoryBudget
	metrics        *metrics
	heartbeat      time.Duration
}

func newService(d Deps) *service {
	if d.State == nil {
		d.State = new(State)
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.AccessLogger == nil {
		d.AccessLogger = d.Logger
	}
	if d.Keys == nil {
		d.Keys = &auth.KeySet{}
	}
	cfg := d.Config
	if reflect.DeepEqual(cfg, config.Config{}) {
		cfg = config.Default()
	}
	return &service{
		log:            d.Logger,
		access:         d.AccessLogger,
		cfg:            cfg,
		summarizer:     d.Summarizer,
		summarizerName: d.SummarizerName,
		keys:           d.Keys,
		version:        d.Version,
		state:          d.State,
		limiter:        newKeyLimiter(cfg.RateLimitRPS, cfg.RateLimitBurst, maxLimitedKeys),
		inflight:       newInflight(&d.State.inflight, cfg.MaxInflight),
		budget:         &memoryBudget{max: cfg.MemoryBudget},
		metrics:        newMetrics(d.SummarizerName),
		heartbeat:      heartbeatInterval,
	}
}

// maxBodyBytes is the limit huma enforces; huma treats a body of exactly the
// limit as too large, so one byte more lets MAX_BODY_BYTES itself through.
func (s *service) maxBodyBytes() int64 { return s.cfg.MaxBodyBytes + 1 }
