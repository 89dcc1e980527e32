package manifests

import (
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/llm-testing/llm-testing/internal/config"
)

// ecsStopTimeout is how long ECS waits after SIGTERM before SIGKILL (the
// task definition's stopTimeout; Copilot leaves ECS's default).
const ecsStopTimeout = 30 * time.Second

// repoRoot returns the repository's root, from this file's place in it.
func repoRoot(tb testing.TB) string {
	tb.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		tb.Fatal("cannot find the test's source file")
	}
	return filepath.Join(filepath.Dir(file), "..", "..")
}

func loadWorkspace(tb testing.TB) Workspace {
	tb.Helper()
	ws, err := LoadWorkspace(filepath.Join(repoRoot(tb), "copilot"))
	if err != nil {
		tb.Fatalf("load workspace: %v", err)
	}
	return ws
}

func TestServiceAgreesWithServer(t *testing.T) {
	svc := loadWorkspace(t).Services["backend"]
	if got, want := svc.Type, "Load Balanced Web Service"; got != want {
		t.Errorf("type = %q, want %q", got, want)
	}
	if got, want := svc.Image.Port, config.DefaultPort; got != want {
		t.Errorf("image.port = %d, want the server's default port %d", got, want)
	}
	if got, want := svc.HTTP.HealthCheck.Path, "/health"; got != want {
		t.Errorf("http.healthcheck.path = %q, want %q", got, want)
	}
	if got, want := svc.Image.HealthCheck.Command, []string{"CMD", "/server", "healthcheck"}; !slices.Equal(got, want) {
		t.Errorf("image.healthcheck.command = %q, want %q", got, want)
	}
	if got, want := svc.Image.Location, "${IMAGE_URI}"; got != want {
		t.Errorf("image.location = %q, want %q (build once, deploy the digest)", got, want)
	}
	if !svc.Exec {
		t.Error("exec is off; the runbook needs copilot svc exec")
	}
}

// TestServiceSetsOnlyServerVars checks that every variable and secret the
// manifest sets, for every environment, is one the server reads: a misspelt
// name would silently leave the default in force.
func TestServiceSetsOnlyServerVars(t *testing.T) {
	svc := loadWorkspace(t).Services["backend"]
	layers := map[string]Service{"base": svc}
	for name, o := range svc.Environments {
		layers["environments."+name] = o
	}
	for layer, s := range layers {
		t.Run(layer, func(t *testing.T) {
			for name := range s.Variables {
				if !slices.Contains(config.Vars, name) && !slices.Contains(config.RuntimeVars, name) {
					t.Errorf("variable %s is not read by the server (config.Vars) or the Go runtime (config.RuntimeVars)", name)
				}
			}
			for name := range s.Secrets {
				if !slices.Contains(config.Vars, name) {
					t.Errorf("secret %s is not read by the server (config.Vars)", name)
				}
			}
		})
	}
	if got, want := svc.Variables["SUMMARIZER"], "bedrock"; got != want {
		t.Errorf("SUMMARIZER = %q, want %q", got, want)
	}
	if got, want := svc.Variables["LOG_FORMAT"], "json"; got != want {
		t.Errorf("LOG_FORMAT = %q, want %q", got, want)
	}
	if svc.Variables["BEDROCK_MODEL_ID"] == "" {
		t.Error("BEDROCK_MODEL_ID is not set")
	}
}

// TestServiceConfigLoads runs the manifest's values, as each environment
// gets them, through the server's own config loader: a value it refuses
// would stop every task at startup.
func TestServiceConfigLoads(t *testing.T) {
	ws := loadWorkspace(t)
	svc := ws.Services["backend"]
	for env := range ws.Environments {
		t.Run(env, func(t *testing.T) {
			vars := map[string]string{"API_KEYS": `{"keys":["k1234567890123456"]}`}
			for k, v := range svc.Variables {
				vars[k] = Interpolate(v, ws.Application, env)
			}
			for k, v := range svc.Environments[env].Variables {
				vars[k] = Interpolate(v, ws.Application, env)
			}
			cfg, err := config.Load(func(k string) string { return vars[k] })
			if err != nil {
				t.Fatalf("config.Load with the manifest's variables: %v", err)
			}
			checkTimeBudget(t, svc, cfg)
		})
	}
}

// checkTimeBudget checks DESIGN.md's time budget: ECS waits out the
// deregistration delay before SIGTERM, so it must cover the longest request,
// and the drain must end before ECS's SIGKILL.
func checkTimeBudget(tb testing.TB, svc Service, cfg config.Config) {
	tb.Helper()
	delay := svc.HTTP.DeregistrationDelay
	if delay < 50*time.Second {
		tb.Errorf("http.deregistration_delay = %v, want at least 50s", delay)
	}
	if delay <= cfg.BedrockTimeout {
		tb.Errorf("http.deregistration_delay = %v, want more than BEDROCK_TIMEOUT %v", delay, cfg.BedrockTimeout)
	}
	if cfg.DrainTimeout >= ecsStopTimeout {
		tb.Errorf("DRAIN_TIMEOUT = %v, want less than ECS's %v before SIGKILL", cfg.DrainTimeout, ecsStopTimeout)
	}
	hc := svc.HTTP.HealthCheck
	if hc.Timeout <= 0 || hc.Timeout >= hc.Interval {
		tb.Errorf("http.healthcheck timeout %v must be positive and below the interval %v", hc.Timeout, hc.Interval)
	}
}

func TestServiceSizeAndScaling(t *testing.T) {
	svc := loadWorkspace(t).Services["backend"]
	tests := []struct {
		name      string
		got, want any
	}{
		{"cpu", svc.CPU, 512},
		{"memory", svc.Memory, 1024},
		{"platform", svc.Platform, "linux/x86_64"},
		{"count.range", svc.Count.Range, "2-10"},
		{"count.cpu_percentage", svc.Count.CPUPercentage, 70},
		{"count.memory_percentage", svc.Count.MemoryPercentage, 80},
		{"staging count.range", svc.Environments["staging"].Count.Range, "1-2"},
		{"deployment.rolling", svc.Deployment.Rolling, "default"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
			}
		})
	}
	if svc.Count.Requests <= 0 {
		t.Error("count.requests is not set: a task waiting on the LLM has low CPU, so scale on requests too")
	}
	if svc.Deployment.RollbackAlarms.CPUUtilization <= float64(svc.Count.CPUPercentage) {
		t.Errorf("rollback alarm on CPU %v must sit above the scaling target %d", svc.Deployment.RollbackAlarms.CPUUtilization, svc.Count.CPUPercentage)
	}
}

func TestEnvironments(t *testing.T) {
	ws := loadWorkspace(t)
	for name, env := range ws.Environments {
		t.Run(name, func(t *testing.T) {
			if !env.Observability.ContainerInsights {
				t.Error("observability.container_insights is off")
			}
			vpc := env.Network.VPC
			if vpc.ID == "" && (len(vpc.Subnets.Public) < 2 || len(vpc.Subnets.Private) < 2) {
				t.Errorf("a new VPC needs two public and two private subnets (two AZs), got %d and %d",
					len(vpc.Subnets.Public), len(vpc.Subnets.Private))
			}
			if vpc.ID == "" && vpc.FlowLogs.IsZero() {
				t.Error("network.vpc.flow_logs is off")
			}
		})
	}
}
