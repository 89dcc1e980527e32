// Package config turns the process environment into a validated Config. It is
// the only place that knows the names of the service's environment variables.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/llm-testing/llm-testing/internal/pricing"
	"github.com/llm-testing/llm-testing/internal/prompt"
)

// DefaultPort is the port the server listens on when PORT is not set. The
// container image and the Copilot manifest expose the same port.
const DefaultPort = 3000

// DefaultModelID is the Bedrock model used when BEDROCK_MODEL_ID is not set:
// Claude Sonnet 4.6 through the US cross-Region inference profile. It is the
// newest Sonnet that Converse and ConverseStream (and so tool use) take, at
// the same list price as Sonnet 4.5, and the us. profile keeps requests in
// US Regions; set global. for the lower price, eu. or jp. elsewhere.
const DefaultModelID = "us.anthropic.claude-sonnet-4-6"

// DefaultMaxInflight is MAX_INFLIGHT's default, sized for a 1 GiB task. A
// summarize request waiting on Bedrock costs about 150 KB (measured in
// docs/performance.md: goroutine stacks deep in the AWS SDK, HTTP buffers on
// both sockets, the SDK's per-call state, GC headroom), so 4,000 of them use
// about 600 MB and leave room for the runtime and for bodies being decoded.
// Past it the server sheds with 503 at once instead of queueing.
const DefaultMaxInflight = 4000

// DefaultChunkTokens is CHUNK_TOKENS's default: the input budget of one LLM
// call before a transcript is split.
const DefaultChunkTokens = 60000

// The other defaults, one each, for every variable Load reads. Packages and
// binaries that build a Config of their own start from Default.
const (
	// DefaultBedrockTimeout is BEDROCK_TIMEOUT's default: the whole LLM
	// budget of a request, retries included, inside the load balancer's 60 s
	// idle timeout.
	DefaultBedrockTimeout = 45 * time.Second
	// DefaultDrainTimeout is DRAIN_TIMEOUT's default: inside the 30 s ECS
	// allows between SIGTERM and SIGKILL.
	DefaultDrainTimeout = 25 * time.Second
	// DefaultMaxBodyBytes is MAX_BODY_BYTES's default, 4 MiB: a one-hour
	// call as Amazon Transcribe writes it (a member per word, with times
	// and speaker, twice over) is about 2.5 MB at 150 words a minute
	// (TestParseOneHour in internal/transcript), and 4 MiB leaves room for
	// faster talk; Call Analytics and Contact Lens need about 150 KB.
	DefaultMaxBodyBytes int64 = 4 << 20
	// DefaultRateLimitRPS and DefaultRateLimitBurst are the per-key token
	// bucket's defaults (RATE_LIMIT_RPS, RATE_LIMIT_BURST).
	DefaultRateLimitRPS   = 10.0
	DefaultRateLimitBurst = 20
	// DefaultRedactPII is REDACT_PII's default: redact unless told not to.
	DefaultRedactPII = true
	// DefaultChunkParallel is how many chunks of a long transcript are
	// summarized at once. It has no variable: four calls at once keep a
	// 200,000-character transcript inside the time budget without a burst
	// that Bedrock would throttle.
	DefaultChunkParallel = 4
	// DefaultMaxConns is MAX_CONNS's default: 0, the cap derived at startup
	// from the descriptor limit by ConnLimit.
	DefaultMaxConns = 0
	// DefaultMemoryBudget is MEMORY_BUDGET's default: 0, the budget derived
	// at startup from the memory the process may use by AdmissionBudget.
	DefaultMemoryBudget int64 = 0
	// DefaultLogLevel and DefaultLogFormat are LOG_LEVEL's and LOG_FORMAT's.
	DefaultLogLevel  = slog.LevelInfo
	DefaultLogFormat = "json"
)

