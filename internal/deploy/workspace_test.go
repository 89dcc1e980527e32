package deploy

import (
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/llm-testing/llm-testing/internal/manifests"
)

// The names this package deploys under (App, Service, SecretName, the
// environments) are the ones the Copilot workspace defines.

// loadWorkspace reads the repository's copilot/ workspace.
func loadWorkspace(tb testing.TB) manifests.Workspace {
	tb.Helper()
	ws, err := manifests.LoadWorkspace(filepath.Join(repoRoot(tb), "copilot"))
	if err != nil {
		tb.Fatalf("load workspace: %v", err)
	}
	return ws
}

// repoRoot is the repository's root, from this file's place in it.
func repoRoot(tb testing.TB) string {
	tb.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		tb.Fatal("cannot find the test's source file")
	}
	return filepath.Join(filepath.Dir(file), "..", "..")
}

func TestWorkspaceNames(t *testing.T) {
	ws := loadWorkspace(t)
	if got, want := ws.Application, App; got != want {
		t.Errorf("application = %q, want %q (internal/deploy's)", got, want)
	}
	if _, ok := ws.Services[Service]; !ok {
		t.Errorf("no manifest for service %q, which internal/deploy deploys", Service)
	}
	var svcs, envs []string
	for name := range ws.Services {
		svcs = append(svcs, name)
	}
	for name, env := range ws.Environments {
		envs = append(envs, name)
		if env.Name != name {
			t.Errorf("environments/%s/manifest.yml: name = %q, want the folder's name", name, env.Name)
		}
	}
	sort.Strings(envs)
	if found, err := Environments(repoRoot(t)); err != nil || !slices.Equal(found, envs) {
		t.Errorf("Environments = %q, %v; want %q", found, err, envs)
	}
	if got, want := strings.Join(svcs, ","), "backend"; got != want {
		t.Errorf("services = %s, want %s", got, want)
	}
	if got, want := strings.Join(envs, ","), "production,staging"; got != want {
		t.Errorf("environments = %s, want %s", got, want)
	}
	for name := range ws.Services["backend"].Environments {
		if _, ok := ws.Environments[name]; !ok {
			t.Errorf("backend overrides environment %q, which has no manifest", name)
		}
	}
}

func TestSecretIsTheOneMageWrites(t *testing.T) {
	ws := loadWorkspace(t)
	svc := ws.Services["backend"]
	sec, ok := svc.Secrets["API_KEYS"]
	if !ok {
		t.Fatal("secrets.API_KEYS is not set")
	}
	if sec.SecretsManager == "" {
		t.Fatalf("secrets.API_KEYS = %+v, want a secretsmanager secret", sec)
	}
	for env := range ws.Environments {
		t.Run(env, func(t *testing.T) {
			if got, want := manifests.Interpolate(sec.SecretsManager, ws.Application, env), SecretName(env); got != want {
				t.Errorf("secret in %s = %q, want %q (what mage secrets writes)", env, got, want)
			}
		})
	}
}
