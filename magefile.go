//go:build mage

// The operator's commands for llm-testing. Options are environment
// variables (mage takes positional arguments only); the work lives in
// internal/deploy, where it is tested.
package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/llm-testing/llm-testing/internal/deploy"
)

// Build builds the static server binary into bin/, its version from git describe.
func Build(ctx context.Context) error {
	t, err := tool()
	if err != nil {
		return err
	}
	return t.Build(ctx)
}

// Test runs the test suite with the race detector.
func Test(ctx context.Context) error {
	return deploy.Go(ctx, console(), ".", "test", "-race", "./...")
}

// Run runs the server locally, on the embedded summarizer unless SUMMARIZER says otherwise.
func Run(ctx context.Context) error { return deploy.Go(ctx, console(), ".", "run", "./cmd/server") }

// Spec regenerates api/openapi*.yaml and api/client.
func Spec(ctx context.Context) error { return deploy.Go(ctx, console(), ".", "generate", "./api") }

// Image builds the OCI image into dist/image without a Docker daemon (IMAGE_PLATFORMS, IMAGE_BUILDER=docker).
func Image(ctx context.Context) error {
	t, err := tool()
	if err != nil {
		return err
	}
	return t.Image(ctx)
}

// Push publishes the built image to ECR and prints its digest-pinned URI (IMAGE_REPOSITORY, YES).
func Push(ctx context.Context, env string) error {
	t, err := tool()
	if err != nil {
		return err
	}
	return t.Push(ctx, env)
}

// Deploy runs preflight checks, pushes if needed (not when IMAGE_URI names a pushed digest), then copilot svc deploy (YES, API_KEY, SMOKE_URL).
func Deploy(ctx context.Context, env string) error {
	t, err := tool()
	if err != nil {
		return err
	}
	return t.Deploy(ctx, env)
}

// Logs shows the service's CloudWatch logs (SINCE, FILTER, FOLLOW=1, LOG_GROUP).
func Logs(ctx context.Context, env string) error {
	t, err := tool()
	if err != nil {
		return err
	}
	return t.Logs(ctx, env)
}

// Rollout forces a new ECS deployment and follows it to COMPLETED or FAILED (ROLLOUT_TIMEOUT, ECS_CLUSTER, ECS_SERVICE).
func Rollout(ctx context.Context, env string) error {
	t, err := tool()
	if err != nil {
		return err
	}
	return t.Rollout(ctx, env)
}

// Status shows tasks, deployments, image, events and URL of an environment.
func Status(ctx context.Context, env string) error {
	t, err := tool()
	if err != nil {
		return err
	}
	return t.Status(ctx, env)
}

// Secrets creates or updates the API keys secret from stdin, one key a line, or GENERATE=N random keys.
func Secrets(ctx context.Context, env string) error {
	t, err := tool()
	if err != nil {
		return err
	}
	return t.Secrets(ctx, env)
}

// Bench runs cmd/loadtest with its defaults against the service on a fake Bedrock.
func Bench(ctx context.Context) error { return deploy.Go(ctx, console(), ".", "run", "./cmd/loadtest") }

// Eval runs cmd/eval with its defaults: the shipped evaluation set on the local summarizer.
func Eval(ctx context.Context) error { return deploy.Go(ctx, console(), ".", "run", "./cmd/eval") }

func console() deploy.Console {
	st, err := os.Stdin.Stat()
	interactive := err == nil && st.Mode()&os.ModeCharDevice != 0
	return deploy.Console{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Interactive: interactive}
}

// tool reads the options from the environment, the one place that does.
func tool() (*deploy.Tool, error) {
	s := deploy.Settings{
		ImageBuilder: os.Getenv("IMAGE_BUILDER"), ImageRepository: os.Getenv("IMAGE_REPOSITORY"),
		Since: os.Getenv("SINCE"), Filter: os.Getenv("FILTER"), LogGroup: os.Getenv("LOG_GROUP"),
		ECSCluster: os.Getenv("ECS_CLUSTER"), ECSService: os.Getenv("ECS_SERVICE"), APIKey: os.Getenv("API_KEY"),
		ImageURI: os.Getenv("IMAGE_URI"), SmokeURL: os.Getenv("SMOKE_URL"),
	}
	if p := os.Getenv("IMAGE_PLATFORMS"); p != "" {
		s.Platforms = strings.Split(p, ",")
	}
	var err error
	if s.Follow, err = envBool("FOLLOW"); err != nil {
		return nil, err
	}
	if s.Yes, err = envBool("YES"); err != nil {
		return nil, err
	}
	if v := os.Getenv("ROLLOUT_TIMEOUT"); v != "" {
		if s.RolloutTimeout, err = time.ParseDuration(v); err != nil || s.RolloutTimeout <= 0 {
			return nil, fmt.Errorf("ROLLOUT_TIMEOUT=%q: want a positive duration like 15m", v)
		}
	}
	if v := os.Getenv("GENERATE"); v != "" {
		if s.Generate, err = strconv.Atoi(v); err != nil || s.Generate < 1 || s.Generate > 100 {
			return nil, fmt.Errorf("GENERATE=%q: want a number of keys from 1 to 100", v)
		}
	}
	return &deploy.Tool{Dir: ".", Console: console(), Settings: s}, nil
}

func envBool(name string) (bool, error) {
	v := os.Getenv(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%s=%q: want 1 or 0", name, v)
	}
	return b, nil
}