// Vars lists every environment variable the server reads, besides the AWS
// SDK's own. Tests check that the deployment sets nothing else.
var Vars = []string{
	"PORT", "API_KEYS", "SUMMARIZER", "BEDROCK_MODEL_ID", "BEDROCK_TIMEOUT",
	"CHUNK_TOKENS", "REDACT_PII", "MAX_BODY_BYTES", "MAX_INFLIGHT",
	"RATE_LIMIT_RPS", "RATE_LIMIT_BURST", "DRAIN_TIMEOUT", "LOG_LEVEL", "LOG_FORMAT", "MAX_CONNS",
	"BEDROCK_PRICES", "PROMPT_FILE", "MEMORY_BUDGET",
}

// RuntimeVars are variables the Go runtime reads, which the deployment may
// set too (GOMEMLIMIT keeps the heap inside the task's memory).
var RuntimeVars = []string{"GOMEMLIMIT", "GOGC", "GOMAXPROCS"}

// Summarizer names which summarizer serves requests.
type Summarizer string

// The summarizers.
const (
	SummarizerLocal   Summarizer = "local"
	SummarizerBedrock Summarizer = "bedrock"
)

// Summarizers lists every Summarizer, in the order documentation shows them.
// SUMMARIZER and /health's schema both take their values from here.
func Summarizers() []Summarizer { return []Summarizer{SummarizerLocal, SummarizerBedrock} }

// DefaultSummarizer is SUMMARIZER's default: the embedded one, which needs
// no AWS.
const DefaultSummarizer = SummarizerLocal

// Config is the server's validated configuration.
type Config struct {
	Port           int
	APIKeys        string // raw value; internal/auth parses it
	Summarizer     Summarizer
	BedrockModelID string
	BedrockTimeout time.Duration
	// BedrockPrices prices estimatedCostUsd: the list prices, with
	// BEDROCK_PRICES's overrides and additions.
	BedrockPrices  pricing.Prices
	ChunkTokens    int
	RedactPII      bool
	MaxBodyBytes   int64
	MaxInflight    int
	RateLimitRPS   float64
	RateLimitBurst int
	DrainTimeout   time.Duration
	// MaxConns caps open client connections; 0 derives it from the
	// descriptor limit (ConnLimit).
	MaxConns int
	// PromptFile is PROMPT_FILE, the summary prompt's path; empty is the
	// embedded default. Prompt is the template, parsed and validated.
	PromptFile string
	Prompt     *prompt.Template
	// MemoryBudget is the memory, in bytes, that summarize requests in
	// flight may hold at once by their estimated cost; 0 derives it from
	// the process's memory limit (AdmissionBudget).
	MemoryBudget int64
	LogLevel     slog.Level
	LogFormat    string // "json" or "text"
}

// Default is the configuration of an empty environment. Tests and the
// binaries that build a server or a pipeline without reading the environment
// (cmd/eval, cmd/loadtest) start from it, so no default is written twice.
func Default() Config {
	return Config{
		Port:           DefaultPort,
		Summarizer:     DefaultSummarizer,
		BedrockModelID: DefaultModelID,
		BedrockTimeout: DefaultBedrockTimeout,
		ChunkTokens:    DefaultChunkTokens,
		RedactPII:      DefaultRedactPII,
		MaxBodyBytes:   DefaultMaxBodyBytes,
		MaxInflight:    DefaultMaxInflight,
		RateLimitRPS:   DefaultRateLimitRPS,
		RateLimitBurst: DefaultRateLimitBurst,
		DrainTimeout:   DefaultDrainTimeout,
		MaxConns:       DefaultMaxConns,
		Prompt:         prompt.DefaultSummary(),
		MemoryBudget:   DefaultMemoryBudget,
		LogLevel:       DefaultLogLevel,
		LogFormat:      DefaultLogFormat,
	}
}

// connReserve is the descriptors ConnLimit keeps for what is not a client
// connection besides the LLM's: the listener, logs, DNS, the runtime's own.
const connReserve = 64

