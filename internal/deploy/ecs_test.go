package deploy

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"
)

// Builders for ECS wire shapes (awsJson1_1, camelCase, epoch-second times).

func ecsDeployment(id, status, state string, running, desired, pending int) map[string]any {
	return map[string]any{
		"id": id, "status": status, "rolloutState": state, "rolloutStateReason": "reason of " + id,
		"runningCount": running, "desiredCount": desired, "pendingCount": pending,
		"taskDefinition": "arn:aws:ecs:us-east-1:1:task-definition/llm-testing-staging-backend:7",
		"createdAt":      1764123518.5,
	}
}

func ecsEvent(id string, at float64, msg string) map[string]any {
	return map[string]any{"id": id, "createdAt": at, "message": msg}
}

func ecsService(deployments []map[string]any, events ...map[string]any) map[string]any {
	return map[string]any{
		"serviceName": "llm-testing-staging-backend", "serviceArn": "arn:svc", "status": "ACTIVE",
		"runningCount": 2, "desiredCount": 2, "pendingCount": 0,
		"taskDefinition": "arn:aws:ecs:us-east-1:1:task-definition/llm-testing-staging-backend:7",
		"deployments":    deployments, "events": events,
	}
}

// rolloutFake answers UpdateService with a new PRIMARY deployment and each
// DescribeServices with the next of polls (the last one repeats).
func rolloutFake(tb testing.TB, polls ...map[string]any) *fakeAWS {
	var mu sync.Mutex
	n := 0
	old := ecsEvent("e0", 1764123000, "(service x) has reached a steady state.")
	return &fakeAWS{JSON: map[string]func(map[string]any) (any, error){
		"UpdateService": func(req map[string]any) (any, error) {
			if req["forceNewDeployment"] != true || str(req, "cluster") != "c1" || str(req, "service") != "s1" {
				tb.Errorf("UpdateService request = %v, want forceNewDeployment on c1/s1", req)
			}
			return map[string]any{"service": ecsService([]map[string]any{
				ecsDeployment("ecs-svc/new", "PRIMARY", "IN_PROGRESS", 0, 2, 0),
				ecsDeployment("ecs-svc/old", "ACTIVE", "COMPLETED", 2, 2, 0),
			}, old)}, nil
		},
		"DescribeServices": func(req map[string]any) (any, error) {
			mu.Lock()
			defer mu.Unlock()
			p := polls[min(n, len(polls)-1)]
			n++
			return map[string]any{"services": []any{p}}, nil
		},
	}}
}

func TestRollout(t *testing.T) {
	started := ecsEvent("e1", 1764123600, "(service x) has started 2 tasks: (task a) (task b).")
	stopped := ecsEvent("e2", 1764123700, "(service x) deployment failed: tasks failed to start.")
	old := ecsEvent("e0", 1764123000, "(service x) has reached a steady state.")
	tests := []struct {
		name    string
		polls   []map[string]any
		timeout time.Duration
		wantErr string
		wantOut []string
	}{
		{
			name: "completed",
			polls: []map[string]any{
				ecsService([]map[string]any{ecsDeployment("ecs-svc/new", "PRIMARY", "IN_PROGRESS", 1, 2, 1), ecsDeployment("ecs-svc/old", "ACTIVE", "COMPLETED", 2, 2, 0)}, old, started),
				ecsService([]map[string]any{ecsDeployment("ecs-svc/new", "PRIMARY", "IN_PROGRESS", 1, 2, 1), ecsDeployment("ecs-svc/old", "ACTIVE", "COMPLETED", 2, 2, 0)}, old, started),
				ecsService([]map[string]any{ecsDeployment("ecs-svc/new", "PRIMARY", "COMPLETED", 2, 2, 0)}, old, started),
			},
			wantOut: []string{"IN_PROGRESS running 1 desired 2 pending 1", "has started 2 tasks", "COMPLETED running 2 desired 2 pending 0", "completed"},
		},
		{
			name: "failed",
			polls: []map[string]any{
				ecsService([]map[string]any{ecsDeployment("ecs-svc/new", "PRIMARY", "FAILED", 0, 2, 0), ecsDeployment("ecs-svc/old", "ACTIVE", "COMPLETED", 2, 2, 0)}, old, started, stopped),
			},
			wantErr: "deployment ecs-svc/new failed: reason of ecs-svc/new; last events:",
		},
		{
			name: "rolled back to the old deployment",
			polls: []map[string]any{
				ecsService([]map[string]any{ecsDeployment("ecs-svc/new", "PRIMARY", "IN_PROGRESS", 0, 2, 2), ecsDeployment("ecs-svc/old", "ACTIVE", "COMPLETED", 2, 2, 0)}, old),
				ecsService([]map[string]any{ecsDeployment("ecs-svc/old", "PRIMARY", "COMPLETED", 2, 2, 0), ecsDeployment("ecs-svc/new", "ACTIVE", "IN_PROGRESS", 0, 0, 0)}, old, stopped),
			},
			wantErr: "deployment ecs-svc/new rolled back: the circuit breaker made ecs-svc/old PRIMARY again",
		},
		{
			name: "rolled back and gone",
			polls: []map[string]any{
				ecsService([]map[string]any{ecsDeployment("ecs-svc/old", "PRIMARY", "COMPLETED", 2, 2, 0)}, old, stopped),
			},
			wantErr: "deployment ecs-svc/new rolled back: it is gone and ecs-svc/old is PRIMARY",
		},
		{
			name: "no circuit breaker: done when the old deployment is gone",
			polls: []map[string]any{
				ecsService([]map[string]any{ecsDeployment("ecs-svc/new", "PRIMARY", "", 1, 2, 1), ecsDeployment("ecs-svc/old", "ACTIVE", "", 2, 2, 0)}, old, started),
				ecsService([]map[string]any{ecsDeployment("ecs-svc/new", "PRIMARY", "", 2, 2, 0), ecsDeployment("ecs-svc/old", "ACTIVE", "", 1, 0, 0)}, old, started),
				ecsService([]map[string]any{ecsDeployment("ecs-svc/new", "PRIMARY", "", 2, 2, 0)}, old, started),
			},
			timeout: 3 * time.Second,
			wantOut: []string{"no circuit breaker: running 1 desired 2 pending 1", "no circuit breaker: running 2 desired 2 pending 0", "deployment ecs-svc/new completed"},
		},
		{
			name: "no circuit breaker: old tasks still draining",
			polls: []map[string]any{
				ecsService([]map[string]any{ecsDeployment("ecs-svc/new", "PRIMARY", "", 2, 2, 0), ecsDeployment("ecs-svc/old", "ACTIVE", "", 1, 0, 0)}, old),
			},
			timeout: 60 * time.Millisecond,
			wantErr: "not finished after 60ms (no circuit breaker: running 2 desired 2 pending 0)",
		},
		{
			name: "timeout",
			polls: []map[string]any{
				ecsService([]map[string]any{ecsDeployment("ecs-svc/new", "PRIMARY", "IN_PROGRESS", 0, 2, 2)}, old),
			},
			timeout: 60 * time.Millisecond,
			wantErr: "not finished after 60ms (IN_PROGRESS running 0 desired 2 pending 2)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := rolloutFake(t, tt.polls...)
			a := startFake(t, f)
			timeout := tt.timeout
			if timeout == 0 {
				timeout = 10 * time.Second
			}
			var out bytes.Buffer
			err := NewECS(a).Rollout(context.Background(), &out, ServiceRef{Cluster: "c1", Service: "s1"}, RolloutOptions{Timeout: timeout, Interval: 5 * time.Millisecond})
			if tt.wantErr == "" && err != nil {
				t.Fatalf("err = %v\noutput:\n%s", err, out.String())
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
			if strings.Contains(out.String(), "reached a steady state") {
				t.Errorf("output repeats an event from before the rollout:\n%s", out.String())
			}
			if got := strings.Count(out.String(), "has started 2 tasks"); got > 1 {
				t.Errorf("event printed %d times, want once", got)
			}
			if got := strings.Count(out.String(), "IN_PROGRESS running 1 desired 2 pending 1"); got > 1 {
				t.Errorf("unchanged progress printed %d times, want once", got)
			}
		})
	}
}

