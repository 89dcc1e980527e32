package deploy

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// The deploy workflow runs the targets this package implements; these tests
// run its steps' shell with fake aws and curl on PATH.

type workflowStep struct {
	Name string            `yaml:"name"`
	If   string            `yaml:"if"`
	Run  string            `yaml:"run"`
	Uses string            `yaml:"uses"`
	Env  map[string]string `yaml:"env"`
}

func deploySteps(tb testing.TB) []workflowStep {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(tb), ".github", "workflows", "deploy.yml"))
	if err != nil {
		tb.Fatal(err)
	}
	var wf struct {
		Jobs map[string]struct {
			Steps []workflowStep `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(b, &wf); err != nil {
		tb.Fatalf("parse deploy.yml: %v", err)
	}
	return wf.Jobs["deploy"].Steps
}

// runs evaluates a step's if: for a target environment and ref. It knows
// only the terms the workflow uses, and fails on any other.
func runs(tb testing.TB, s workflowStep, env, ref string) bool {
	tb.Helper()
	if s.If == "" {
		return true
	}
	for _, term := range strings.Split(s.If, "&&") {
		term = strings.TrimSpace(term)
		var ok bool
		switch {
		case term == "always()" || term == "steps.aws.outcome == 'success'":
			ok = true
		case strings.HasPrefix(term, "env.TARGET_ENV == "):
			ok = env == strings.Trim(strings.TrimPrefix(term, "env.TARGET_ENV == "), "'")
		case strings.HasPrefix(term, "env.TARGET_ENV != "):
			ok = env != strings.Trim(strings.TrimPrefix(term, "env.TARGET_ENV != "), "'")
		case strings.HasPrefix(term, "github.ref != "):
			ok = ref != strings.Trim(strings.TrimPrefix(term, "github.ref != "), "'")
		default:
			tb.Fatalf("step %q: the test does not know the condition %q", s.Name, term)
		}
		if !ok {
			return false
		}
	}
	return true
}

func TestWorkflowProductionDeploysStagingImage(t *testing.T) {
	steps := deploySteps(t)
	var prod, staging, prodBranch []string
	for _, s := range steps {
		if runs(t, s, "production", "refs/heads/main") {
			prod = append(prod, s.Run)
		}
		if runs(t, s, "staging", "refs/heads/main") {
			staging = append(staging, s.Run)
		}
		if runs(t, s, "production", "refs/heads/feature") {
			prodBranch = append(prodBranch, s.Run)
		}
	}
	all := func(runs []string) string { return strings.Join(runs, "\n") }
	for _, banned := range []string{"mage image", "mage push", "docker build"} {
		if strings.Contains(all(prod), banned) {
			t.Errorf("production runs %q: it must deploy the image staging pushed", banned)
		}
	}
	for _, want := range []string{"mage image", "mage push", "mage deploy"} {
		if !strings.Contains(all(staging), want) {
			t.Errorf("staging does not run %q", want)
		}
	}
	if !strings.Contains(all(prod), "aws ecr describe-images") || !strings.Contains(all(prod), "mage deploy") {
		t.Errorf("production does not resolve the pushed image and deploy it:\n%s", all(prod))
	}
	if len(prodBranch) == 0 || !strings.Contains(prodBranch[0], "exit 1") {
		t.Errorf("production from another branch does not stop first")
	}
}

// fakeBin writes executable scripts into a directory put first on PATH.
func fakeBin(tb testing.TB, scripts map[string]string) string {
	tb.Helper()
	for _, tool := range []string{"bash", "sha256sum", "git"} {
		if _, err := exec.LookPath(tool); err != nil {
			tb.Skipf("needs %s", tool)
		}
	}
	bin := tb.TempDir()
	for name, body := range scripts {
		if err := os.WriteFile(filepath.Join(bin, name), []byte("#!/usr/bin/env bash\n"+body), 0o755); err != nil {
			tb.Fatal(err)
		}
	}
	return bin
}

func stepNamed(tb testing.TB, name string) workflowStep {
	tb.Helper()
	for _, s := range deploySteps(tb) {
		if s.Name == name {
			return s
		}
	}
	tb.Fatalf("deploy.yml has no step %q", name)
	return workflowStep{}
}

// runStep runs a step's script as Actions does (bash -e) in dir.
func runStep(tb testing.TB, s workflowStep, dir, bin string, env ...string) (string, string, error) {
	tb.Helper()
	tmp := tb.TempDir()
	ghEnv := filepath.Join(tmp, "github_env")
	cmd := exec.Command("bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", s.Run)
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"),
		"RUNNER_TEMP=" + tmp, "GITHUB_ENV=" + ghEnv, "GITHUB_PATH=" + filepath.Join(tmp, "github_path"),
		"COPILOT_VERSION=v1.34.1", "HOME=" + tmp}, env...)
	out, err := cmd.CombinedOutput()
	written, _ := os.ReadFile(ghEnv)
	return string(out), string(written), err
}

func TestWorkflowResolvesStagingImage(t *testing.T) {
	dir := gitRepo(t)
	head, err := Revision(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	digest := "sha256:" + strings.Repeat("c", 64)
	repo := "123456789012.dkr.ecr.us-east-1.amazonaws.com/llm-testing/backend"
	aws := `case "$1 $2" in
"ecr describe-repositories") echo "` + repo + `" ;;
"ecr describe-images")
  for a in "$@"; do case $a in imageTag=*) tag=${a#imageTag=} ;; esac; done
  if [[ -n "$FAKE_TAG" && "$tag" == "$FAKE_TAG" ]]; then echo "$FAKE_DIGEST"; exit 0; fi
  if [[ -n "$FAKE_ERR" ]]; then echo "$FAKE_ERR" >&2; exit 254; fi
  echo "An error occurred (ImageNotFoundException) when calling the DescribeImages operation: The image with imageId {imageTag:'$tag'} does not exist" >&2
  exit 254 ;;
*) echo "fake aws: unexpected $*" >&2; exit 2 ;;
esac
`
	bin := fakeBin(t, map[string]string{"aws": aws})
	step := stepNamed(t, "Image staging pushed for this commit")
	tests := []struct {
		name    string
		env     []string
		wantErr bool
		wantOut string
		wantEnv string
	}{
		{name: "pushed with an 8-character tag", env: []string{"FAKE_TAG=" + head[:8], "FAKE_DIGEST=" + digest}, wantEnv: "IMAGE_URI=" + repo + "@" + digest + "\n"},
		{name: "not pushed", wantErr: true, wantOut: "staging has not pushed this commit"},
		{name: "access denied", env: []string{"FAKE_ERR=An error occurred (AccessDeniedException)"}, wantErr: true, wantOut: "AccessDeniedException"},
		{name: "odd digest", env: []string{"FAKE_TAG=" + head[:7], "FAKE_DIGEST=None"}, wantErr: true, wantOut: "ECR answered digest 'None'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, ghEnv, err := runStep(t, step, dir, bin, tt.env...)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v\n%s", err, tt.wantErr, out)
			}
			if !strings.Contains(out, tt.wantOut) {
				t.Errorf("output lacks %q:\n%s", tt.wantOut, out)
			}
			if ghEnv != tt.wantEnv {
				t.Errorf("GITHUB_ENV = %q, want %q", ghEnv, tt.wantEnv)
			}
		})
	}
}