// ConnLimit is the client-connection cap for a process that may hold nofile
// descriptors: MaxConns when set, else what is left once every request in
// flight has an outbound LLM connection (MaxInflight, HTTP/1.1's worst case)
// and connReserve are kept back, and never below connReserve. With 20,000
// descriptors and the default MAX_INFLIGHT that is 15,936.
func (c Config) ConnLimit(nofile uint64) int {
	if c.MaxConns > 0 {
		return c.MaxConns
	}
	free := int64(min(nofile, 1<<30)) - int64(c.MaxInflight) - connReserve
	return int(max(free, connReserve))
}

// memoryBudgetShare is the part of the process's memory limit that
// AdmissionBudget gives to summarize requests in flight: the rest is the
// runtime, the idle server, and what the estimates miss (see
// docs/performance.md).
const memoryBudgetShare = 0.7

// maxMemoryBudget bounds MEMORY_BUDGET: 1 TiB.
const maxMemoryBudget int64 = 1 << 40

// AdmissionBudget is the memory summarize requests in flight may hold, for
// a process that may use limit bytes (0: no known limit): MemoryBudget when
// set, else memoryBudgetShare of limit, else 0, no budget (MAX_INFLIGHT
// alone bounds them). With GOMEMLIMIT=900MiB that is 630 MiB.
func (c Config) AdmissionBudget(limit int64) int64 {
	switch {
	case c.MemoryBudget > 0:
		return c.MemoryBudget
	case limit > 0:
		return int64(float64(limit) * memoryBudgetShare)
	}
	return 0
}

// Load reads the configuration through getenv and validates it. The error
// names every variable that is wrong and what it accepts.
func Load(getenv func(string) string) (Config, error) {
	p := parser{getenv: getenv}
	d := Default()
	c := Config{
		Port:           p.intIn("PORT", d.Port, 1, 65535),
		APIKeys:        getenv("API_KEYS"),
		Summarizer:     p.summarizer("SUMMARIZER", d.Summarizer),
		BedrockModelID: p.str("BEDROCK_MODEL_ID", d.BedrockModelID),
		BedrockTimeout: p.duration("BEDROCK_TIMEOUT", d.BedrockTimeout, time.Second, 10*time.Minute),
		ChunkTokens:    p.intIn("CHUNK_TOKENS", d.ChunkTokens, 1000, 1000000),
		RedactPII:      p.boolean("REDACT_PII", d.RedactPII),
		MaxBodyBytes:   int64(p.intIn("MAX_BODY_BYTES", int(d.MaxBodyBytes), 1024, 64<<20)),
		MaxInflight:    p.intIn("MAX_INFLIGHT", d.MaxInflight, 1, 1000000),
		RateLimitRPS:   p.float("RATE_LIMIT_RPS", d.RateLimitRPS, 0.001, 1e6),
		RateLimitBurst: p.intIn("RATE_LIMIT_BURST", d.RateLimitBurst, 1, 1000000),
		DrainTimeout:   p.duration("DRAIN_TIMEOUT", d.DrainTimeout, 0, 10*time.Minute),
		MaxConns:       p.intIn("MAX_CONNS", d.MaxConns, 0, 10000000),
		MemoryBudget:   p.size("MEMORY_BUDGET", d.MemoryBudget, 0, maxMemoryBudget),
		LogFormat:      p.oneOf("LOG_FORMAT", d.LogFormat, "json", "text"),
		LogLevel:       p.level("LOG_LEVEL", d.LogLevel),
	}
	if prices, err := pricing.ParsePrices(getenv("BEDROCK_PRICES")); err != nil {
		p.errs = append(p.errs, fmt.Errorf("invalid BEDROCK_PRICES: %w", err))
	} else {
		c.BedrockPrices = prices
	}
	c.PromptFile, c.Prompt = p.str("PROMPT_FILE", ""), d.Prompt
	if c.PromptFile != "" {
		if t, err := prompt.LoadSummary(c.PromptFile); err != nil {
			p.errs = append(p.errs, fmt.Errorf("invalid PROMPT_FILE=%q: %w", c.PromptFile, err))
		} else {
			c.Prompt = t
		}
	}
	if c.BedrockModelID == "" || strings.ContainsAny(c.BedrockModelID, " \t\n/") && !strings.HasPrefix(c.BedrockModelID, "arn:") {
		p.fail("BEDROCK_MODEL_ID", c.BedrockModelID, "a Bedrock model id, inference profile id or ARN")
	}
	return c, errors.Join(p.errs...)
}

