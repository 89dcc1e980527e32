package deploy

import (
	"bytes"
	"context"
	"net/url"
	"strings"
	"testing"
)

func statusFake(tb testing.TB, stackOK, taskDefOK bool) *fakeAWS {
	return &fakeAWS{
		JSON: map[string]func(map[string]any) (any, error){
			"DescribeServices": func(req map[string]any) (any, error) {
				return map[string]any{"services": []any{ecsService(
					[]map[string]any{ecsDeployment("ecs-svc/new", "PRIMARY", "COMPLETED", 2, 2, 0)},
					ecsEvent("e1", 1764123600, "(service x) has reached a steady state."),
				)}}, nil
			},
			"DescribeTaskDefinition": func(req map[string]any) (any, error) {
				if !taskDefOK {
					return nil, &awsErr{Code: "AccessDeniedException", Message: "not allowed"}
				}
				return map[string]any{"taskDefinition": map[string]any{
					"family": "llm-testing-staging-backend", "revision": 7,
					"containerDefinitions": []any{
						map[string]any{"name": "firelens", "image": "fluent-bit"},
						map[string]any{"name": "backend", "image": "1.dkr.ecr.us-east-1.amazonaws.com/llm-testing/backend@sha256:abc"},
					},
				}}, nil
			},
		},
		Query: map[string]func(url.Values) (string, error){
			"DescribeStacks": func(form url.Values) (string, error) {
				if got := form.Get("StackName"); got != "llm-testing-staging" {
					tb.Errorf("StackName = %q", got)
				}
				if !stackOK {
					return "", &awsErr{Code: "ValidationError", Message: "Stack with id llm-testing-staging does not exist"}
				}
				return `<Stacks><member><StackName>llm-testing-staging</StackName><StackStatus>UPDATE_COMPLETE</StackStatus><CreationTime>2026-11-01T00:00:00Z</CreationTime>
<Outputs><member><OutputKey>VpcId</OutputKey><OutputValue>vpc-1</OutputValue></member>
<member><OutputKey>PublicLoadBalancerDNSName</OutputKey><OutputValue>llm-te-publi-1.us-east-1.elb.amazonaws.com</OutputValue></member></Outputs></member></Stacks>`, nil
			},
		},
	}
}

func TestStatus(t *testing.T) {
	tests := []struct {
		name      string
		stackOK   bool
		taskDefOK bool
		want      []string
	}{
		{name: "everything readable", stackOK: true, taskDefOK: true, want: []string{
			"task def     llm-testing-staging-backend:7",
			"image        1.dkr.ecr.us-east-1.amazonaws.com/llm-testing/backend@sha256:abc",
			"tasks        running 2  desired 2  pending 0",
			"PRIMARY  ecs-svc/new  COMPLETED  running 2/2",
			"has reached a steady state",
			"url          http://llm-te-publi-1.us-east-1.elb.amazonaws.com",
		}},
		{name: "pieces unreadable", want: []string{
			"image        unknown (describe task definition: access denied to ECS DescribeTaskDefinition",
			"tasks        running 2  desired 2  pending 0",
			"url          unknown (describe stack llm-testing-staging: CloudFormation DescribeStacks failed: ValidationError: Stack with id llm-testing-staging does not exist)",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := startFake(t, statusFake(t, tt.stackOK, tt.taskDefOK))
			var out bytes.Buffer
			if err := Status(context.Background(), &out, Place{Region: cfg.Region, Env: "staging"}, NewECS(cfg), NewStacks(cfg), nil, ServiceRef{Cluster: "c1", Service: "s1"}); err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}

func TestStatusNoCluster(t *testing.T) {
	f := statusFake(t, true, true)
	f.JSON["ListClusters"] = func(map[string]any) (any, error) { return map[string]any{"clusterArns": []string{}}, nil }
	cfg := startFake(t, f)
	var out bytes.Buffer
	if err := Status(context.Background(), &out, Place{Region: cfg.Region, Env: "staging"}, NewECS(cfg), NewStacks(cfg), nil, ServiceRef{}); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"service      unknown (no ECS cluster tagged", "url          http://"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("output lacks %q:\n%s", w, out.String())
		}
	}
}
