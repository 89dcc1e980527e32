package deploy

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The operator's options are environment variables (mage takes positional
// arguments only). Each target has its own settings and its own parse
// function that reads only the variables that target uses, so a bad value
// for one target's variable cannot stop another target. magefile.go passes
// os.Getenv; nothing else here reads the environment.

// The variables the targets read, each named once.
const (
	envImageBuilder    = "IMAGE_BUILDER"
	envImagePlatforms  = "IMAGE_PLATFORMS"
	envImageRepository = "IMAGE_REPOSITORY"
	envImageURI        = "IMAGE_URI"
	envYes             = "YES"
	envAPIKey          = "API_KEY"
	envSmokeURL        = "SMOKE_URL"
	envSince           = "SINCE"
	envFilter          = "FILTER"
	envFollow          = "FOLLOW"
	envLogGroup        = "LOG_GROUP"
	envECSCluster      = "ECS_CLUSTER"
	envECSService      = "ECS_SERVICE"
	envRolloutTimeout  = "ROLLOUT_TIMEOUT"
	envGenerate        = "GENERATE"
)

// builderDocker is the one IMAGE_BUILDER besides the default daemonless one.
const builderDocker = "docker"

// maxGenerate is the most keys GENERATE may ask for.
const maxGenerate = 100

// ImageSettings are the image target's options.
type ImageSettings struct {
	// Builder is "" for the daemonless build or "docker" (IMAGE_BUILDER).
	Builder string
	// Platforms are the image's os/arch pairs (IMAGE_PLATFORMS).
	Platforms []string
}

// PushSettings are the push target's options; push builds the image when
// needed, so it reads the image target's too.
type PushSettings struct {
	Image ImageSettings
	// Repository overrides the ECR lookup (IMAGE_REPOSITORY).
	Repository string
	// Yes confirms production changes without a prompt (YES=1).
	Yes bool
}

// DeploySettings are the deploy target's options.
type DeploySettings struct {
	Push PushSettings
	// ImageURI, when set, is the digest-pinned image to deploy as is,
	// building and pushing nothing (IMAGE_URI): how production gets the
	// bytes staging tested.
	ImageURI string
	// APIKey, when set, makes deploy run the smoke test with it (API_KEY).
	APIKey string
	// SmokeURL is the base URL the smoke test calls (SMOKE_URL); empty means
	// the URL the deployer reports.
	SmokeURL string
}

// LogsSettings are the logs target's options.
type LogsSettings struct {
	// Since is where the logs start (SINCE, default 10m ago).
	Since Since
	// Filter is a CloudWatch Logs filter pattern (FILTER).
	Filter string
	// Follow keeps printing new events (FOLLOW=1).
	Follow bool
	// LogGroup overrides LogGroup(env) (LOG_GROUP).
	LogGroup string
}

// RolloutSettings are the rollout target's options.
type RolloutSettings struct {
	// Service overrides the tag lookup (ECS_CLUSTER, ECS_SERVICE).
	Service ServiceRef
	// Timeout bounds the wait (ROLLOUT_TIMEOUT, default 15m).
	Timeout time.Duration
	// Yes confirms production changes without a prompt (YES=1).
	Yes bool
}

// StatusSettings are the status target's options.
type StatusSettings struct {
	// Service overrides the tag lookup (ECS_CLUSTER, ECS_SERVICE).
	Service ServiceRef
}

// SecretsSettings are the secrets target's options.
type SecretsSettings struct {
	// Generate, above zero, makes that many random keys instead of reading
	// them from stdin (GENERATE).
	Generate int
	// Yes confirms production changes without a prompt (YES=1).
	Yes bool
}

// ParseImageSettings reads IMAGE_BUILDER and IMAGE_PLATFORMS.
func ParseImageSettings(getenv func(string) string) (ImageSettings, error) {
	p := envParser{getenv: getenv}
	s := p.image()
	return s, p.err()
}

// ParsePushSettings reads the image settings, IMAGE_REPOSITORY and YES.
func ParsePushSettings(getenv func(string) string) (PushSettings, error) {
	p := envParser{getenv: getenv}
	s := p.push()
	return s, p.err()
}

// ParseDeploySettings reads the push settings, IMAGE_URI, API_KEY and
// SMOKE_URL.
func ParseDeploySettings(getenv func(string) string) (DeploySettings, error) {
	p := envParser{getenv: getenv}
	s := DeploySettings{Push: p.push(), ImageURI: p.imageURI(), APIKey: getenv(envAPIKey), SmokeURL: p.smokeURL()}
	return s, p.err()
}

// ExpressSettings are the express:deploy target's options. It builds and
// pushes nothing: it deploys IMAGE_URI or the image push recorded.
type ExpressSettings struct {
	// ImageURI, APIKey and SmokeURL are as for deploy.
	ImageURI, APIKey, SmokeURL string
	// Timeout bounds the wait for the deployment (ROLLOUT_TIMEOUT).
	Timeout time.Duration
	// Yes confirms production changes without a prompt (YES=1).
	Yes bool
}

