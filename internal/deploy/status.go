package deploy

import (
	"context"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// statusEvents is how many recent service events status shows.
const statusEvents = 8

// Status prints what runs in env: cluster, service, task definition and
// image, task counts, deployments, recent events and the public URL. A piece
// that cannot be read shows as unknown with the reason; the rest still
// prints, so Status only fails when out cannot be written.
func (a *AWS) Status(ctx context.Context, out io.Writer, env string, override ServiceRef) error {
	p := &printer{w: out}
	p.field("environment", env)
	p.field("region", a.Region)
	url, urlErr := a.publicURL(ctx, env)

	ref, err := a.FindService(ctx, env, override)
	if err != nil {
		p.unknown("service", err)
	} else {
		a.printService(ctx, p, ref)
	}
	if urlErr != nil {
		p.unknown("url", urlErr)
	} else {
		p.field("url", url)
	}
	return p.err
}

func (a *AWS) printService(ctx context.Context, p *printer, ref ServiceRef) {
	p.field("cluster", shortARN(ref.Cluster))
	svc, err := a.describeService(ctx, ref)
	if err != nil {
		p.field("service", shortARN(ref.Service))
		p.unknown("tasks", err)
		return
	}
	p.field("service", aws.ToString(svc.ServiceName))
	td := aws.ToString(svc.TaskDefinition)
	p.field("task def", shortARN(td))
	if image, err := a.image(ctx, td); err != nil {
		p.unknown("image", err)
	} else {
		p.field("image", image)
	}
	p.field("tasks", fmt.Sprintf("running %d  desired %d  pending %d", svc.RunningCount, svc.DesiredCount, svc.PendingCount))
	p.line("deployments")
	for _, d := range svc.Deployments {
		p.line(fmt.Sprintf("  %-8s %s  %s  running %d/%d  pending %d  failed %d  %s  since %s",
			aws.ToString(d.Status), aws.ToString(d.Id), orUnknown(string(d.RolloutState)),
			d.RunningCount, d.DesiredCount, d.PendingCount, d.FailedTasks,
			shortARN(aws.ToString(d.TaskDefinition)), aws.ToTime(d.CreatedAt).UTC().Format(time.RFC3339)))
	}
	events := append([]ecstypes.ServiceEvent(nil), svc.Events...)
	sort.Slice(events, func(i, j int) bool {
		return aws.ToTime(events[i].CreatedAt).After(aws.ToTime(events[j].CreatedAt))
	})
	p.line("events (newest first)")
	for _, e := range events[:min(len(events), statusEvents)] {
		p.line("  " + aws.ToTime(e.CreatedAt).UTC().Format(time.RFC3339) + "  " + aws.ToString(e.Message))
	}
}

// image returns the images of the task definition's containers.
func (a *AWS) image(ctx context.Context, taskDef string) (string, error) {
	out, err := a.ecs.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(taskDef)})
	if err != nil {
		return "", fmt.Errorf("describe task definition: %w", explain(err))
	}
	if out.TaskDefinition == nil {
		return "", fmt.Errorf("describe task definition: empty answer")
	}
	for _, c := range out.TaskDefinition.ContainerDefinitions {
		if aws.ToString(c.Name) == Service {
			return aws.ToString(c.Image), nil
		}
	}
	if cs := out.TaskDefinition.ContainerDefinitions; len(cs) > 0 {
		return aws.ToString(cs[0].Image), nil
	}
	return "", fmt.Errorf("task definition has no containers")
}

// publicURL reads the load balancer's DNS name from env's Copilot stack.
func (a *AWS) publicURL(ctx context.Context, env string) (string, error) {
	out, err := a.cfn.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(EnvStack(env))})
	if err != nil {
		return "", fmt.Errorf("describe stack %s: %w", EnvStack(env), explain(err))
	}
	for _, s := range out.Stacks {
		for _, o := range s.Outputs {
			if aws.ToString(o.OutputKey) == "PublicLoadBalancerDNSName" {
				return "http://" + aws.ToString(o.OutputValue), nil
			}
		}
	}
	return "", fmt.Errorf("stack %s has no PublicLoadBalancerDNSName output", EnvStack(env))
}

// printer writes aligned status lines and keeps the first write error.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) line(s string) {
	if p.err == nil {
		_, p.err = fmt.Fprintln(p.w, s)
	}
}

func (p *printer) field(name, value string) { p.line(fmt.Sprintf("%-12s %s", name, value)) }

func (p *printer) unknown(name string, err error) {
	p.field(name, "unknown ("+err.Error()+")")
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}
