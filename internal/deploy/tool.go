package deploy

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// Settings are the operator's options. magefile.go reads them from the
// environment (the variable is named in each comment) and nothing below it
// reads the environment.
type Settings struct {
	// ImageBuilder is "" for the daemonless build or "docker" (IMAGE_BUILDER).
	ImageBuilder string
	// Platforms are the image's os/arch pairs (IMAGE_PLATFORMS).
	Platforms []string
	// ImageRepository overrides the ECR lookup (IMAGE_REPOSITORY).
	ImageRepository string
	// Since, Filter, Follow and LogGroup shape logs (SINCE, FILTER, FOLLOW,
	// LOG_GROUP).
	Since, Filter, LogGroup string
	Follow                  bool
	// ECSCluster and ECSService override the tag lookup (ECS_CLUSTER,
	// ECS_SERVICE).
	ECSCluster, ECSService string
	// RolloutTimeout bounds rollout (ROLLOUT_TIMEOUT).
	RolloutTimeout time.Duration
	// Generate makes that many keys in secrets (GENERATE).
	Generate int
	// Yes confirms production changes without a prompt (YES=1).
	Yes bool
	// APIKey, when set, makes deploy run the smoke test with it (API_KEY).
	APIKey string
	// SmokeURL is the base URL deploy's smoke test calls (SMOKE_URL); empty
	// means http:// and the load balancer's DNS name, which does not answer
	// once the service has a certificate and http.alias.
	SmokeURL string
	// ImageURI, when set, is the digest-pinned image deploy hands Copilot
	// as is, building and pushing nothing (IMAGE_URI): how production gets
	// the bytes staging tested.
	ImageURI string
}

// Tool runs the operator's targets for the repository at Dir.
type Tool struct {
	Dir      string
	Console  Console
	Settings Settings
	// AWS makes the AWS clients; nil means LoadAWS with the SDK defaults.
	AWS func(ctx context.Context) (*AWS, error)
	// Copilot is the copilot command; empty means "copilot" on PATH.
	Copilot string
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	buildBinary      func(ctx context.Context, goos, goarch, path string) error
	rolloutInterval  time.Duration
	logsPollInterval time.Duration
}

func (t *Tool) dist(name string) string { return filepath.Join(t.Dir, "dist", name) }

func (t *Tool) now() time.Time {
	if t.Now != nil {
		return t.Now()
	}
	return time.Now()
}

func (t *Tool) aws(ctx context.Context) (*AWS, error) {
	if t.AWS != nil {
		return t.AWS(ctx)
	}
	return LoadAWS(ctx)
}

// awsFor checks env and makes the clients: the start of every AWS target.
func (t *Tool) awsFor(ctx context.Context, env string) (*AWS, error) {
	if err := CheckEnv(t.Dir, env); err != nil {
		return nil, err
	}
	return t.aws(ctx)
}

// Build builds bin/server for this machine with the version from git.
func (t *Tool) Build(ctx context.Context) error {
	v := Version(ctx, t.Dir)
	if err := BuildServer(ctx, t.Console.Err, BuildOptions{Dir: t.Dir, Output: filepath.Join("bin", "server"), Version: v}); err != nil {
		return err
	}
	fmt.Fprintf(t.Console.Out, "built bin/server %s\n", v)
	return nil
}

