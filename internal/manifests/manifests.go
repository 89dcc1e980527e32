// Package manifests reads the deployment definition kept next to the code
// (the Copilot workspace under copilot/ and the Dockerfile), so that tests can
// check it against the code it deploys: the port, the health route, the
// environment variables, the secret's name, the time budget. It reads only
// the fields those checks need; Copilot itself validates the rest.
package manifests

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Service is the part of a Copilot Load Balanced Web Service manifest that
// must agree with the server.
type Service struct {
	Name      string            `yaml:"name"`
	Type      string            `yaml:"type"`
	HTTP      HTTP              `yaml:"http"`
	Image     Image             `yaml:"image"`
	CPU       int               `yaml:"cpu"`
	Memory    int               `yaml:"memory"`
	Platform  string            `yaml:"platform"`
	Count     Count             `yaml:"count"`
	Exec      bool              `yaml:"exec"`
	Variables map[string]string `yaml:"variables"`
	Secrets   map[string]Secret `yaml:"secrets"`
	Logging   struct {
		Retention int `yaml:"retention"`
	} `yaml:"logging"`
	Network struct {
		VPC struct {
			Placement string `yaml:"placement"`
		} `yaml:"vpc"`
	} `yaml:"network"`
	Deployment struct {
		Rolling        string `yaml:"rolling"`
		RollbackAlarms struct {
			CPUUtilization    float64 `yaml:"cpu_utilization"`
			MemoryUtilization float64 `yaml:"memory_utilization"`
		} `yaml:"rollback_alarms"`
	} `yaml:"deployment"`
	// Environments holds the per-environment overrides, as written (not
	// merged with the rest).
	Environments map[string]Service `yaml:"environments"`
}

// HTTP is the load balancer's side of a service: routing and target group.
type HTTP struct {
	Path        string `yaml:"path"`
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
}

// Image is the container: where its image is, its port, its health check.
type Image struct {
	Location    string `yaml:"location"`
	Port        int    `yaml:"port"`
	HealthCheck struct {
		Command     []string      `yaml:"command"`
		Interval    time.Duration `yaml:"interval"`
		Retries     int           `yaml:"retries"`
		Timeout     time.Duration `yaml:"timeout"`
		StartPeriod time.Duration `yaml:"start_period"`
	} `yaml:"healthcheck"`
}

// Count is the service's task count and its auto scaling targets.
type Count struct {
	Range            string `yaml:"range"`
	CPUPercentage    int    `yaml:"cpu_percentage"`
	MemoryPercentage int    `yaml:"memory_percentage"`
	Requests         int    `yaml:"requests"`
	Cooldown         struct {
		In  time.Duration `yaml:"in"`
		Out time.Duration `yaml:"out"`
	} `yaml:"cooldown"`
}

// Secret is where Copilot reads a secret from: an SSM parameter (the short
// form, a plain string) or a Secrets Manager secret.
type Secret struct {
	SSM            string
	SecretsManager string
}

// UnmarshalYAML accepts both forms of a secret.
func (s *Secret) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		s.SSM = n.Value
		return nil
	}
	var long struct {
		SecretsManager string `yaml:"secretsmanager"`
	}
	if err := n.Decode(&long); err != nil {
		return fmt.Errorf("decode secret: %w", err)
	}
	s.SecretsManager = long.SecretsManager
	return nil
}

// Environment is the part of a Copilot environment manifest the checks read.
type Environment struct {
	Name    string `yaml:"name"`
	Type    string `yaml:"type"`
	Network struct {
		VPC struct {
			ID      string `yaml:"id"`
			CIDR    string `yaml:"cidr"`
			Subnets struct {
				Public  []Subnet `yaml:"public"`
				Private []Subnet `yaml:"private"`
			} `yaml:"subnets"`
			FlowLogs yaml.Node `yaml:"flow_logs"`
		} `yaml:"vpc"`
	} `yaml:"network"`
	HTTP struct {
		Public struct {
			Certificates []string `yaml:"certificates"`
		} `yaml:"public"`
	} `yaml:"http"`
	Observability struct {
		ContainerInsights bool `yaml:"container_insights"`
	} `yaml:"observability"`
}

// Subnet is one subnet of an environment's VPC, new (CIDR) or imported (ID).
type Subnet struct {
	ID   string `yaml:"id"`
	CIDR string `yaml:"cidr"`
	AZ   string `yaml:"az"`
}

// Workspace is a Copilot workspace: the application, its services and its
// environments, as the files under copilot/ define them.
type Workspace struct {
	Application  string
	Services     map[string]Service
	Environments map[string]Environment
}

// LoadWorkspace reads the Copilot workspace in dir (a repository's copilot/
// folder): .workspace, every <service>/manifest.yml and every
// environments/<env>/manifest.yml. Like Copilot, it takes a folder without a
// manifest.yml (environments/overrides/, say) for no service or environment.
func LoadWorkspace(dir string) (Workspace, error) {
	ws := Workspace{Services: map[string]Service{}, Environments: map[string]Environment{}}
	var summary struct {
		Application string `yaml:"application"`
	}
	if err := decodeFile(filepath.Join(dir, ".workspace"), &summary); err != nil {
		return ws, err
	}
	ws.Application = summary.Application
	entries, err := os.ReadDir(dir)
	if err != nil {
		return ws, fmt.Errorf("read workspace: %w", err)
	}
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if e.Name() == "environments" {
			if err := ws.loadEnvironments(filepath.Join(dir, e.Name())); err != nil {
				return ws, err
			}
			continue
		}
		path := filepath.Join(dir, e.Name(), "manifest.yml")
		if !exists(path) {
			continue
		}
		var svc Service
		if err := decodeFile(path, &svc); err != nil {
			return ws, err
		}
		ws.Services[e.Name()] = svc
	}
	return ws, nil
}

func (ws *Workspace) loadEnvironments(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("read environments: %w", err)
	}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name(), "manifest.yml")
		if !e.IsDir() || !exists(path) {
			continue
		}
		var env Environment
		if err := decodeFile(path, &env); err != nil {
			return err
		}
		ws.Environments[e.Name()] = env
	}
	return nil
}

// exists reports whether path names a file (an unreadable one counts, so
// that reading it reports the error).
func exists(path string) bool {
	_, err := os.Stat(path)
	return !errors.Is(err, os.ErrNotExist)
}

func decodeFile(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read manifest: %w", err)
	}
	if err := yaml.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decode %s: %w", path, err)
	}
	return nil
}

// ReadService reads the service manifest at path.
func ReadService(path string) (Service, error) {
	var svc Service
	err := decodeFile(path, &svc)
	return svc, err
}

// Interpolate replaces Copilot's predefined ${COPILOT_APPLICATION_NAME} and
// ${COPILOT_ENVIRONMENT_NAME} in s, as Copilot does before it reads a
// manifest.
func Interpolate(s, app, env string) string {
	return strings.NewReplacer(
		"${COPILOT_APPLICATION_NAME}", app,
		"${COPILOT_ENVIRONMENT_NAME}", env,
	).Replace(s)
}
