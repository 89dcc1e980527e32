package deploy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// Apply creates env's service from r, or updates it when it runs something
// else, and follows the deployment that started to its end. An unchanged
// definition changes nothing. It returns the service.
func (x *Express) Apply(ctx context.Context, out io.Writer, r Release, opts RolloutOptions) (*ecstypes.ECSExpressGatewayService, error) {
	arn, err := x.Find(ctx, r.Def.Env)
	previous := ""
	switch {
	case errors.Is(err, errNoExpressService):
		fmt.Fprintf(out, "creating Express service %s in %s\n", Service, ExpressCluster(r.Def.Env))
		created, err := x.api.CreateExpressGatewayService(ctx, r.CreateInput())
		if err != nil {
			return nil, fmt.Errorf("create Express service %s: %w", Service, explain(err))
		}
		if created.Service == nil {
			return nil, fmt.Errorf("create Express service %s: no service in the answer", Service)
		}
		arn = aws.ToString(created.Service.ServiceArn)
	case err != nil:
		return nil, err
	default:
		svc, err := x.Describe(ctx, arn)
		if err != nil {
			return nil, err
		}
		if active := newest(svc.ActiveConfigurations); active != nil && r.runs(*active) {
			fmt.Fprintf(out, "Express service %s already runs this definition and %s: nothing to update\n", Service, r.Image)
			return svc, nil
		}
		previous = aws.ToString(svc.CurrentDeployment)
		fmt.Fprintf(out, "updating Express service %s\n", shortARN(arn))
		if _, err := x.api.UpdateExpressGatewayService(ctx, r.UpdateInput(arn)); err != nil {
			return nil, fmt.Errorf("update Express service %s: %w", shortARN(arn), explain(err))
		}
	}
	return x.follow(ctx, out, arn, previous, opts)
}

func newest(cs []ecstypes.ExpressGatewayServiceConfiguration) *ecstypes.ExpressGatewayServiceConfiguration {
	var n *ecstypes.ExpressGatewayServiceConfiguration
	for i := range cs {
		if n == nil || aws.ToTime(cs[i].CreatedAt).After(aws.ToTime(n.CreatedAt)) {
			n = &cs[i]
		}
	}
	return n
}

// follow waits for the service's current deployment to be another than
// previous, then follows that one to success or failure. A deployment that
// stopped or rolled back is a failure with ECS's reason.
func (x *Express) follow(ctx context.Context, out io.Writer, arn, previous string, opts RolloutOptions) (*ecstypes.ECSExpressGatewayService, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultRolloutTimeout
	}
	if opts.Interval <= 0 {
		opts.Interval = 5 * time.Second
	}
	deadline := time.Now().Add(opts.Timeout)
	last := ""
	for {
		svc, err := x.Describe(ctx, arn)
		if err != nil {
			return nil, err
		}
		dep := aws.ToString(svc.CurrentDeployment)
		state := "waiting for the deployment to start"
		if dep != "" && dep != previous {
			d, err := x.deployment(ctx, dep)
			if err != nil {
				return nil, err
			}
			state = fmt.Sprintf("deployment %s: %s", shortARN(dep), d.Status)
			if r := aws.ToString(d.StatusReason); r != "" {
				state += " (" + r + ")"
			}
			if state != last {
				fmt.Fprintln(out, state)
			}
			if done, err := finished(d); done {
				if err == nil {
					fmt.Fprintf(out, "deployment %s completed\n", shortARN(dep))
				}
				return svc, err
			}
		} else if state != last {
			fmt.Fprintln(out, state)
		}
		last = state
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("follow the deployment of %s: not finished after %s (%s); it goes on in ECS, see `go tool mage status`", shortARN(arn), opts.Timeout, state)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("follow the deployment of %s: %w", shortARN(arn), ctx.Err())
		case <-time.After(opts.Interval):
		}
	}
}

func (x *Express) deployment(ctx context.Context, arn string) (*ecstypes.ServiceDeployment, error) {
	out, err := x.api.DescribeServiceDeployments(ctx, &ecs.DescribeServiceDeploymentsInput{ServiceDeploymentArns: []string{arn}})
	if err != nil {
		return nil, fmt.Errorf("describe service deployment %s: %w", shortARN(arn), explain(err))
	}
	if len(out.ServiceDeployments) == 0 {
		reason := "MISSING"
		if len(out.Failures) > 0 {
			reason = aws.ToString(out.Failures[0].Reason)
		}
		return nil, fmt.Errorf("describe service deployment %s: not found (%s)", shortARN(arn), reason)
	}
	return &out.ServiceDeployments[0], nil
}

// finished says whether d has ended and, if it did not succeed, why.
func finished(d *ecstypes.ServiceDeployment) (bool, error) {
	switch d.Status {
	case ecstypes.ServiceDeploymentStatusSuccessful:
		return true, nil
	case ecstypes.ServiceDeploymentStatusPending, ecstypes.ServiceDeploymentStatusInProgress:
		return false, nil
	}
	msg := fmt.Sprintf("deployment %s failed: %s", shortARN(aws.ToString(d.ServiceDeploymentArn)), d.Status)
	if r := aws.ToString(d.StatusReason); r != "" {
		msg += ": " + r
	}
	if d.Rollback != nil && aws.ToString(d.Rollback.Reason) != "" {
		msg += "; rolled back: " + aws.ToString(d.Rollback.Reason)
	}
	return true, errors.New(msg)
}

// Delete deletes env's Express service, and with it the load balancer and
// scaling Express Mode made for it.
func (x *Express) Delete(ctx context.Context, out io.Writer, env string) error {
	arn, err := x.Find(ctx, env)
	if errors.Is(err, errNoExpressService) {
		fmt.Fprintf(out, "no Express service %s in %s: nothing to delete\n", Service, ExpressCluster(env))
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := x.api.DeleteExpressGatewayService(ctx, &ecs.DeleteExpressGatewayServiceInput{ServiceArn: aws.String(arn)}); err != nil {
		return fmt.Errorf("delete Express service %s: %w", shortARN(arn), explain(err))
	}
	fmt.Fprintf(out, "deleting Express service %s; ECS removes its load balancer and tasks in the next minutes\n", shortARN(arn))
	return nil
}
