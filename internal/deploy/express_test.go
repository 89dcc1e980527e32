package deploy

import (
	"bytes"

	"context"
	"encoding/json"
	"fmt"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// expressRepo is a git repository with the real copilot/ definition and a
// record of a push of HEAD's image; it returns the directory and the URI.
func expressRepo(tb testing.TB) (string, string) {
	tb.Helper()
	dir := gitRepo(tb)
	src := filepath.Join(repoRoot(tb), "copilot")
	for _, rel := range []string{".workspace", "backend/manifest.yml", "backend/addons/bedrock-policy.yml", "backend/addons/alarms.yml", "backend/addons/addons.parameters.yml"} {
		b, err := os.ReadFile(filepath.Join(src, rel))
		if err != nil {
			tb.Fatal(err)
		}
		dst := filepath.Join(dir, "copilot", rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	head, err := Revision(context.Background(), dir)
	if err != nil {
		tb.Fatal(err)
	}
	uri := "123456789012.dkr.ecr.us-east-1.amazonaws.com/llm-testing/backend@sha256:" + strings.Repeat("d", 64)
	if err := WriteRecord(filepath.Join(dir, "dist", "image-uri.txt"), uri, head); err != nil {
		tb.Fatal(err)
	}
	return dir, uri
}

// expressFake answers like ECS Express Mode, Secrets Manager, CloudWatch
// Logs, IAM and STS. A created or updated service's active configuration is
// what the request asked for; its deployment ends in final.
type expressFake struct {
	*fakeAWS
	mu       sync.Mutex
	exists   bool
	config   map[string]any
	deploys  int
	final    string // SUCCESSFUL, ROLLBACK_SUCCESSFUL...
	polls    int
	requests []map[string]any // create and update requests, in order
	noRoles  bool
}

func newExpressFake(tb testing.TB, final string) *expressFake {
	x := &expressFake{final: final}
	x.fakeAWS = &fakeAWS{JSON: map[string]func(map[string]any) (any, error){
		"DescribeServices": func(req map[string]any) (any, error) {
			x.mu.Lock()
			defer x.mu.Unlock()
			if str(req, "cluster") != "llm-testing-staging" {
				tb.Errorf("DescribeServices cluster = %q", str(req, "cluster"))
			}
			if !x.exists {
				return map[string]any{"failures": []any{map[string]any{"arn": "backend", "reason": "MISSING"}}}, nil
			}
			return map[string]any{"services": []any{map[string]any{"serviceArn": "arn:aws:ecs:us-east-1:1:service/llm-testing-staging/backend", "status": "ACTIVE"}}}, nil
		},
		"CreateExpressGatewayService":   x.apply,
		"UpdateExpressGatewayService":   x.apply,
		"DescribeExpressGatewayService": x.describe,
		"DescribeServiceDeployments": func(req map[string]any) (any, error) {
			x.mu.Lock()
			defer x.mu.Unlock()
			x.polls++
			status, reason := "IN_PROGRESS", ""
			if x.polls > 1 {
				status = x.final
			}
			d := map[string]any{"serviceDeploymentArn": fmt.Sprintf("arn:aws:ecs:us-east-1:1:service-deployment/llm-testing-staging/backend/d%d", x.deploys), "status": status}
			if strings.HasPrefix(status, "ROLLBACK") {
				reason = "tasks failed their health checks"
				d["statusReason"] = "Service deployment rolled back because the circuit breaker threshold was exceeded."
				d["rollback"] = map[string]any{"reason": reason}
			}
			return map[string]any{"serviceDeployments": []any{d}}, nil
		},
		"DescribeSecret": func(req map[string]any) (any, error) {
			return map[string]any{"Name": str(req, "SecretId"), "ARN": "arn:aws:secretsmanager:us-east-1:1:secret:" + str(req, "SecretId") + "-AbCdEf"}, nil
		},
		"CreateLogGroup": func(map[string]any) (any, error) {
			return nil, &awsErr{Code: "ResourceAlreadyExistsException", Message: "exists"}
		},
		"PutRetentionPolicy": func(map[string]any) (any, error) { return nil, nil },
	}, Query: map[string]func(url.Values) (string, error){
		"GetCallerIdentity": func(url.Values) (string, error) { return "<Account>123456789012</Account>", nil },
		"GetRole": func(form url.Values) (string, error) {
			if x.noRoles {
				return "", &awsErr{Code: "NoSuchEntity", Message: "The role with name " + form.Get("RoleName") + " cannot be found.", Status: 404}
			}
			name := form.Get("RoleName")
			return "<Role><Path>/</Path><RoleName>" + name + "</RoleName><RoleId>AROA1</RoleId><Arn>arn:aws:iam::123456789012:role/" + name +
				"</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></Role>", nil
		},
	}}
	return x
}

func (x *expressFake) apply(req map[string]any) (any, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.requests = append(x.requests, req)
	x.exists = true
	x.deploys++
	x.polls = 0
	x.config = map[string]any{"createdAt": float64(1764123600 + x.deploys)}
	for _, k := range []string{"cpu", "memory", "cpuArchitecture", "executionRoleArn", "taskRoleArn", "healthCheckPath", "primaryContainer", "scalingTarget"} {
		if v, ok := req[k]; ok {
			x.config[k] = v
		}
	}
	x.config["ingressPaths"] = []any{map[string]any{"accessType": "PUBLIC", "endpoint": "ba-1234.ecs.us-east-1.on.aws"}}
	return map[string]any{"service": x.service()}, nil
}

func (x *expressFake) service() map[string]any {
	return map[string]any{
		"serviceArn": "arn:aws:ecs:us-east-1:1:service/llm-testing-staging/backend", "serviceName": "backend",
		"currentDeployment":    fmt.Sprintf("arn:aws:ecs:us-east-1:1:service-deployment/llm-testing-staging/backend/d%d", x.deploys),
		"activeConfigurations": []any{x.config}, "status": map[string]any{"statusCode": "ACTIVE"},
	}
}

func (x *expressFake) describe(map[string]any) (any, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	return map[string]any{"service": x.service()}, nil
}

func expressTool(tb testing.TB, dir string, x *expressFake, out *bytes.Buffer) *Tool {
	return &Tool{Dir: dir, Console: Console{In: strings.NewReader(""), Out: out, Err: out}, AWS: fixedAWS(startFake(tb, x.fakeAWS)), rolloutInterval: time.Millisecond}
}

func TestExpressDeploy(t *testing.T) {
	dir, uri := expressRepo(t)
	x := newExpressFake(t, "SUCCESSFUL")
	var out bytes.Buffer
	tool := expressTool(t, dir, x, &out)
	ctx := context.Background()
	if err := tool.ExpressDeploy(ctx, "staging", ExpressSettings{}); err != nil {
		t.Fatalf("create: %v\n%s", err, out.String())
	}
	if n := x.CallCount("CreateExpressGatewayService"); n != 1 || len(x.requests) != 1 {
		t.Fatalf("%d creates, want 1", n)
	}
	req, _ := json.Marshal(x.requests[0])
	for _, want := range []string{
		`"image":"` + uri + `"`, `"containerPort":3000`, `"healthCheckPath":"/health"`, `"cpu":"512"`, `"memory":"1024"`,
		`"minTaskCount":1`, `"maxTaskCount":2`, `"autoScalingMetric":"REQUEST_COUNT_PER_TARGET"`, `"autoScalingTargetValue":120`,
		`{"name":"API_KEYS","valueFrom":"arn:aws:secretsmanager:us-east-1:1:secret:llm-testing/staging/api-keys-AbCdEf"}`,
		`"logGroup":"/copilot/llm-testing-staging-backend"`, `"cluster":"llm-testing-staging"`, `"serviceName":"backend"`,
		`"infrastructureRoleArn":"arn:aws:iam::123456789012:role/llm-testing-staging-express-infrastructure"`,
		`"taskRoleArn":"arn:aws:iam::123456789012:role/llm-testing-staging-express-task"`,
		`{"key":"copilot-service","value":"backend"}`,
	} {
		if !strings.Contains(string(req), want) {
			t.Errorf("create request lacks %s:\n%s", want, req)
		}
	}
	def, err := LoadDefinition(dir, "staging")
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range def.Variables {
		if !strings.Contains(string(req), `{"name":"`+k+`","value":"`+v+`"}`) {
			t.Errorf("create request lacks variable %s=%s", k, v)
		}
	}
	for _, want := range []string{"http.deregistration_delay: 1m0s", "deployment.rollback_alarms: cpu 90%, memory 90%", "addons/alarms.yml",
		"http.healthcheck thresholds: 2 healthy, 3 unhealthy", "http.healthcheck.grace_period: 30s", "network.vpc.placement: private", "completed"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Index(out.String(), "not applied") > strings.Index(out.String(), "creating") {
		t.Errorf("what Express Mode cannot apply is not listed before the change:\n%s", out.String())
	}

	out.Reset()
	if err := tool.ExpressDeploy(ctx, "staging", ExpressSettings{}); err != nil {
		t.Fatalf("second run: %v\n%s", err, out.String())
	}
	if n := x.CallCount("UpdateExpressGatewayService") + x.CallCount("CreateExpressGatewayService"); n != 1 {
		t.Fatalf("an unchanged definition made %d more calls that change the service, want none:\n%s", n-1, out.String())
	}

	other := strings.TrimSuffix(uri, strings.Repeat("d", 64)) + strings.Repeat("e", 64)
	out.Reset()
	if err := tool.ExpressDeploy(ctx, "staging", ExpressSettings{ImageURI: other}); err != nil {
		t.Fatalf("update: %v\n%s", err, out.String())
	}
	if n := x.CallCount("UpdateExpressGatewayService"); n != 1 {
		t.Fatalf("%d updates for a new image, want 1", n)
	}
	upd, _ := json.Marshal(x.requests[1])
	if !strings.Contains(string(upd), `"image":"`+other+`"`) || !strings.Contains(string(upd), `"serviceArn":"arn:aws:ecs:us-east-1:1:service/llm-testing-staging/backend"`) {
		t.Errorf("update request = %s", upd)
	}
}

func TestExpressDeployFailures(t *testing.T) {
	tests := []struct {
		name     string
		final    string
		noRoles  bool
		noRecord bool
		wantErr  string
		creates  int
	}{
		{name: "rolled back", final: "ROLLBACK_SUCCESSFUL", creates: 1,
			wantErr: "deployment d1 failed: ROLLBACK_SUCCESSFUL: Service deployment rolled back because the circuit breaker threshold was exceeded.; rolled back: tasks failed their health checks"},
		{name: "stopped", final: "STOPPED", creates: 1, wantErr: "deployment d1 failed: STOPPED"},
		{name: "missing roles", final: "SUCCESSFUL", noRoles: true, wantErr: "IAM role llm-testing-staging-express-execution not found: run `go tool mage express:prepare staging` first"},
		{name: "no image record", final: "SUCCESSFUL", noRecord: true, wantErr: "no pushed image: dist/image-uri.txt records none; run `go tool mage push staging` or set IMAGE_URI"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, _ := expressRepo(t)
			if tt.noRecord {
				os.Remove(filepath.Join(dir, "dist", "image-uri.txt"))
			}
			x := newExpressFake(t, tt.final)
			x.noRoles = tt.noRoles
			var out bytes.Buffer
			err := expressTool(t, dir, x, &out).ExpressDeploy(context.Background(), "staging", ExpressSettings{})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("err = %v, want one line containing %q\n%s", err, tt.wantErr, out.String())
			}
			if n := x.CallCount("CreateExpressGatewayService"); n != tt.creates {
				t.Fatalf("%d creates, want %d", n, tt.creates)
			}
			if strings.Contains(out.String(), "completed") {
				t.Fatalf("a failed deployment reported as completed:\n%s", out.String())
			}
		})
	}
}

// TestDefinitionFromManifest maps the real manifest, with each
// environment's overrides, to the request field by field.
func TestDefinitionFromManifest(t *testing.T) {
	root := repoRoot(t)
	for _, tt := range []struct {
		env      string
		min, max int32
		days     int32
	}{{"staging", 1, 2, 7}, {"production", 2, 10, 30}} {
		t.Run(tt.env, func(t *testing.T) {
			d, err := LoadDefinition(root, tt.env)
			if err != nil {
				t.Fatal(err)
			}
			rel := Release{Def: d, Image: "r@sha256:x", Roles: RoleARNs{Execution: "e", Task: "t", Infrastructure: "i"}, Secrets: map[string]string{"API_KEYS": "arn:s"}}
			in := rel.CreateInput()
			c := in.PrimaryContainer
			checks := []struct {
				field     string
				got, want any
			}{
				{"image", *c.Image, "r@sha256:x"}, {"port", *c.ContainerPort, int32(3000)}, {"health", *in.HealthCheckPath, "/health"},
				{"cpu", *in.Cpu, "512"}, {"memory", *in.Memory, "1024"}, {"arch", string(in.CpuArchitecture), "X86_64"},
				{"min", *in.ScalingTarget.MinTaskCount, tt.min}, {"max", *in.ScalingTarget.MaxTaskCount, tt.max},
				{"metric", string(in.ScalingTarget.AutoScalingMetric), "REQUEST_COUNT_PER_TARGET"}, {"target", *in.ScalingTarget.AutoScalingTargetValue, int32(120)},
				{"secret", *c.Secrets[0].Name + "=" + *c.Secrets[0].ValueFrom, "API_KEYS=arn:s"}, {"secret name", d.Secrets["API_KEYS"], "llm-testing/" + tt.env + "/api-keys"},
				{"retention", d.LogRetention, tt.days}, {"variables", len(c.Environment), len(d.Variables)},
				{"execution role", *in.ExecutionRoleArn, "e"}, {"task role", *in.TaskRoleArn, "t"}, {"infrastructure role", *in.InfrastructureRoleArn, "i"},
				{"log group", *c.AwsLogsConfiguration.LogGroup, LogGroup(tt.env)}, {"cluster", *in.Cluster, "llm-testing-" + tt.env},
			}
			for _, ch := range checks {
				if ch.got != ch.want {
					t.Errorf("%s = %v, want %v", ch.field, ch.got, ch.want)
				}
			}
			if d.Variables["SUMMARIZER"] != "bedrock" || d.Variables["BEDROCK_TIMEOUT"] != "45s" {
				t.Errorf("variables = %v", d.Variables)
			}
			if !rel.runs(configOf(t, in)) {
				t.Errorf("the configuration a create asked for does not count as running it")
			}
		})
	}
}

// configOf is the active configuration ECS reports after in.
func configOf(tb testing.TB, in *ecs.CreateExpressGatewayServiceInput) ecstypes.ExpressGatewayServiceConfiguration {
	return ecstypes.ExpressGatewayServiceConfiguration{
		Cpu: in.Cpu, Memory: in.Memory, CpuArchitecture: in.CpuArchitecture, ExecutionRoleArn: in.ExecutionRoleArn, TaskRoleArn: in.TaskRoleArn,
		HealthCheckPath: in.HealthCheckPath, PrimaryContainer: in.PrimaryContainer, ScalingTarget: in.ScalingTarget,
	}
}

// TestStatusFindsExpressURL: with no Copilot environment stack, status
// shows the endpoint Express Mode gave the service.
func TestStatusFindsExpressURL(t *testing.T) {
	dir, _ := expressRepo(t)
	x := newExpressFake(t, "SUCCESSFUL")
	var out bytes.Buffer
	tool := expressTool(t, dir, x, &out)
	ctx := context.Background()
	if err := tool.ExpressDeploy(ctx, "staging", ExpressSettings{}); err != nil {
		t.Fatalf("deploy: %v\n%s", err, out.String())
	}
	out.Reset()
	if err := tool.Status(ctx, "staging", StatusSettings{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "https://ba-1234.ecs.us-east-1.on.aws") {
		t.Errorf("status does not show the Express URL:\n%s", out.String())
	}
}
