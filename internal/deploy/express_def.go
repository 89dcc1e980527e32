package deploy

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/llm-testing/llm-testing/internal/manifests"
)

// Definition is what the Express path deploys, read from the service's
// Copilot manifest with the environment's overrides applied: copilot/ stays
// the one definition of the service, whichever deployer applies it.
type Definition struct {
	Env        string
	Port       int32
	HealthPath string
	CPU        int
	Memory     int
	// Arch is the CPU architecture, from the manifest's platform.
	Arch ecstypes.ExpressCpuArchitecture
	// MinTasks and MaxTasks are count.range.
	MinTasks, MaxTasks int32
	// Metric and Target are the one scaling target Express Mode applies.
	Metric ecstypes.ExpressGatewayServiceScalingMetric
	Target int32
	// Variables are the container's environment variables.
	Variables map[string]string
	// Secrets map a variable to the Secrets Manager secret's name.
	Secrets map[string]string
	// LogRetention is the log group's retention in days.
	LogRetention int32
	// NotApplied lists, one line each, what the manifest says that Express
	// Mode cannot apply.
	NotApplied []string
}

// serviceManifest is the service's manifest in a repository.
func serviceManifest(dir string) string {
	return filepath.Join(dir, "copilot", Service, "manifest.yml")
}

// LoadDefinition reads copilot/backend/manifest.yml in dir with env's
// overrides applied.
func LoadDefinition(dir, env string) (Definition, error) {
	m, err := manifests.ReadService(serviceManifest(dir))
	if err != nil {
		return Definition{}, err
	}
	return definition(m, env, addons(dir))
}

// bedrockAddon is the addon whose policy prepare gives the task role; every
// other addon is a CloudFormation template the Express path does not apply.
const bedrockAddon = "bedrock-policy.yml"

func addons(dir string) []string {
	entries, _ := os.ReadDir(filepath.Join(dir, "copilot", Service, "addons"))
	var names []string
	for _, e := range entries {
		if n := e.Name(); n != bedrockAddon && n != "addons.parameters.yml" && strings.HasSuffix(n, ".yml") {
			names = append(names, n)
		}
	}
	return names
}

// merge applies env's overrides, as Copilot does for the fields read here.
func merge(base, ov manifests.Service) manifests.Service {
	out := base
	if ov.Count.Range != "" {
		out.Count = ov.Count
	}
	if ov.CPU != 0 {
		out.CPU = ov.CPU
	}
	if ov.Memory != 0 {
		out.Memory = ov.Memory
	}
	if ov.Logging.Retention != 0 {
		out.Logging.Retention = ov.Logging.Retention
	}
	if ov.Image.Port != 0 {
		out.Image.Port = ov.Image.Port
	}
	if ov.HTTP.HealthCheck.Path != "" {
		out.HTTP.HealthCheck.Path = ov.HTTP.HealthCheck.Path
	}
	if ov.HTTP.Alias != "" {
		out.HTTP.Alias = ov.HTTP.Alias
	}
	if ov.Network.VPC.Placement != "" {
		out.Network = ov.Network
	}
	out.Variables = mergeMap(base.Variables, ov.Variables)
	out.Secrets = mergeMap(base.Secrets, ov.Secrets)
	return out
}

func mergeMap[V any](base, ov map[string]V) map[string]V {
	out := make(map[string]V, len(base)+len(ov))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range ov {
		out[k] = v
	}
	return out
}

func definition(base manifests.Service, env string, otherAddons []string) (Definition, error) {
	m := merge(base, base.Environments[env])
	lo, hi, err := countRange(m.Count.Range)
	if err != nil {
		return Definition{}, err
	}
	d := Definition{
		Env: env, Port: int32(m.Image.Port), HealthPath: m.HTTP.HealthCheck.Path, CPU: m.CPU, Memory: m.Memory,
		Arch: ecstypes.ExpressCpuArchitectureX8664, MinTasks: lo, MaxTasks: hi,
		Variables: m.Variables, Secrets: map[string]string{}, LogRetention: int32(m.Logging.Retention),
	}
	if strings.HasSuffix(m.Platform, "arm64") {
		d.Arch = ecstypes.ExpressCpuArchitectureArm64
	}
	for name, s := range m.Secrets {
		if s.SecretsManager == "" {
			return Definition{}, fmt.Errorf("secret %s: the Express path reads Secrets Manager secrets only, not SSM parameters", name)
		}
		d.Secrets[name] = manifests.Interpolate(s.SecretsManager, App, env)
	}
	c := m.Count
	var dropped []string
	switch {
	case c.Requests > 0:
		d.Metric, d.Target = ecstypes.ExpressGatewayServiceScalingMetricRequestCountPerTarget, int32(c.Requests)
		dropped = []string{pct("cpu_percentage", c.CPUPercentage, "requests"), pct("memory_percentage", c.MemoryPercentage, "requests")}
	case c.CPUPercentage > 0:
		d.Metric, d.Target = ecstypes.ExpressGatewayServiceScalingMetricAverageCPUUtilization, int32(c.CPUPercentage)
		dropped = []string{pct("memory_percentage", c.MemoryPercentage, "cpu_percentage")}
	case c.MemoryPercentage > 0:
		d.Metric, d.Target = ecstypes.ExpressGatewayServiceScalingMetricAverageMemoryUtilization, int32(c.MemoryPercentage)
	}
	d.NotApplied = notApplied(m, dropped, otherAddons, env)
	return d, nil
}

