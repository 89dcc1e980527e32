package deploy

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/llm-testing/llm-testing/internal/awsenv"
)

// Each AWS service the targets call has its own small type (ECS, ECR, Logs,
// Secrets, Identity, Stacks), made from an aws.Config and holding a private
// interface of exactly the SDK calls it makes, so a test can point the real
// client at a local endpoint or swap in a fake. A target makes only the
// types it uses.

// LoadAWS loads the SDK's default configuration (AWS_PROFILE, AWS_REGION,
// AWS_ENDPOINT_URL and the rest) and checks that a region and credentials
// can be resolved (awsenv, as the server does), so that a target fails with
// one actionable line before any call is made.
func LoadAWS(ctx context.Context, optFns ...func(*config.LoadOptions) error) (aws.Config, error) {
	cfg, err := config.LoadDefaultConfig(ctx, optFns...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS configuration: %w", err)
	}
	if err := checkConfig(ctx, cfg); err != nil {
		return aws.Config{}, err
	}
	return cfg, nil
}

// checkConfig is awsenv.Check, with an SDK error an operator meets often
// (an expired session, rejected keys) explained in one line.
func checkConfig(ctx context.Context, cfg aws.Config) error {
	err := awsenv.Check(ctx, cfg)
	if err == nil || err == awsenv.ErrNoRegion || err == awsenv.ErrNoCredentials {
		return err
	}
	if ex := explain(err); ex != err {
		return ex
	}
	return &Problem{Line: firstLine(err.Error()), Err: err}
}