// Image builds the container image into dist/image and prints its digest.
//
// The image's creation time (config and label) is HEAD's commit time, not
// the clock, so that building one commit twice on one machine gives the
// same digest. Across machines the digest can still differ: the layer
// carries the host's CA bundle (/etc/ssl/certs), and the binary depends on
// the Go toolchain's version.
func (t *Tool) Image(ctx context.Context) error {
	rev, err := Revision(ctx, t.Dir)
	if err != nil {
		rev = "unknown"
	}
	created, err := CommitTime(ctx, t.Dir)
	if err != nil {
		created = t.now().UTC().Truncate(time.Second) // not a git checkout: nothing to reproduce
	}
	opts := ImageOptions{
		Dir: t.Dir, Out: t.dist("image"), Platforms: t.Settings.Platforms,
		Version: Version(ctx, t.Dir), Revision: rev, Source: SourceURL,
		Created: created, CACerts: defaultSSLFile, BuildBinary: t.buildBinary,
	}
	if t.Settings.ImageBuilder == "docker" {
		return t.dockerImage(ctx, opts)
	}
	if t.Settings.ImageBuilder != "" {
		return fmt.Errorf("unknown IMAGE_BUILDER %q: leave it empty or use docker", t.Settings.ImageBuilder)
	}
	digest, err := BuildImage(ctx, t.Console.Err, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(t.Console.Out, "image %s (%s) in dist/image\n", digest, strings.Join(platformsOrDefault(opts.Platforms), ", "))
	return nil
}

func platformsOrDefault(p []string) []string {
	if len(p) == 0 {
		return []string{"linux/amd64"}
	}
	return p
}

// Push publishes this commit's image to env's registry, building it first
// when dist/image holds none or one built from another commit.
func (t *Tool) Push(ctx context.Context, env string) error {
	a, err := t.awsFor(ctx, env)
	if err != nil {
		return err
	}
	if err := a.Confirm(ctx, t.Console, env, "push to", t.Settings.Yes); err != nil {
		return err
	}
	_, err = t.push(ctx, a)
	return err
}

func (t *Tool) push(ctx context.Context, a *AWS) (string, error) {
	rev, err := Revision(ctx, t.Dir)
	if err != nil {
		return "", err
	}
	// The image is tagged with HEAD's id: it must be HEAD's image.
	if err := t.imageOf(ctx, rev); err != nil {
		return "", err
	}
	short, err := ShortRevision(ctx, t.Dir)
	if err != nil {
		return "", err
	}
	return a.Push(ctx, t.Console.Out, PushOptions{
		Layout: t.dist("image"), Repository: t.Settings.ImageRepository,
		Tags: []string{short, "latest"}, Revision: rev, Record: t.dist("image-uri.txt"),
	})
}

// Logs shows the service's logs in env.
func (t *Tool) Logs(ctx context.Context, env string) error {
	a, err := t.awsFor(ctx, env)
	if err != nil {
		return err
	}
	since, err := ParseSince(t.Settings.Since, t.now())
	if err != nil {
		return err
	}
	group := t.Settings.LogGroup
	if group == "" {
		group = LogGroup(env)
	}
	return a.Logs(ctx, t.Console.Out, LogsOptions{Group: group, Since: since, Filter: t.Settings.Filter, Follow: t.Settings.Follow, Interval: t.logsPollInterval})
}

// Rollout restarts env's tasks with a forced new deployment and follows it.
func (t *Tool) Rollout(ctx context.Context, env string) error {
	a, err := t.awsFor(ctx, env)
	if err != nil {
		return err
	}
	ref, err := a.FindService(ctx, env, ServiceRef{Cluster: t.Settings.ECSCluster, Service: t.Settings.ECSService})
	if err != nil {
		return err
	}
	if err := a.Confirm(ctx, t.Console, env, "roll out", t.Settings.Yes); err != nil {
		return err
	}
	return a.Rollout(ctx, t.Console.Out, ref, RolloutOptions{Timeout: t.Settings.RolloutTimeout, Interval: t.rolloutInterval})
}

// Status prints what runs in env.
func (t *Tool) Status(ctx context.Context, env string) error {
	a, err := t.awsFor(ctx, env)
	if err != nil {
		return err
	}
	return a.Status(ctx, t.Console.Out, env, ServiceRef{Cluster: t.Settings.ECSCluster, Service: t.Settings.ECSService})
}

// Secrets stores API keys for env.
func (t *Tool) Secrets(ctx context.Context, env string) error {
	a, err := t.awsFor(ctx, env)
	if err != nil {
		return err
	}
	if err := a.Confirm(ctx, t.Console, env, "set API keys of", t.Settings.Yes); err != nil {
		return err
	}
	return a.Secrets(ctx, t.Console, SecretsOptions{Env: env, Generate: t.Settings.Generate})
}