func pct(name string, v int, chosen string) string {
	if v == 0 {
		return ""
	}
	return fmt.Sprintf("count.%s: %d (Express Mode scales on one metric: count.%s)", name, v, chosen)
}

// countRange reads count.range, "2-10".
func countRange(r string) (int32, int32, error) {
	lo, hi, ok := strings.Cut(r, "-")
	a, errA := strconv.ParseInt(strings.TrimSpace(lo), 10, 32)
	b, errB := strconv.ParseInt(strings.TrimSpace(hi), 10, 32)
	if !ok || errA != nil || errB != nil || a < 1 || b < a {
		return 0, 0, fmt.Errorf("count.range %q: want min-max like 2-10", r)
	}
	return int32(a), int32(b), nil
}

// notApplied lists what the manifest asks for that Express Mode has no
// setting for, each with its value.
func notApplied(m manifests.Service, dropped, otherAddons []string, env string) []string {
	placement := m.Network.VPC.Placement
	hc := m.HTTP.HealthCheck
	items := []struct {
		set  bool
		line string
	}{
		{hc.SuccessCodes != "", "http.healthcheck.success_codes: " + hc.SuccessCodes + " (Express Mode's target group checks for 200)"},
		{hc.HealthyThreshold != 0 || hc.UnhealthyThreshold != 0, fmt.Sprintf("http.healthcheck thresholds: %d healthy, %d unhealthy", hc.HealthyThreshold, hc.UnhealthyThreshold)},
		{hc.Interval != 0 || hc.Timeout != 0, fmt.Sprintf("http.healthcheck interval %s, timeout %s", hc.Interval, hc.Timeout)},
		{hc.GracePeriod != 0, "http.healthcheck.grace_period: " + hc.GracePeriod.String()},
		{m.HTTP.DeregistrationDelay != 0, "http.deregistration_delay: " + m.HTTP.DeregistrationDelay.String()},
		{m.HTTP.Alias != "", "http.alias: " + m.HTTP.Alias + " (Express Mode serves an AWS-managed domain)"},
		{len(m.Image.HealthCheck.Command) > 0, "image.healthcheck: " + strings.Join(m.Image.HealthCheck.Command, " ") + " (no container health check)"},
		{m.Count.Cooldown.In != 0 || m.Count.Cooldown.Out != 0, fmt.Sprintf("count.cooldown: in %s, out %s", m.Count.Cooldown.In, m.Count.Cooldown.Out)},
		{m.Exec, "exec: true (no ECS Exec)"},
		{placement != "", "network.vpc.placement: " + placement + " (tasks run in the default VPC)"},
		{m.Deployment.RollbackAlarms.CPUUtilization != 0 || m.Deployment.RollbackAlarms.MemoryUtilization != 0,
			fmt.Sprintf("deployment.rollback_alarms: cpu %g%%, memory %g%% (no alarm-based rollback)", m.Deployment.RollbackAlarms.CPUUtilization, m.Deployment.RollbackAlarms.MemoryUtilization)},
	}
	var lines []string
	for _, it := range items {
		if it.set {
			lines = append(lines, it.line)
		}
	}
	for _, d := range dropped {
		if d != "" {
			lines = append(lines, d)
		}
	}
	for _, a := range otherAddons {
		lines = append(lines, "addons/"+a+" (a CloudFormation template; the Express path creates no stacks)")
	}
	lines = append(lines, "environments/"+env+"/manifest.yml: VPC, subnets, certificates and Container Insights")
	sort.Strings(lines)
	return lines
}
