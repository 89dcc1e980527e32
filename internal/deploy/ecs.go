package deploy

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

type ecsAPI interface {
	ListClusters(context.Context, *ecs.ListClustersInput, ...func(*ecs.Options)) (*ecs.ListClustersOutput, error)
	DescribeClusters(context.Context, *ecs.DescribeClustersInput, ...func(*ecs.Options)) (*ecs.DescribeClustersOutput, error)
	ListServices(context.Context, *ecs.ListServicesInput, ...func(*ecs.Options)) (*ecs.ListServicesOutput, error)
	DescribeServices(context.Context, *ecs.DescribeServicesInput, ...func(*ecs.Options)) (*ecs.DescribeServicesOutput, error)
	UpdateService(context.Context, *ecs.UpdateServiceInput, ...func(*ecs.Options)) (*ecs.UpdateServiceOutput, error)
	DescribeTaskDefinition(context.Context, *ecs.DescribeTaskDefinitionInput, ...func(*ecs.Options)) (*ecs.DescribeTaskDefinitionOutput, error)
}

// ECS finds, describes and rolls out the service on ECS.
type ECS struct {
	api ecsAPI
}

// NewECS makes an ECS from cfg.
func NewECS(cfg aws.Config) *ECS { return &ECS{api: ecs.NewFromConfig(cfg)} }

// The statuses ECS gives clusters, services and deployments that the
// targets look at.
const (
	statusActive   = "ACTIVE"
	statusInactive = "INACTIVE"
	statusPrimary  = "PRIMARY"
)

// ServiceRef names an ECS service and its cluster (names or ARNs).
type ServiceRef struct {
	Cluster string
	Service string
}

// FindService finds env's cluster and the backend service by the tags
// Copilot puts on them. A field set in override (ECS_CLUSTER, ECS_SERVICE)
// is used as given and not looked up.
func (e *ECS) FindService(ctx context.Context, env string, override ServiceRef) (ServiceRef, error) {
	ref := override
	if ref.Cluster == "" {
		c, err := e.findCluster(ctx, env)
		if err != nil {
			return ServiceRef{}, err
		}
		ref.Cluster = c
	}
	if ref.Service == "" {
		s, err := e.findService(ctx, env, ref.Cluster)
		if err != nil {
			return ServiceRef{}, err
		}
		ref.Service = s
	}
	return ref, nil
}

func (e *ECS) findCluster(ctx context.Context, env string) (string, error) {
	var arns []string
	p := ecs.NewListClustersPaginator(e.api, &ecs.ListClustersInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return "", fmt.Errorf("list ECS clusters: %w", explain(err))
		}
		arns = append(arns, page.ClusterArns...)
	}
	for start := 0; start < len(arns); start += 100 {
		out, err := e.api.DescribeClusters(ctx, &ecs.DescribeClustersInput{
			Clusters: arns[start:min(start+100, len(arns))],
			Include:  []ecstypes.ClusterField{ecstypes.ClusterFieldTags},
		})
		if err != nil {
			return "", fmt.Errorf("describe ECS clusters: %w", explain(err))
		}
		for _, c := range out.Clusters {
			if aws.ToString(c.Status) == statusActive && hasTags(ecsTags(c.Tags), copilotLabels(env, false)) {
				return aws.ToString(c.ClusterArn), nil
			}
		}
	}
	return "", fmt.Errorf("no ECS cluster tagged %s=%s, %s=%s: deploy the environment (`copilot env deploy --name %s`) or set %s", tagApplication, App, tagEnvironment, env, env, envECSCluster)
}

func (e *ECS) findService(ctx context.Context, env, cluster string) (string, error) {
	var arns []string
	p := ecs.NewListServicesPaginator(e.api, &ecs.ListServicesInput{Cluster: aws.String(cluster)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return "", fmt.Errorf("list ECS services of %s: %w", cluster, explain(err))
		}
		arns = append(arns, page.ServiceArns...)
	}
	for start := 0; start < len(arns); start += 10 {
		out, err := e.api.DescribeServices(ctx, &ecs.DescribeServicesInput{
			Cluster:  aws.String(cluster),
			Services: arns[start:min(start+10, len(arns))],
			Include:  []ecstypes.ServiceField{ecstypes.ServiceFieldTags},
		})
		if err != nil {
			return "", fmt.Errorf("describe ECS services of %s: %w", cluster, explain(err))
		}
		for _, s := range out.Services {
			if hasTags(ecsTags(s.Tags), copilotLabels(env, true)) {
				return aws.ToString(s.ServiceArn), nil
			}
		}
	}
	return "", fmt.Errorf("ECS service not found: no service in %s tagged %s=%s for %s: deploy it first (`go tool mage deploy %s`) or set %s", cluster, tagService, Service, env, env, envECSService)
}

func copilotLabels(env string, service bool) map[string]string {
	m := map[string]string{tagApplication: App, tagEnvironment: env}
	if service {
		m[tagService] = Service
	}
	return m
}

func ecsTags(tags []ecstypes.Tag) map[string]string {
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return m
}

func hasTags(have, want map[string]string) bool {
	for k, v := range want {
		if have[k] != v {
			return false
		}
	}
	return true
}

// describeService returns one service, with a clear error when ECS does not
// know it (DescribeServices reports that as a failure, not an error).
func (e *ECS) describeService(ctx context.Context, ref ServiceRef) (*ecstypes.Service, error) {
	out, err := e.api.DescribeServices(ctx, &ecs.DescribeServicesInput{
		Cluster: aws.String(ref.Cluster), Services: []string{ref.Service},
	})
	if err != nil {
		return nil, fmt.Errorf("describe service %s: %w", ref.Service, explain(err))
	}
	for i := range out.Services {
		if aws.ToString(out.Services[i].Status) != statusInactive {
			return &out.Services[i], nil
		}
	}
	reason := "MISSING"
	if len(out.Failures) > 0 {
		reason = aws.ToString(out.Failures[0].Reason)
	}
	return nil, fmt.Errorf("describe service %s: ECS service not found (%s): deploy it first or set %s", ref.Service, reason, envECSService)
}
