package deploy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// statusEvents is how many recent service events status shows.
const statusEvents = 8

// Status prints what runs in where.Env: cluster, service, task definition
// and image, task counts, deployments, recent events and the public URL. A
// piece that cannot be read shows as unknown with the reason; the rest still
// prints, so Status only fails when out cannot be written.
func Status(ctx context.Context, out io.Writer, where Place, svc *ECS, stacks *Stacks, x *Express, override ServiceRef) error {
	p := &printer{w: out}
	p.field("environment", where.Env)
	p.field("region", where.Region)
	url, urlErr := publicURL(ctx, where.Env, stacks, x)

	ref, err := svc.FindService(ctx, where.Env, override)
	if err != nil {
		p.unknown("service", err)
	} else {
		svc.printService(ctx, p, ref)
	}
	if urlErr != nil {
		p.unknown("url", urlErr)
	} else {
		p.field("url", url)
	}
	return p.err
}

// publicURL is env's URL: the Copilot environment stack's, else the
// endpoint Express Mode gave the service (x may be nil). When neither has
// one, the error is the Copilot lookup's.
func publicURL(ctx context.Context, env string, stacks *Stacks, x *Express) (string, error) {
	url, err := stacks.PublicURL(ctx, env)
	if err == nil || x == nil {
		return url, err
	}
	arn, xerr := x.Find(ctx, env)
	if xerr != nil {
		return "", err
	}
	svc, xerr := x.Describe(ctx, arn)
	if xerr != nil {
		return "", xerr
	}
	if u := URL(svc); u != "" {
		return u, nil
	}
	return "", errors.New("the Express service has no public endpoint yet")
}

func (e *ECS) printService(ctx context.Context, p *printer, ref ServiceRef) {
	p.field("cluster", shortARN(ref.Cluster))
	svc, err := e.describeService(ctx, ref)
	if err != nil {
		p.field("service", shortARN(ref.Service))
		p.unknown("tasks", err)
		return
	}
	p.field("service", aws.ToString(svc.ServiceName))
	td := aws.ToString(svc.TaskDefinition)
	p.field("task def", shortARN(td))
	if image, err := e.image(ctx, td); err != nil {
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
func (e *ECS) image(ctx context.Context, taskDef string) (string, error) {
	out, err := e.api.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(taskDef)})
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
