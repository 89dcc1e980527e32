package deploy

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// The narrow interfaces below hold only the SDK calls the targets make, so a
// test can point the real client at a local endpoint or swap in a fake.

type ecsAPI interface {
	ListClusters(context.Context, *ecs.ListClustersInput, ...func(*ecs.Options)) (*ecs.ListClustersOutput, error)
	DescribeClusters(context.Context, *ecs.DescribeClustersInput, ...func(*ecs.Options)) (*ecs.DescribeClustersOutput, error)
	ListServices(context.Context, *ecs.ListServicesInput, ...func(*ecs.Options)) (*ecs.ListServicesOutput, error)
	DescribeServices(context.Context, *ecs.DescribeServicesInput, ...func(*ecs.Options)) (*ecs.DescribeServicesOutput, error)
	UpdateService(context.Context, *ecs.UpdateServiceInput, ...func(*ecs.Options)) (*ecs.UpdateServiceOutput, error)
	DescribeTaskDefinition(context.Context, *ecs.DescribeTaskDefinitionInput, ...func(*ecs.Options)) (*ecs.DescribeTaskDefinitionOutput, error)
}

type ecrAPI interface {
	GetAuthorizationToken(context.Context, *ecr.GetAuthorizationTokenInput, ...func(*ecr.Options)) (*ecr.GetAuthorizationTokenOutput, error)
	DescribeRepositories(context.Context, *ecr.DescribeRepositoriesInput, ...func(*ecr.Options)) (*ecr.DescribeRepositoriesOutput, error)
}

type logsAPI interface {
	FilterLogEvents(context.Context, *cloudwatchlogs.FilterLogEventsInput, ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.FilterLogEventsOutput, error)
}

type secretsAPI interface {
	DescribeSecret(context.Context, *secretsmanager.DescribeSecretInput, ...func(*secretsmanager.Options)) (*secretsmanager.DescribeSecretOutput, error)
	CreateSecret(context.Context, *secretsmanager.CreateSecretInput, ...func(*secretsmanager.Options)) (*secretsmanager.CreateSecretOutput, error)
	PutSecretValue(context.Context, *secretsmanager.PutSecretValueInput, ...func(*secretsmanager.Options)) (*secretsmanager.PutSecretValueOutput, error)
	TagResource(context.Context, *secretsmanager.TagResourceInput, ...func(*secretsmanager.Options)) (*secretsmanager.TagResourceOutput, error)
	RestoreSecret(context.Context, *secretsmanager.RestoreSecretInput, ...func(*secretsmanager.Options)) (*secretsmanager.RestoreSecretOutput, error)
}

type stsAPI interface {
	GetCallerIdentity(context.Context, *sts.GetCallerIdentityInput, ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error)
}

type cfnAPI interface {
	DescribeStacks(context.Context, *cloudformation.DescribeStacksInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeStacksOutput, error)
}

// AWS holds one client per AWS service the operator's targets call.
type AWS struct {
	// Region is the region every client talks to.
	Region string

	ecs     ecsAPI
	ecr     ecrAPI
	logs    logsAPI
	secrets secretsAPI
	sts     stsAPI
	cfn     cfnAPI
}

// NewAWS makes the clients from an already loaded configuration. Tests give
// it a configuration whose BaseEndpoint is a local server.
func NewAWS(cfg aws.Config) *AWS {
	return &AWS{
		Region:  cfg.Region,
		ecs:     ecs.NewFromConfig(cfg),
		ecr:     ecr.NewFromConfig(cfg),
		logs:    cloudwatchlogs.NewFromConfig(cfg),
		secrets: secretsmanager.NewFromConfig(cfg),
		sts:     sts.NewFromConfig(cfg),
		cfn:     cloudformation.NewFromConfig(cfg),
	}
}

// LoadAWS loads the SDK's default configuration (AWS_PROFILE, AWS_REGION,
// AWS_ENDPOINT_URL and the rest), checks that a region and credentials can
// be resolved, and makes the clients.
func LoadAWS(ctx context.Context, optFns ...func(*config.LoadOptions) error) (*AWS, error) {
	cfg, err := config.LoadDefaultConfig(ctx, optFns...)
	if err != nil {
		return nil, fmt.Errorf("load AWS configuration: %w", err)
	}
	if err := checkConfig(ctx, cfg); err != nil {
		return nil, err
	}
	return NewAWS(cfg), nil
}

// checkConfig turns a missing region or unresolvable credentials into one
// actionable line before any call is made.
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
