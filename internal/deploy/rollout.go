package deploy

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// RolloutOptions tunes how a rollout is followed.
type RolloutOptions struct {
	// Timeout is how long to wait for the new deployment (ROLLOUT_TIMEOUT).
	Timeout time.Duration
	// Interval is the time between polls; tests use milliseconds.
	Interval time.Duration
}

// DefaultRolloutTimeout is how long a rollout is followed unless told.
const DefaultRolloutTimeout = 15 * time.Minute

// Rollout forces a new deployment of the service, so that new tasks start
// with fresh secrets, and follows that deployment by id until it completes.
// A failed deployment, or one the circuit breaker rolled back, is an error.
//
// ECS reports a rollout state only for services with the deployment circuit
// breaker (Copilot turns it on). Without one the state is empty, and the
// new deployment counts as complete once it is PRIMARY, runs as many tasks
// as it wants, and no other deployment is left: the old tasks are gone.
func (e *ECS) Rollout(ctx context.Context, out io.Writer, ref ServiceRef, opts RolloutOptions) error {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultRolloutTimeout
	}
	if opts.Interval <= 0 {
		opts.Interval = 5 * time.Second
	}
	upd, err := e.api.UpdateService(ctx, &ecs.UpdateServiceInput{
		Cluster: aws.String(ref.Cluster), Service: aws.String(ref.Service), ForceNewDeployment: true,
	})
	if err != nil {
		return fmt.Errorf("update service %s: %w", ref.Service, explain(err))
	}
	if upd.Service == nil {
		return fmt.Errorf("update service %s: no service in the answer", ref.Service)
	}
	primary := findPrimary(upd.Service.Deployments)
	if primary == nil {
		return fmt.Errorf("update service %s: no PRIMARY deployment in the answer", ref.Service)
	}
	w := &rolloutWatch{out: out, id: aws.ToString(primary.Id), seen: map[string]bool{}}
	for _, e := range upd.Service.Events {
		w.seen[aws.ToString(e.Id)] = true
	}
	fmt.Fprintf(out, "started deployment %s of %s (task definition %s)\n", w.id, aws.ToString(upd.Service.ServiceName), shortARN(aws.ToString(primary.TaskDefinition)))

	deadline := time.NewTimer(opts.Timeout)
	defer deadline.Stop()
	tick := time.NewTicker(opts.Interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return fmt.Errorf("follow deployment %s: %w", w.id, ctx.Err())
		case <-deadline.C:
			return fmt.Errorf("follow deployment %s: not finished after %s (%s); it goes on in ECS, see `go tool mage status`", w.id, opts.Timeout, w.last)
		case <-tick.C:
		}
		svc, err := e.describeService(ctx, ref)
		if err != nil {
			return err
		}
		done, err := w.observe(svc)
		if done || err != nil {
			return err
		}
	}
}

// rolloutWatch follows one deployment across polls and prints only changes.
type rolloutWatch struct {
	out    io.Writer
	id     string
	last   string
	seen   map[string]bool
	recent []string
}

// observe prints what changed since the last poll and says whether the
// deployment has finished, with an error if it failed.
func (w *rolloutWatch) observe(svc *ecstypes.Service) (bool, error) {
	events := append([]ecstypes.ServiceEvent(nil), svc.Events...)
	sort.Slice(events, func(i, j int) bool {
		return aws.ToTime(events[i].CreatedAt).Before(aws.ToTime(events[j].CreatedAt))
	})
	for _, e := range events {
		id := aws.ToString(e.Id)
		if w.seen[id] {
			continue
		}
		w.seen[id] = true
		line := aws.ToTime(e.CreatedAt).UTC().Format(time.RFC3339) + "  " + aws.ToString(e.Message)
		w.recent = append(w.recent, line)
		if len(w.recent) > 5 {
			w.recent = w.recent[1:]
		}
		fmt.Fprintln(w.out, "  event  "+line)
	}

	d := findDeployment(svc.Deployments, w.id)
	if d == nil {
		return true, fmt.Errorf("deployment %s rolled back: it is gone and %s is PRIMARY%s", w.id, primaryID(svc), w.lastEvents())
	}
	rollout := string(d.RolloutState)
	if rollout == "" {
		rollout = "no circuit breaker:"
	}
	state := fmt.Sprintf("%s running %d desired %d pending %d", rollout, d.RunningCount, d.DesiredCount, d.PendingCount)
	if d.FailedTasks > 0 {
		state += fmt.Sprintf(" failed tasks %d", d.FailedTasks)
	}
	if state != w.last {
		w.last = state
		fmt.Fprintf(w.out, "deployment %s: %s\n", w.id, state)
	}
	switch {
	case d.RolloutState == ecstypes.DeploymentRolloutStateFailed:
		return true, fmt.Errorf("deployment %s failed: %s%s", w.id, aws.ToString(d.RolloutStateReason), w.lastEvents())
	case aws.ToString(d.Status) != statusPrimary:
		return true, fmt.Errorf("deployment %s rolled back: the circuit breaker made %s PRIMARY again%s", w.id, primaryID(svc), w.lastEvents())
	case d.RolloutState == ecstypes.DeploymentRolloutStateCompleted,
		d.RolloutState == "" && d.RunningCount == d.DesiredCount && len(svc.Deployments) == 1:
		fmt.Fprintf(w.out, "deployment %s completed\n", w.id)
		return true, nil
	}
	return false, nil
}

func (w *rolloutWatch) lastEvents() string {
	if len(w.recent) == 0 {
		return ""
	}
	return "; last events: " + strings.Join(w.recent, " | ")
}

func findPrimary(ds []ecstypes.Deployment) *ecstypes.Deployment {
	for i := range ds {
		if aws.ToString(ds[i].Status) == statusPrimary {
			return &ds[i]
		}
	}
	return nil
}

func findDeployment(ds []ecstypes.Deployment, id string) *ecstypes.Deployment {
	for i := range ds {
		if aws.ToString(ds[i].Id) == id {
			return &ds[i]
		}
	}
	return nil
}

func primaryID(svc *ecstypes.Service) string {
	if p := findPrimary(svc.Deployments); p != nil {
		return aws.ToString(p.Id)
	}
	return "no deployment"
}

// shortARN returns the part of an ARN after its last slash.
func shortARN(arn string) string {
	if i := strings.LastIndexByte(arn, '/'); i >= 0 {
		return arn[i+1:]
	}
	return arn
}
