package deploy

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// ServiceRef names an ECS service and its cluster (names or ARNs).
type ServiceRef struct {
	Cluster string
	Service string
}

// FindService finds env's cluster and the backend service by the tags
// Copilot puts on them. A field set in override (ECS_CLUSTER, ECS_SERVICE)
// is used as given and not looked up.
func (a *AWS) FindService(ctx context.Context, env string, override ServiceRef) (ServiceRef, error) {
	ref := override
	if ref.Cluster == "" {
		c, err := a.findCluster(ctx, env)
		if err != nil {
			return ServiceRef{}, err
		}
		ref.Cluster = c
	}
	if ref.Service == "" {
		s, err := a.findService(ctx, env, ref.Cluster)
		if err != nil {
			return ServiceRef{}, err
		}
		ref.Service = s
	}
	return ref, nil
}

func (a *AWS) findCluster(ctx context.Context, env string) (string, error) {
	var arns []string
	p := ecs.NewListClustersPaginator(a.ecs, &ecs.ListClustersInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return "", fmt.Errorf("list ECS clusters: %w", explain(err))
		}
		arns = append(arns, page.ClusterArns...)
	}
	for start := 0; start < len(arns); start += 100 {
		out, err := a.ecs.DescribeClusters(ctx, &ecs.DescribeClustersInput{
			Clusters: arns[start:min(start+100, len(arns))],
			Include:  []ecstypes.ClusterField{ecstypes.ClusterFieldTags},
		})
		if err != nil {
			return "", fmt.Errorf("describe ECS clusters: %w", explain(err))
		}
		for _, c := range out.Clusters {
			if aws.ToString(c.Status) == "ACTIVE" && hasTags(ecsTags(c.Tags), copilotLabels(env, false)) {
				return aws.ToString(c.ClusterArn), nil
			}
		}
	}
	return "", fmt.Errorf("no ECS cluster tagged copilot-application=%s, copilot-environment=%s: deploy the environment (`copilot env deploy --name %s`) or set ECS_CLUSTER", App, env, env)
}

func (a *AWS) findService(ctx context.Context, env, cluster string) (string, error) {
	var arns []string
	p := ecs.NewListServicesPaginator(a.ecs, &ecs.ListServicesInput{Cluster: aws.String(cluster)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return "", fmt.Errorf("list ECS services of %s: %w", cluster, explain(err))
		}
		arns = append(arns, page.ServiceArns...)
	}
	for start := 0; start < len(arns); start += 10 {
		out, err := a.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{
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
	return "", fmt.Errorf("ECS service not found: no service in %s tagged copilot-service=%s for %s: deploy it first (`go tool mage deploy %s`) or set ECS_SERVICE", cluster, Service, env, env)
}

func copilotLabels(env string, service bool) map[string]string {
	m := map[string]string{"copilot-application": App, "copilot-environment": env}
	if service {
		m["copilot-service"] = Service
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
func (a *AWS) describeService(ctx context.Context, ref ServiceRef) (*ecstypes.Service, error) {
	out, err := a.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{
		Cluster: aws.String(ref.Cluster), Services: []string{ref.Service},
	})
	if err != nil {
		return nil, fmt.Errorf("describe service %s: %w", ref.Service, explain(err))
	}
	for i := range out.Services {
		if aws.ToString(out.Services[i].Status) != "INACTIVE" {
			return &out.Services[i], nil
		}
	}
	reason := "MISSING"
	if len(out.Failures) > 0 {
		reason = aws.ToString(out.Failures[0].Reason)
	}
	return nil, fmt.Errorf("describe service %s: ECS service not found (%s): deploy it first or set ECS_SERVICE", ref.Service, reason)
}