func TestFindService(t *testing.T) {
	tagged := func(env string, extra ...string) []any {
		tags := []any{
			map[string]any{"key": "copilot-application", "value": "llm-testing"},
			map[string]any{"key": "copilot-environment", "value": env},
		}
		for _, s := range extra {
			tags = append(tags, map[string]any{"key": "copilot-service", "value": s})
		}
		return tags
	}
	f := &fakeAWS{JSON: map[string]func(map[string]any) (any, error){
		"ListClusters": func(req map[string]any) (any, error) {
			if str(req, "nextToken") == "" {
				return map[string]any{"clusterArns": []string{"arn:c-prod"}, "nextToken": "p2"}, nil
			}
			return map[string]any{"clusterArns": []string{"arn:c-staging"}}, nil
		},
		"DescribeClusters": func(req map[string]any) (any, error) {
			if inc, _ := req["include"].([]any); len(inc) != 1 || inc[0] != "TAGS" {
				t.Errorf("DescribeClusters include = %v, want [TAGS]", req["include"])
			}
			return map[string]any{"clusters": []any{
				map[string]any{"clusterArn": "arn:c-prod", "status": "ACTIVE", "tags": tagged("production")},
				map[string]any{"clusterArn": "arn:c-staging", "status": "ACTIVE", "tags": tagged("staging")},
			}}, nil
		},
		"ListServices": func(req map[string]any) (any, error) {
			return map[string]any{"serviceArns": []string{"arn:s-other", "arn:s-backend"}}, nil
		},
		"DescribeServices": func(req map[string]any) (any, error) {
			if str(req, "cluster") != "arn:c-staging" {
				t.Errorf("DescribeServices cluster = %q", str(req, "cluster"))
			}
			return map[string]any{"services": []any{
				map[string]any{"serviceArn": "arn:s-other", "tags": tagged("staging", "worker")},
				map[string]any{"serviceArn": "arn:s-backend", "tags": tagged("staging", "backend")},
			}}, nil
		},
	}}
	a := NewECS(startFake(t, f))
	ctx := context.Background()
	ref, err := a.FindService(ctx, "staging", ServiceRef{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ref, (ServiceRef{Cluster: "arn:c-staging", Service: "arn:s-backend"}); got != want {
		t.Fatalf("FindService = %+v, want %+v", got, want)
	}
	if _, err := a.FindService(ctx, "qa", ServiceRef{}); err == nil || !strings.Contains(err.Error(), "set ECS_CLUSTER") {
		t.Fatalf("unknown env: err = %v, want the ECS_CLUSTER hint", err)
	}
	before := len(f.Calls())
	ref, err = a.FindService(ctx, "staging", ServiceRef{Cluster: "x", Service: "y"})
	if err != nil || ref.Cluster != "x" || ref.Service != "y" || len(f.Calls()) != before {
		t.Fatalf("override: ref %+v err %v, %d calls made; want overrides used as given", ref, err, len(f.Calls())-before)
	}
}
