package deploy

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Tool runs the operator's targets for the repository at Dir. Each target
// takes its own settings (see settings.go) and makes only the AWS clients it
// calls.
type Tool struct {
	Dir     string
	Console Console
	// AWS loads the AWS configuration; nil means LoadAWS with the SDK
	// defaults. Tests return one whose BaseEndpoint is a local server.
	AWS func(ctx context.Context) (aws.Config, error)
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

func (t *Tool) aws(ctx context.Context) (aws.Config, error) {
	if t.AWS != nil {
		return t.AWS(ctx)
	}
	return LoadAWS(ctx)
}

// awsFor checks env and loads the AWS configuration: the start of every AWS
// target.
func (t *Tool) awsFor(ctx context.Context, env string) (aws.Config, error) {
	if err := CheckEnv(t.Dir, env); err != nil {
		return aws.Config{}, err
	}
	return t.aws(ctx)
}

// confirm shows where a change goes and asks for production.
func (t *Tool) confirm(ctx context.Context, cfg aws.Config, env, action string, yes bool) error {
	return t.Console.Confirm(Where(ctx, cfg, env), action, yes)
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
func (t *Tool) Image(ctx context.Context, s ImageSettings) error {
	rev, err := Revision(ctx, t.Dir)
	if err != nil {
		rev = "unknown"
	}
	created, err := CommitTime(ctx, t.Dir)
	if err != nil {
		created = t.now().UTC().Truncate(time.Second) // not a git checkout: nothing to reproduce
	}
	opts := ImageOptions{
		Dir: t.Dir, Out: t.dist(distImage), Platforms: s.Platforms,
		Version: Version(ctx, t.Dir), Revision: rev, Source: SourceURL,
		Created: created, CACerts: defaultSSLFile, BuildBinary: t.buildBinary,
	}
	if s.Builder == builderDocker {
		return t.dockerImage(ctx, opts)
	}
	digest, err := BuildImage(ctx, t.Console.Err, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(t.Console.Out, "image %s (%s) in dist/image\n", digest, strings.Join(platformsOrDefault(opts.Platforms), ", "))
	return nil
}

// Push publishes this commit's image to env's registry, building it first
// when dist/image holds none or one built from another commit.
func (t *Tool) Push(ctx context.Context, env string, s PushSettings) error {
	cfg, err := t.awsFor(ctx, env)
	if err != nil {
		return err
	}
	if err := t.confirm(ctx, cfg, env, "push to", s.Yes); err != nil {
		return err
	}
	_, err = t.push(ctx, NewECR(cfg), s)
	return err
}

func (t *Tool) push(ctx context.Context, r *ECR, s PushSettings) (string, error) {
	rev, err := Revision(ctx, t.Dir)
	if err != nil {
		return "", err
	}
	// The image is tagged with HEAD's id: it must be HEAD's image.
	if err := t.imageOf(ctx, rev, s.Image); err != nil {
		return "", err
	}
	short, err := ShortRevision(ctx, t.Dir)
	if err != nil {
		return "", err
	}
	return r.Push(ctx, t.Console.Out, PushOptions{
		Layout: t.dist(distImage), Repository: s.Repository,
		Tags: []string{short, "latest"}, Revision: rev, Record: t.dist(distRecord),
	})
}

// Logs shows the service's logs in env.
func (t *Tool) Logs(ctx context.Context, env string, s LogsSettings) error {
	cfg, err := t.awsFor(ctx, env)
	if err != nil {
		return err
	}
	group := s.LogGroup
	if group == "" {
		group = LogGroup(env)
	}
	return NewLogs(cfg).Show(ctx, t.Console.Out, LogsOptions{Group: group, Since: s.Since.From(t.now()), Filter: s.Filter, Follow: s.Follow, Interval: t.logsPollInterval})
}

// Rollout restarts env's tasks with a forced new deployment and follows it.
func (t *Tool) Rollout(ctx context.Context, env string, s RolloutSettings) error {
	cfg, err := t.awsFor(ctx, env)
	if err != nil {
		return err
	}
	svc := NewECS(cfg)
	ref, err := svc.FindService(ctx, env, s.Service)
	if err != nil {
		return err
	}
	if err := t.confirm(ctx, cfg, env, "roll out", s.Yes); err != nil {
		return err
	}
	return svc.Rollout(ctx, t.Console.Out, ref, RolloutOptions{Timeout: s.Timeout, Interval: t.rolloutInterval})
}

// Status prints what runs in env.
func (t *Tool) Status(ctx context.Context, env string, s StatusSettings) error {
	cfg, err := t.awsFor(ctx, env)
	if err != nil {
		return err
	}
	return Status(ctx, t.Console.Out, Place{Region: cfg.Region, Env: env}, NewECS(cfg), NewStacks(cfg), NewExpress(cfg), s.Service)
}

// Secrets stores API keys for env: read from the console's input, one a
// line, or generated. Generated keys are printed once; stored keys never
// are.
func (t *Tool) Secrets(ctx context.Context, env string, s SecretsSettings) error {
	cfg, err := t.awsFor(ctx, env)
	if err != nil {
		return err
	}
	if err := t.confirm(ctx, cfg, env, "set API keys of", s.Yes); err != nil {
		return err
	}
	keys := GenerateKeys(s.Generate)
	if s.Generate == 0 {
		if keys, err = ReadKeys(t.Console.In); err != nil {
			return err
		}
	}
	created, err := NewSecrets(cfg).PutKeys(ctx, env, keys)
	if err != nil {
		return err
	}
	verb := "updated"
	if created {
		verb = "created"
	}
	out := t.Console.Out
	fmt.Fprintf(out, "%s secret %s with %d key(s)\n", verb, SecretName(env), len(keys))
	if s.Generate > 0 {
		fmt.Fprintln(out, "generated keys (shown once, store them now):")
		for _, k := range keys {
			fmt.Fprintln(out, k)
		}
	}
	fmt.Fprintf(out, "tasks read keys at start: run `go tool mage rollout %s` to make them pick these up\n", env)
	return nil
}
