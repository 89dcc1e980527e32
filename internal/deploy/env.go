package deploy

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Copilot's names for this product, fixed by the design.
const (
	App            = "llm-testing"
	Service        = "backend"
	Repository     = "llm-testing/backend"
	ProductionEnv  = "production"
	defaultSSLFile = "/etc/ssl/certs/ca-certificates.crt"
)

// The tags Copilot puts on what it creates, and that the targets look for.
const (
	tagApplication = "copilot-application"
	tagEnvironment = "copilot-environment"
	tagService     = "copilot-service"
)

// The files under dist/ the targets share: the image layout and the record
// of its push.
const (
	distImage  = "image"
	distRecord = "image-uri.txt"
)

// SecretName is the Secrets Manager name of an environment's API keys.
func SecretName(env string) string { return App + "/" + env + "/api-keys" }

// LogGroup is the CloudWatch log group Copilot gives the service in env.
func LogGroup(env string) string { return "/copilot/" + App + "-" + env + "-" + Service }

// EnvStack is the CloudFormation stack Copilot creates for env.
func EnvStack(env string) string { return App + "-" + env }

// Environments lists the Copilot environments defined in the repository at
// dir: the directories under copilot/environments holding a manifest.yml.
func Environments(dir string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(dir, "copilot", "environments"))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("list environments: %w", err)
	}
	var envs []string
	for _, e := range entries {
		if _, err := os.Stat(filepath.Join(dir, "copilot", "environments", e.Name(), "manifest.yml")); err == nil && e.IsDir() {
			envs = append(envs, e.Name())
		}
	}
	sort.Strings(envs)
	return envs, nil
}

// CheckEnv returns an error naming the known environments when env is not
// one of them.
func CheckEnv(dir, env string) error {
	envs, err := Environments(dir)
	if err != nil {
		return err
	}
	for _, e := range envs {
		if e == env {
			return nil
		}
	}
	known := "none (copilot/environments/ has no manifests)"
	if len(envs) > 0 {
		known = strings.Join(envs, ", ")
	}
	if env == "" {
		return fmt.Errorf("no environment given: name one of %s", known)
	}
	return fmt.Errorf("unknown environment %q: copilot/environments/%s/manifest.yml does not exist; known: %s", env, env, known)
}
