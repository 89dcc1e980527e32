package deploy

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
)

// Each AWS service the targets call has its own small type (ECS, ECR, Logs,
// Secrets, Identity, Stacks), made from an aws.Config and holding a private
// interface of exactly the SDK calls it makes, so a test can point the real
// client at a local endpoint or swap in a fake. A target makes only the
// types it uses.

// LoadAWS loads the SDK's default configuration (AWS_PROFILE, AWS_REGION,
// AWS_ENDPOINT_URL and the rest) and checks that a region and credentials
// can be resolved, so that a target fails with one actionable line before
// any call is made.
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

// checkConfig turns a missing region or unresolvable credentials into one
// actionable line.
func checkConfig(ctx context.Context, cfg aws.Config) error {
	if cfg.Region == "" {
		return errors.New("AWS region not set: set AWS_REGION or use a profile with a region (AWS_PROFILE)")
	}
	if cfg.Credentials == nil {
		return errNoCredentials
	}
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		if ex := explain(err); ex != err {
			return ex
		}
		return fmt.Errorf("%w (%v)", errNoCredentials, firstLine(err.Error()))
	}
	return nil
}
