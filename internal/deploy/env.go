package deploy

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// Copilot's names for this product, fixed by the design.
const (
	App            = "llm-testing"
	Service        = "backend"
	Repository     = "llm-testing/backend"
	ProductionEnv  = "production"
	defaultSSLFile = "/etc/ssl/certs/ca-certificates.crt"
)

// Console is where a target talks to the operator.
type Console struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
	// Interactive reports whether In is a terminal, so that production
	// changes can be confirmed by a person.
	Interactive bool
}

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

// Account returns the AWS account id of the caller, or "unknown" when STS
// cannot tell.
func (a *AWS) Account(ctx context.Context) string {
	out, err := a.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || out.Account == nil {
		return "unknown"
	}
	return *out.Account
}

// Confirm prints where a change is about to go and, for production, asks the
// operator on a terminal or requires yes (YES=1) otherwise.
func (a *AWS) Confirm(ctx context.Context, con Console, env, action string, yes bool) error {
	fmt.Fprintf(con.Out, "account %s  region %s  environment %s\n", a.Account(ctx), a.Region, env)
	if env != ProductionEnv || yes {
		return nil
	}
	if !con.Interactive {
		return fmt.Errorf("refusing to %s production without confirmation: set YES=1", action)
	}
	fmt.Fprintf(con.Out, "%s production? [y/N] ", capitalize(action))
	line, err := bufio.NewReader(con.In).ReadString('\n')
	if err != nil && line == "" {
		return fmt.Errorf("%s production: no answer on stdin (%v); set YES=1 to confirm without a terminal", action, err)
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return nil
	}
	return fmt.Errorf("%s production: not confirmed", action)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
