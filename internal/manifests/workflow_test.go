package manifests

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// workflow is the part of a GitHub Actions workflow these tests read.
type workflow struct {
	// On maps each event to its settings (a null node when it has none).
	On   map[string]yaml.Node `yaml:"on"`
	Jobs map[string]struct {
		Uses  string   `yaml:"uses"`
		Needs []string `yaml:"needs"`
		Steps []struct {
			Uses string `yaml:"uses"`
			Run  string `yaml:"run"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

func loadWorkflow(tb testing.TB, name string) workflow {
	tb.Helper()
	var wf workflow
	if err := decodeFile(filepath.Join(repoRoot(tb), ".github", "workflows", name), &wf); err != nil {
		tb.Fatal(err)
	}
	return wf
}

// TestCIWorkflowRunsCIScript checks that GitHub runs .ci/run, the script the
// project's own CI runs, on every pull request and push to main, and that a
// deploy cannot start without it.
func TestCIWorkflowRunsCIScript(t *testing.T) {
	ci := loadWorkflow(t, "ci.yml")
	if _, ok := ci.On["pull_request"]; !ok {
		t.Error("ci.yml does not run on pull_request")
	}
	var push struct {
		Branches []string `yaml:"branches"`
	}
	if n, ok := ci.On["push"]; !ok || n.Decode(&push) != nil || !slices.Contains(push.Branches, "main") {
		t.Error("ci.yml does not run on push to main")
	}
	if _, ok := ci.On["workflow_call"]; !ok {
		t.Error("ci.yml cannot be called (workflow_call) by the deploy workflow")
	}
	var runs []string
	for _, job := range ci.Jobs {
		for _, s := range job.Steps {
			runs = append(runs, s.Run)
		}
	}
	if !slices.Contains(runs, "bash .ci/run") {
		t.Errorf("no ci.yml step runs exactly `bash .ci/run`; steps run %q", runs)
	}
	if _, err := os.Stat(filepath.Join(repoRoot(t), ".ci", "run")); err != nil {
		t.Errorf("ci.yml runs .ci/run: %v", err)
	}

	deploy := loadWorkflow(t, "deploy.yml")
	if _, ok := deploy.On["pull_request"]; ok {
		t.Error("deploy.yml runs on pull_request too: ci.yml already tests them")
	}
	var gate string
	for name, job := range deploy.Jobs {
		if job.Uses == "./.github/workflows/ci.yml" {
			gate = name
		}
	}
	if gate == "" {
		t.Fatal("no deploy.yml job uses ./.github/workflows/ci.yml")
	}
	if needs := deploy.Jobs["deploy"].Needs; !slices.Contains(needs, gate) {
		t.Errorf("deploy.yml's deploy job needs %q, not the CI job %q", needs, gate)
	}
}

// TestCIScriptIsStrict checks the script stops at the first failure and
// fails on go.mod drift.
func TestCIScriptIsStrict(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot(t), ".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"set -euo pipefail", "go mod tidy -diff"} {
		if !strings.Contains(string(b), want) {
			t.Errorf(".ci/run lacks %q", want)
		}
	}
}
