// Package awsenv loads the AWS SDK's configuration the way every AWS tool
// does (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL_*, the task role) and
// checks, before any call is made, that a region is set and that credentials
// can be retrieved. The server (SUMMARIZER=bedrock), cmd/eval's bedrock
// targets and the operator's tool all load through it, so the check and its
// messages are written once.
package awsenv

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
)

// CredentialsTimeout bounds the credential lookup, which may try the
// container or instance metadata endpoints.
const CredentialsTimeout = 10 * time.Second

// ErrNoRegion is returned when no region can be resolved.
var ErrNoRegion = errors.New("no AWS region: set AWS_REGION, or a region in the AWS_PROFILE profile")

// ErrNoCredentials is returned (wrapped, with the SDK's reason) when no
// credentials can be retrieved.
var ErrNoCredentials = errors.New("no AWS credentials: set AWS_PROFILE (then `aws sso login`), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run with an IAM role")

// Load loads the default configuration with optFns and checks region and
// credentials. The error says which is missing.
func Load(ctx context.Context, optFns ...func(*config.LoadOptions) error) (aws.Config, error) {
	cfg, err := config.LoadDefaultConfig(ctx, optFns...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS configuration: %w", err)
	}
	if err := Check(ctx, cfg); err != nil {
		return aws.Config{}, err
	}
	return cfg, nil
}

// Check reports a missing region (ErrNoRegion) or credentials that cannot
// be retrieved within CredentialsTimeout (ErrNoCredentials, wrapping the
// SDK's error).
func Check(ctx context.Context, cfg aws.Config) error {
	if cfg.Region == "" {
		return ErrNoRegion
	}
	if cfg.Credentials == nil {
		return ErrNoCredentials
	}
	cctx, cancel := context.WithTimeout(ctx, CredentialsTimeout)
	defer cancel()
	if _, err := cfg.Credentials.Retrieve(cctx); err != nil {
		return fmt.Errorf("%w: %w", ErrNoCredentials, err)
	}
	return nil
}
