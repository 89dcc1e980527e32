//go:build mage

// The operator's commands for llm-testing. Options are environment
// variables (mage takes positional arguments only); each target parses only
// the ones it reads, and the work lives in internal/deploy, where it is
// tested.
package main

import (
	"context"
	"os"

	"github.com/magefile/mage/mg"

	"github.com/llm-testing/llm-testing/internal/deploy"
)

// Build builds the static server binary into bin/, its version from git describe.
func Build(ctx context.Context) error { return tool().Build(ctx) }

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
	s, err := deploy.ParseImageSettings(os.Getenv)
	if err != nil {
		return err
	}
	return tool().Image(ctx, s)
}

// Push publishes the built image to ECR and prints its digest-pinned URI (IMAGE_REPOSITORY, YES).
func Push(ctx context.Context, env string) error {
	return target(ctx, env, deploy.ParsePushSettings, (*deploy.Tool).Push)
}

// Deploy runs preflight checks, pushes if needed (not when IMAGE_URI names a pushed digest), then copilot svc deploy (YES, API_KEY, SMOKE_URL).
func Deploy(ctx context.Context, env string) error {
	return target(ctx, env, deploy.ParseDeploySettings, (*deploy.Tool).Deploy)
}

// Logs shows the service's CloudWatch logs (SINCE, FILTER, FOLLOW=1, LOG_GROUP).
func Logs(ctx context.Context, env string) error {
	return target(ctx, env, deploy.ParseLogsSettings, (*deploy.Tool).Logs)
}

// Rollout forces a new ECS deployment and follows it to COMPLETED or FAILED (ROLLOUT_TIMEOUT, ECS_CLUSTER, ECS_SERVICE).
func Rollout(ctx context.Context, env string) error {
	return target(ctx, env, deploy.ParseRolloutSettings, (*deploy.Tool).Rollout)
}

// Status shows tasks, deployments, image, events and URL of an environment.
func Status(ctx context.Context, env string) error {
	return target(ctx, env, deploy.ParseStatusSettings, (*deploy.Tool).Status)
}

// Secrets creates or updates the API keys secret from stdin, one key a line, or GENERATE=N random keys.
func Secrets(ctx context.Context, env string) error {
	return target(ctx, env, deploy.ParseSecretsSettings, (*deploy.Tool).Secrets)
}

// Express is the second deployer: ECS Express Mode from the same copilot/ definition, no Copilot CLI.
type Express mg.Namespace

// Prepare makes, idempotently, the ECR repository, API keys secret, cluster and IAM roles an Express deploy needs (YES).
func (Express) Prepare(ctx context.Context, env string) error {
	return target(ctx, env, deploy.ParseConfirmSettings, (*deploy.Tool).ExpressPrepare)
}

// Deploy creates or updates the Express service from copilot/ and the pushed digest, and follows it (IMAGE_URI, YES, API_KEY, SMOKE_URL, ROLLOUT_TIMEOUT).
func (Express) Deploy(ctx context.Context, env string) error {
	return target(ctx, env, deploy.ParseExpressSettings, (*deploy.Tool).ExpressDeploy)
}

// Delete deletes the Express service and the load balancer Express Mode made for it, after confirmation (YES).
func (Express) Delete(ctx context.Context, env string) error {
	return target(ctx, env, deploy.ParseConfirmSettings, (*deploy.Tool).ExpressDelete)
}

// Bench runs cmd/loadtest with its defaults against the service on a fake Bedrock.
func Bench(ctx context.Context) error { return deploy.Go(ctx, console(), ".", "run", "./cmd/loadtest") }

// Eval runs cmd/eval with its defaults: the shipped evaluation set on the local summarizer.
func Eval(ctx context.Context) error { return deploy.Go(ctx, console(), ".", "run", "./cmd/eval") }

// target parses one target's settings from the environment, and only its,
// then runs it for env.
func target[S any](ctx context.Context, env string, parse func(func(string) string) (S, error), run func(*deploy.Tool, context.Context, string, S) error) error {
	s, err := parse(os.Getenv)
	if err != nil {
		return err
	}
	return run(tool(), ctx, env, s)
}

func tool() *deploy.Tool { return &deploy.Tool{Dir: ".", Console: console()} }

func console() deploy.Console {
	st, err := os.Stdin.Stat()
	interactive := err == nil && st.Mode()&os.ModeCharDevice != 0
	return deploy.Console{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Interactive: interactive}
}