// ParseExpressSettings reads IMAGE_URI, API_KEY, SMOKE_URL, ROLLOUT_TIMEOUT
// and YES.
func ParseExpressSettings(getenv func(string) string) (ExpressSettings, error) {
	p := envParser{getenv: getenv}
	s := ExpressSettings{ImageURI: p.imageURI(), APIKey: getenv(envAPIKey), SmokeURL: p.smokeURL(), Timeout: p.timeout(), Yes: p.boolean(envYes)}
	return s, p.err()
}

// ConfirmSettings are the options of a target whose only one is YES
// (express:prepare, express:delete).
type ConfirmSettings struct {
	// Yes confirms without a prompt (YES=1).
	Yes bool
}

// ParseConfirmSettings reads YES.
func ParseConfirmSettings(getenv func(string) string) (ConfirmSettings, error) {
	p := envParser{getenv: getenv}
	return ConfirmSettings{Yes: p.boolean(envYes)}, p.err()
}

// ParseLogsSettings reads SINCE, FILTER, FOLLOW and LOG_GROUP.
func ParseLogsSettings(getenv func(string) string) (LogsSettings, error) {
	p := envParser{getenv: getenv}
	s := LogsSettings{Filter: getenv(envFilter), Follow: p.boolean(envFollow), LogGroup: getenv(envLogGroup)}
	since, err := ParseSince(getenv(envSince))
	if err != nil {
		p.errs = append(p.errs, err)
	}
	s.Since = since
	return s, p.err()
}

// ParseRolloutSettings reads ECS_CLUSTER, ECS_SERVICE, ROLLOUT_TIMEOUT and YES.
func ParseRolloutSettings(getenv func(string) string) (RolloutSettings, error) {
	p := envParser{getenv: getenv}
	s := RolloutSettings{Service: p.service(), Timeout: p.timeout(), Yes: p.boolean(envYes)}
	return s, p.err()
}

// ParseStatusSettings reads ECS_CLUSTER and ECS_SERVICE.
func ParseStatusSettings(getenv func(string) string) (StatusSettings, error) {
	p := envParser{getenv: getenv}
	return StatusSettings{Service: p.service()}, p.err()
}

// ParseSecretsSettings reads GENERATE and YES.
func ParseSecretsSettings(getenv func(string) string) (SecretsSettings, error) {
	p := envParser{getenv: getenv}
	s := SecretsSettings{Yes: p.boolean(envYes)}
	if v := getenv(envGenerate); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxGenerate {
			p.fail(envGenerate, v, fmt.Sprintf("a number of keys from 1 to %d", maxGenerate))
		} else {
			s.Generate = n
		}
	}
	return s, p.err()
}

// envParser reads variables and collects one error per bad one.
type envParser struct {
	getenv func(string) string
	errs   []error
}

func (p *envParser) fail(name, value, accepts string) {
	p.errs = append(p.errs, fmt.Errorf("%s=%q: want %s", name, value, accepts))
}

func (p *envParser) err() error { return errors.Join(p.errs...) }

func (p *envParser) boolean(name string) bool {
	v := p.getenv(name)
	if v == "" {
		return false
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		p.fail(name, v, "1 or 0")
	}
	return b
}

func (p *envParser) image() ImageSettings {
	s := ImageSettings{Builder: p.getenv(envImageBuilder)}
	if s.Builder != "" && s.Builder != builderDocker {
		p.fail(envImageBuilder, s.Builder, "empty (no Docker daemon) or "+builderDocker)
	}
	if v := p.getenv(envImagePlatforms); v != "" {
		for _, pl := range strings.Split(v, ",") {
			if goos, goarch, ok := strings.Cut(strings.TrimSpace(pl), "/"); !ok || goos == "" || goarch == "" {
				p.fail(envImagePlatforms, v, "os/arch pairs separated by commas, like linux/amd64,linux/arm64")
				return s
			}
			s.Platforms = append(s.Platforms, strings.TrimSpace(pl))
		}
	}
	return s
}

func (p *envParser) imageURI() string {
	u := p.getenv(envImageURI)
	if u != "" && !pinnedURI.MatchString(u) {
		p.fail(envImageURI, u, "a digest-pinned image, repository@sha256:<64 hex digits>, as `go tool mage push` prints")
		return ""
	}
	return u
}

func (p *envParser) smokeURL() string {
	u := p.getenv(envSmokeURL)
	if u != "" && !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		p.fail(envSmokeURL, u, "the service's base URL, like https://summaries.example.com")
		return ""
	}
	return u
}

func (p *envParser) timeout() time.Duration {
	v := p.getenv(envRolloutTimeout)
	if v == "" {
		return DefaultRolloutTimeout
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		p.fail(envRolloutTimeout, v, "a positive duration like 15m")
	}
	return d
}

func (p *envParser) push() PushSettings {
	return PushSettings{Image: p.image(), Repository: p.getenv(envImageRepository), Yes: p.boolean(envYes)}
}

func (p *envParser) service() ServiceRef {
	return ServiceRef{Cluster: p.getenv(envECSCluster), Service: p.getenv(envECSService)}
}