type parser struct {
	getenv func(string) string
	errs   []error
}

func (p *parser) fail(name, value, accepts string) {
	p.errs = append(p.errs, fmt.Errorf("invalid %s=%q: want %s", name, value, accepts))
}

func (p *parser) str(name, def string) string {
	if v := strings.TrimSpace(p.getenv(name)); v != "" {
		return v
	}
	return def
}

func (p *parser) oneOf(name, def string, allowed ...string) string {
	v := strings.ToLower(p.str(name, def))
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	p.fail(name, p.getenv(name), "one of "+strings.Join(allowed, ", "))
	return def
}

func (p *parser) summarizer(name string, def Summarizer) Summarizer {
	names := make([]string, 0, len(Summarizers()))
	for _, s := range Summarizers() {
		names = append(names, string(s))
	}
	return Summarizer(p.oneOf(name, string(def), names...))
}

// levels are the slog levels LOG_LEVEL takes, by their lower-case names.
var levels = []slog.Level{slog.LevelDebug, slog.LevelInfo, slog.LevelWarn, slog.LevelError}

func (p *parser) level(name string, def slog.Level) slog.Level {
	names := make([]string, len(levels))
	for i, l := range levels {
		names[i] = strings.ToLower(l.String())
	}
	v := p.oneOf(name, strings.ToLower(def.String()), names...)
	for i, n := range names {
		if n == v {
			return levels[i]
		}
	}
	return def
}

func (p *parser) intIn(name string, def, lo, hi int) int {
	raw := p.str(name, "")
	if raw == "" {
		return def
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < lo || n > hi {
		p.fail(name, raw, fmt.Sprintf("an integer from %d to %d", lo, hi))
		return def
	}
	return n
}

func (p *parser) float(name string, def, lo, hi float64) float64 {
	raw := p.str(name, "")
	if raw == "" {
		return def
	}
	f, err := strconv.ParseFloat(raw, 64)
	// Written so that NaN, which compares false with everything, fails too.
	if err != nil || !(f >= lo && f <= hi) {
		p.fail(name, raw, fmt.Sprintf("a number from %g to %g", lo, hi))
		return def
	}
	return f
}

// sizeUnits are the suffixes size takes, as GOMEMLIMIT does.
var sizeUnits = []struct {
	suffix string
	shift  uint
}{{"KiB", 10}, {"MiB", 20}, {"GiB", 30}, {"TiB", 40}, {"B", 0}}

// size reads a byte count: an integer, optionally with a B, KiB, MiB, GiB
// or TiB suffix.
func (p *parser) size(name string, def, lo, hi int64) int64 {
	raw := p.str(name, "")
	if raw == "" {
		return def
	}
	num, shift := raw, uint(0)
	for _, u := range sizeUnits {
		if n, ok := strings.CutSuffix(raw, u.suffix); ok {
			num, shift = n, u.shift
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
	if err != nil || n < lo || n > hi>>shift || n<<shift < lo {
		p.fail(name, raw, fmt.Sprintf("a size in bytes such as 600MiB (B, KiB, MiB, GiB, TiB) from %d to %d", lo, hi))
		return def
	}
	return n << shift
}

func (p *parser) duration(name string, def, lo, hi time.Duration) time.Duration {
	raw := p.str(name, "")
	if raw == "" {
		return def
	}
	d, err := time.ParseDuration(raw)
	if err != nil || d < lo || d > hi {
		p.fail(name, raw, fmt.Sprintf("a duration such as 45s from %s to %s", lo, hi))
		return def
	}
	return d
}

func (p *parser) boolean(name string, def bool) bool {
	raw := p.str(name, "")
	if raw == "" {
		return def
	}
	b, err := strconv.ParseBool(raw)
	if err != nil {
		p.fail(name, raw, "true or false")
		return def
	}
	return b
}
