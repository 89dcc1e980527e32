package deploy

import (
	"fmt"
	"os"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// svcManifest is the part of the Copilot service manifest the Express path
// applies or reports. internal/manifests reads the same file for its checks,
// but its tests import this package, so this package cannot import it.
type svcManifest struct {
	HTTP struct {
		HealthCheck struct {
			Path               string        `yaml:"path"`
			SuccessCodes       string        `yaml:"success_codes"`
			HealthyThreshold   int           `yaml:"healthy_threshold"`
			UnhealthyThreshold int           `yaml:"unhealthy_threshold"`
			Interval           time.Duration `yaml:"interval"`
			Timeout            time.Duration `yaml:"timeout"`
			GracePeriod        time.Duration `yaml:"grace_period"`
		} `yaml:"healthcheck"`
		DeregistrationDelay time.Duration `yaml:"deregistration_delay"`
		Alias               string        `yaml:"alias"`
	} `yaml:"http"`
	Image struct {
		Port        int `yaml:"port"`
		HealthCheck struct {
			Command []string `yaml:"command"`
		} `yaml:"healthcheck"`
	} `yaml:"image"`
	CPU      int    `yaml:"cpu"`
	Memory   int    `yaml:"memory"`
	Platform string `yaml:"platform"`
	Count    struct {
		Range            string `yaml:"range"`
		CPUPercentage    int    `yaml:"cpu_percentage"`
		MemoryPercentage int    `yaml:"memory_percentage"`
		Requests         int    `yaml:"requests"`
		Cooldown         struct {
			In  time.Duration `yaml:"in"`
			Out time.Duration `yaml:"out"`
		} `yaml:"cooldown"`
	} `yaml:"count"`
	Exec      bool              `yaml:"exec"`
	Variables map[string]string `yaml:"variables"`
	Secrets   map[string]struct {
		SecretsManager string `yaml:"secretsmanager"`
	} `yaml:"secrets"`
	Logging struct {
		Retention int `yaml:"retention"`
	} `yaml:"logging"`
	Network struct {
		VPC struct {
			Placement string `yaml:"placement"`
		} `yaml:"vpc"`
	} `yaml:"network"`
	Deployment struct {
		RollbackAlarms struct {
			CPUUtilization    float64 `yaml:"cpu_utilization"`
			MemoryUtilization float64 `yaml:"memory_utilization"`
		} `yaml:"rollback_alarms"`
	} `yaml:"deployment"`
	Environments map[string]svcManifest `yaml:"environments"`
}

// readManifest decodes the service manifest at path.
func readManifest(path string) (svcManifest, error) {
	var m svcManifest
	b, err := os.ReadFile(path)
	if err != nil {
		return m, fmt.Errorf("read the service definition: %w", err)
	}
	if err := yaml.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("decode %s: %w", path, err)
	}
	return m, nil
}

// interpolate replaces the Copilot variables a manifest may use.
func interpolate(s, env string) string {
	return strings.NewReplacer("${COPILOT_APPLICATION_NAME}", App, "${COPILOT_ENVIRONMENT_NAME}", env).Replace(s)
}
