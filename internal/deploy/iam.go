package deploy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

type iamAPI interface {
	GetRole(context.Context, *iam.GetRoleInput, ...func(*iam.Options)) (*iam.GetRoleOutput, error)
	CreateRole(context.Context, *iam.CreateRoleInput, ...func(*iam.Options)) (*iam.CreateRoleOutput, error)
	AttachRolePolicy(context.Context, *iam.AttachRolePolicyInput, ...func(*iam.Options)) (*iam.AttachRolePolicyOutput, error)
	PutRolePolicy(context.Context, *iam.PutRolePolicyInput, ...func(*iam.Options)) (*iam.PutRolePolicyOutput, error)
}

// Roles keeps the IAM roles the Express path runs with.
type Roles struct {
	api iamAPI
}

// NewRoles makes a Roles from cfg.
func NewRoles(cfg aws.Config) *Roles { return &Roles{api: iam.NewFromConfig(cfg)} }

// RoleARNs are the three roles an Express service needs.
type RoleARNs struct {
	// Execution lets ECS pull the image, write logs and read the secret.
	Execution string
	// Task is the application's: it may call Bedrock.
	Task string
	// Infrastructure lets ECS make the load balancer, security groups and
	// scaling.
	Infrastructure string
}

// The AWS managed policies the roles carry.
const (
	executionPolicy      = "service-role/AmazonECSTaskExecutionRolePolicy"
	infrastructurePolicy = "service-role/AmazonECSInfrastructureRoleforExpressGatewayServices"
)

// roleSpec is one role prepare makes: who may assume it and what it may do.
type roleSpec struct {
	name      string
	principal string
	managed   []string
	// inline maps a policy name to its document.
	inline map[string]string
}

// roleName is the name of one of env's Express roles.
func roleName(env, kind string) string { return App + "-" + env + "-express-" + kind }

// The kinds of role, as they end the roles' names.
const (
	roleExecution      = "execution"
	roleTask           = "task"
	roleInfrastructure = "infrastructure"
)

// Find returns the ARNs of env's roles, with a one-line error naming the
// first one missing.
func (r *Roles) Find(ctx context.Context, env string) (RoleARNs, error) {
	var arns [3]string
	for i, kind := range []string{roleExecution, roleTask, roleInfrastructure} {
		name := roleName(env, kind)
		out, err := r.api.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(name)})
		var nf *iamtypes.NoSuchEntityException
		if errors.As(err, &nf) {
			return RoleARNs{}, fmt.Errorf("IAM role %s not found: run `go tool mage express:prepare %s` first", name, env)
		}
		if err != nil {
			return RoleARNs{}, fmt.Errorf("get IAM role %s: %w", name, explain(err))
		}
		arns[i] = aws.ToString(out.Role.Arn)
	}
	return RoleARNs{Execution: arns[0], Task: arns[1], Infrastructure: arns[2]}, nil
}

// Ensure creates each role that does not exist and sets its policies, which
// attaching and putting again leaves as they are.
func (r *Roles) Ensure(ctx context.Context, out io.Writer, partition string, specs []roleSpec) error {
	for _, s := range specs {
		_, err := r.api.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(s.name)})
		var nf *iamtypes.NoSuchEntityException
		switch {
		case errors.As(err, &nf):
			if _, err := r.api.CreateRole(ctx, &iam.CreateRoleInput{
				RoleName: aws.String(s.name), AssumeRolePolicyDocument: aws.String(trustPolicy(s.principal)),
				Description: aws.String("Express Mode role of " + App),
				Tags:        []iamtypes.Tag{{Key: aws.String(tagApplication), Value: aws.String(App)}},
			}); err != nil {
				return fmt.Errorf("create IAM role %s: %w", s.name, explain(err))
			}
			fmt.Fprintf(out, "created IAM role %s\n", s.name)
		case err != nil:
			return fmt.Errorf("get IAM role %s: %w", s.name, explain(err))
		default:
			fmt.Fprintf(out, "IAM role %s exists\n", s.name)
		}
		for _, p := range s.managed {
			arn := "arn:" + partition + ":iam::aws:policy/" + p
			if _, err := r.api.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String(s.name), PolicyArn: aws.String(arn)}); err != nil {
				return fmt.Errorf("attach %s to IAM role %s: %w", p, s.name, explain(err))
			}
		}
		for name, doc := range s.inline {
			if _, err := r.api.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(s.name), PolicyName: aws.String(name), PolicyDocument: aws.String(doc)}); err != nil {
				return fmt.Errorf("put policy %s on IAM role %s: %w", name, s.name, explain(err))
			}
		}
	}
	return nil
}

func trustPolicy(principal string) string {
	return policyJSON(map[string]any{
		"Effect": "Allow", "Principal": map[string]string{"Service": principal}, "Action": "sts:AssumeRole",
	})
}

func policyJSON(statements ...map[string]any) string {
	b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": statements}) // maps of strings always encode
	return string(b)
}

// expressRoles are env's three roles; bedrock is the task role's policy
// document and secretARN the API keys secret the execution role may read.
func expressRoles(env, bedrock, secretARN string) []roleSpec {
	return []roleSpec{
		{name: roleName(env, roleExecution), principal: "ecs-tasks.amazonaws.com", managed: []string{executionPolicy},
			inline: map[string]string{"read-api-keys": policyJSON(map[string]any{
				"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": secretARN,
			})}},
		{name: roleName(env, roleTask), principal: "ecs-tasks.amazonaws.com", inline: map[string]string{"bedrock-invoke": bedrock}},
		{name: roleName(env, roleInfrastructure), principal: "ecs.amazonaws.com", managed: []string{infrastructurePolicy}},
	}
}

// partitionOf is the ARN partition of a region.
func partitionOf(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}
