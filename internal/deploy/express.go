package deploy

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

type expressAPI interface {
	CreateCluster(context.Context, *ecs.CreateClusterInput, ...func(*ecs.Options)) (*ecs.CreateClusterOutput, error)
	DescribeServices(context.Context, *ecs.DescribeServicesInput, ...func(*ecs.Options)) (*ecs.DescribeServicesOutput, error)
	CreateExpressGatewayService(context.Context, *ecs.CreateExpressGatewayServiceInput, ...func(*ecs.Options)) (*ecs.CreateExpressGatewayServiceOutput, error)
	UpdateExpressGatewayService(context.Context, *ecs.UpdateExpressGatewayServiceInput, ...func(*ecs.Options)) (*ecs.UpdateExpressGatewayServiceOutput, error)
	DescribeExpressGatewayService(context.Context, *ecs.DescribeExpressGatewayServiceInput, ...func(*ecs.Options)) (*ecs.DescribeExpressGatewayServiceOutput, error)
	DeleteExpressGatewayService(context.Context, *ecs.DeleteExpressGatewayServiceInput, ...func(*ecs.Options)) (*ecs.DeleteExpressGatewayServiceOutput, error)
	DescribeServiceDeployments(context.Context, *ecs.DescribeServiceDeploymentsInput, ...func(*ecs.Options)) (*ecs.DescribeServiceDeploymentsOutput, error)
}

// Express applies the definition with ECS Express Mode, which provisions the
// load balancer, HTTPS, the service and its auto scaling from one call.
type Express struct {
	api expressAPI
}

// NewExpress makes an Express from cfg.
func NewExpress(cfg aws.Config) *Express { return &Express{api: ecs.NewFromConfig(cfg)} }

// ExpressCluster is the ECS cluster the Express path puts env's service in.
func ExpressCluster(env string) string { return App + "-" + env }

// Release is what one Express deploy runs: the definition, the pinned image,
// the roles and the secrets' ARNs by variable.
type Release struct {
	Def     Definition
	Image   string
	Roles   RoleARNs
	Secrets map[string]string
}

// copilotECSTags are the tags status, logs and rollout find a service by.
func copilotECSTags(env string) []ecstypes.Tag {
	return []ecstypes.Tag{
		{Key: aws.String(tagApplication), Value: aws.String(App)},
		{Key: aws.String(tagEnvironment), Value: aws.String(env)},
		{Key: aws.String(tagService), Value: aws.String(Service)},
	}
}

// EnsureCluster creates env's cluster, tagged as Copilot tags its own, or
// finds it (CreateCluster returns an existing cluster of that name).
func (x *Express) EnsureCluster(ctx context.Context, env string) error {
	_, err := x.api.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String(ExpressCluster(env)), Tags: copilotECSTags(env)[:2]})
	if err != nil {
		return fmt.Errorf("create cluster %s: %w", ExpressCluster(env), explain(err))
	}
	return nil
}

func (r Release) container() *ecstypes.ExpressGatewayContainer {
	c := &ecstypes.ExpressGatewayContainer{
		Image: aws.String(r.Image), ContainerPort: aws.Int32(r.Def.Port),
		AwsLogsConfiguration: &ecstypes.ExpressGatewayServiceAwsLogsConfiguration{
			LogGroup: aws.String(LogGroup(r.Def.Env)), LogStreamPrefix: aws.String(Service),
		},
	}
	for _, k := range sortedKeys(r.Def.Variables) {
		c.Environment = append(c.Environment, ecstypes.KeyValuePair{Name: aws.String(k), Value: aws.String(r.Def.Variables[k])})
	}
	for _, k := range sortedKeys(r.Secrets) {
		c.Secrets = append(c.Secrets, ecstypes.Secret{Name: aws.String(k), ValueFrom: aws.String(r.Secrets[k])})
	}
	return c
}

func (r Release) scaling() *ecstypes.ExpressGatewayScalingTarget {
	return &ecstypes.ExpressGatewayScalingTarget{
		MinTaskCount: aws.Int32(r.Def.MinTasks), MaxTaskCount: aws.Int32(r.Def.MaxTasks),
		AutoScalingMetric: r.Def.Metric, AutoScalingTargetValue: aws.Int32(r.Def.Target),
	}
}

