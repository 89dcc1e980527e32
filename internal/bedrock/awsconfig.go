package bedrock

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
)

// credentialsTimeout bounds the credential lookup at startup, which may try
// the container or instance metadata endpoints.
const credentialsTimeout = 10 * time.Second

// LoadAWSConfig loads the AWS configuration as every AWS tool does
// (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL_BEDROCK_RUNTIME, the task role
// ...) and checks that a region is set and that credentials can be
// retrieved, so that the server can refuse to start and say what is missing.
// optFns are passed to config.LoadDefaultConfig.
func LoadAWSConfig(ctx context.Context, optFns ...func(*config.LoadOptions) error) (aws.Config, error) {
	cfg, err := config.LoadDefaultConfig(ctx, optFns...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS config: %w", err)
	}
	if cfg.Region == "" {
		return aws.Config{}, errors.New("no AWS region: set AWS_REGION, or a region in the AWS_PROFILE profile")
	}
	if cfg.Credentials == nil {
		return aws.Config{}, errors.New("no AWS credentials: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run with an IAM role")
	}
	cctx, cancel := context.WithTimeout(ctx, credentialsTimeout)
	defer cancel()
	if _, err := cfg.Credentials.Retrieve(cctx); err != nil {
		return aws.Config{}, fmt.Errorf("no AWS credentials: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run with an IAM role: %w", err)
	}
	return cfg, nil
}
