package deploy

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
)

type cfnAPI interface {
	DescribeStacks(context.Context, *cloudformation.DescribeStacksInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeStacksOutput, error)
}

// Stacks reads the CloudFormation stacks Copilot made.
type Stacks struct {
	api cfnAPI
}

// NewStacks makes a Stacks from cfg.
func NewStacks(cfg aws.Config) *Stacks { return &Stacks{api: cloudformation.NewFromConfig(cfg)} }

// lbDNSOutput is the environment stack's output naming its load balancer.
const lbDNSOutput = "PublicLoadBalancerDNSName"

// PublicURL reads the load balancer's DNS name from env's Copilot stack.
func (s *Stacks) PublicURL(ctx context.Context, env string) (string, error) {
	out, err := s.api.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(EnvStack(env))})
	if err != nil {
		return "", fmt.Errorf("describe stack %s: %w", EnvStack(env), explain(err))
	}
	for _, st := range out.Stacks {
		for _, o := range st.Outputs {
			if aws.ToString(o.OutputKey) == lbDNSOutput {
				return "http://" + aws.ToString(o.OutputValue), nil
			}
		}
	}
	return "", fmt.Errorf("stack %s has no %s output", EnvStack(env), lbDNSOutput)
}