// CreateInput is the request that creates env's service from r.
func (r Release) CreateInput() *ecs.CreateExpressGatewayServiceInput {
	return &ecs.CreateExpressGatewayServiceInput{
		Cluster: aws.String(ExpressCluster(r.Def.Env)), ServiceName: aws.String(Service),
		InfrastructureRoleArn: aws.String(r.Roles.Infrastructure), ExecutionRoleArn: aws.String(r.Roles.Execution), TaskRoleArn: aws.String(r.Roles.Task),
		Cpu: aws.String(strconv.Itoa(r.Def.CPU)), Memory: aws.String(strconv.Itoa(r.Def.Memory)), CpuArchitecture: r.Def.Arch,
		HealthCheckPath: aws.String(r.Def.HealthPath), PrimaryContainer: r.container(), ScalingTarget: r.scaling(),
		Tags: copilotECSTags(r.Def.Env),
	}
}

// UpdateInput is the request that makes the service at arn run r.
func (r Release) UpdateInput(arn string) *ecs.UpdateExpressGatewayServiceInput {
	c := r.CreateInput()
	return &ecs.UpdateExpressGatewayServiceInput{
		ServiceArn: aws.String(arn), ExecutionRoleArn: c.ExecutionRoleArn, TaskRoleArn: c.TaskRoleArn,
		Cpu: c.Cpu, Memory: c.Memory, CpuArchitecture: c.CpuArchitecture, HealthCheckPath: c.HealthCheckPath,
		PrimaryContainer: c.PrimaryContainer, ScalingTarget: c.ScalingTarget,
	}
}

// runs reports whether cfg, the service's active configuration, already is
// what r asks for, so that an unchanged definition changes nothing.
func (r Release) runs(cfg ecstypes.ExpressGatewayServiceConfiguration) bool {
	want := r.UpdateInput("")
	have := &ecs.UpdateExpressGatewayServiceInput{
		ServiceArn: aws.String(""), ExecutionRoleArn: cfg.ExecutionRoleArn, TaskRoleArn: cfg.TaskRoleArn,
		Cpu: cfg.Cpu, Memory: cfg.Memory, CpuArchitecture: cfg.CpuArchitecture, HealthCheckPath: cfg.HealthCheckPath,
		PrimaryContainer: cfg.PrimaryContainer, ScalingTarget: cfg.ScalingTarget,
	}
	if have.PrimaryContainer != nil {
		pc := *have.PrimaryContainer
		sort.Slice(pc.Environment, func(i, j int) bool {
			return aws.ToString(pc.Environment[i].Name) < aws.ToString(pc.Environment[j].Name)
		})
		sort.Slice(pc.Secrets, func(i, j int) bool { return aws.ToString(pc.Secrets[i].Name) < aws.ToString(pc.Secrets[j].Name) })
		have.PrimaryContainer = &pc
	}
	return reflect.DeepEqual(want, have)
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// errNoExpressService is Find's answer when env has no Express service.
var errNoExpressService = errors.New("no Express service")

// Find returns the ARN of env's service, or errNoExpressService.
func (x *Express) Find(ctx context.Context, env string) (string, error) {
	out, err := x.api.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(ExpressCluster(env)), Services: []string{Service}})
	var nf *ecstypes.ClusterNotFoundException
	if errors.As(err, &nf) {
		return "", fmt.Errorf("ECS cluster %s not found: run `go tool mage express:prepare %s` first", ExpressCluster(env), env)
	}
	if err != nil {
		return "", fmt.Errorf("describe service %s in %s: %w", Service, ExpressCluster(env), explain(err))
	}
	for _, s := range out.Services {
		if aws.ToString(s.Status) == statusActive {
			return aws.ToString(s.ServiceArn), nil
		}
	}
	return "", errNoExpressService
}

// Describe returns the Express service at arn.
func (x *Express) Describe(ctx context.Context, arn string) (*ecstypes.ECSExpressGatewayService, error) {
	out, err := x.api.DescribeExpressGatewayService(ctx, &ecs.DescribeExpressGatewayServiceInput{ServiceArn: aws.String(arn)})
	if err != nil {
		return nil, fmt.Errorf("describe Express service %s: %w", shortARN(arn), explain(err))
	}
	if out.Service == nil {
		return nil, fmt.Errorf("describe Express service %s: no service in the answer", shortARN(arn))
	}
	return out.Service, nil
}

// URL is the public endpoint Express Mode gave the service, or "".
func URL(svc *ecstypes.ECSExpressGatewayService) string {
	for _, c := range svc.ActiveConfigurations {
		for _, p := range c.IngressPaths {
			if p.AccessType == ecstypes.AccessTypePublic && aws.ToString(p.Endpoint) != "" {
				return "https://" + aws.ToString(p.Endpoint)
			}
		}
	}
	return ""
}
