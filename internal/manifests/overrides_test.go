package manifests

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// lambdaRuntime is the runtime the overrides give every Lambda function
// Copilot's templates create (copilot/*/overrides/cfn.patches.yml say why).
const lambdaRuntime = "nodejs24.x"

// copilotLambdas are the Lambda functions Copilot v1.34.1's templates
// create, by the overrides folder whose patches reach them: the service
// stack's (always) and the environment stack's (with a delegated domain or
// managed aliases). When COPILOT_RENDER_OUT names the output of
// ../shared/tools/copilot-render (.ci/run sets it), the test checks this
// list against the templates Copilot's own code rendered.
var copilotLambdas = map[string][]string{
	"backend":      {"DynamicDesiredCountFunction", "EnvControllerFunction", "RulePriorityFunction"},
	"environments": {"CertificateValidationFunction", "CustomDomainFunction", "DNSDelegationFunction"},
}

// yamlPatch is one operation of a Copilot cfn.patches.yml (RFC 6902).
type yamlPatch struct {
	Op    string `yaml:"op"`
	Path  string `yaml:"path"`
	Value string `yaml:"value"`
}

func TestOverridesSetEveryLambdaRuntime(t *testing.T) {
	for dir, functions := range copilotLambdas {
		t.Run(dir, func(t *testing.T) {
			var patches []yamlPatch
			if err := decodeFile(filepath.Join(repoRoot(t), "copilot", dir, "overrides", "cfn.patches.yml"), &patches); err != nil {
				t.Fatal(err)
			}
			var patched []string
			for _, p := range patches {
				fn, ok := runtimePath(p.Path)
				if !ok || p.Op != "replace" || p.Value != lambdaRuntime {
					t.Errorf("patch %+v: want op replace of /Resources/<function>/Properties/Runtime with %s", p, lambdaRuntime)
					continue
				}
				patched = append(patched, fn)
			}
			sort.Strings(patched)
			if !slices.Equal(patched, functions) {
				t.Errorf("runtime patched for %q, want exactly Copilot's Lambda functions %q", patched, functions)
			}
		})
	}
}

// runtimePath returns the resource whose Runtime a patch path names
// (/Resources/<resource>/Properties/Runtime).
func runtimePath(path string) (string, bool) {
	parts := strings.Split(path, "/")
	if len(parts) != 5 || parts[0] != "" || parts[1] != "Resources" || parts[2] == "" ||
		parts[3] != "Properties" || parts[4] != "Runtime" {
		return "", false
	}
	return parts[2], true
}

// TestRenderedLambdasAreOverridden reads the templates copilot-render wrote
// (COPILOT_RENDER_OUT/<env>/*.stack.yml): their Lambda functions must be
// those copilotLambdas lists, each on lambdaRuntime.
func TestRenderedLambdasAreOverridden(t *testing.T) {
	out := os.Getenv("COPILOT_RENDER_OUT")
	if out == "" {
		t.Skip("COPILOT_RENDER_OUT is not set: no templates rendered by ../shared/tools/copilot-render to check")
	}
	stacks, err := filepath.Glob(filepath.Join(out, "*", "*.stack.yml"))
	if err != nil || len(stacks) == 0 {
		t.Fatalf("no rendered stacks in %s (%v)", out, err)
	}
	for _, stack := range stacks {
		var tpl struct {
			Resources map[string]struct {
				Type       string `yaml:"Type"`
				Properties struct {
					Runtime string `yaml:"Runtime"`
				} `yaml:"Properties"`
			} `yaml:"Resources"`
		}
		if err := decodeFile(stack, &tpl); err != nil {
			t.Fatal(err)
		}
		var found []string
		for name, r := range tpl.Resources {
			if r.Type != "AWS::Lambda::Function" {
				continue
			}
			found = append(found, name)
			if r.Properties.Runtime != lambdaRuntime {
				t.Errorf("%s: %s runs on %q, want %s", stack, name, r.Properties.Runtime, lambdaRuntime)
			}
		}
		sort.Strings(found)
		var want []string // the addons, the project's own template, have none
		switch base := filepath.Base(stack); {
		case base == "environment.stack.yml":
			want = copilotLambdas["environments"]
		case !strings.HasSuffix(base, ".addons.stack.yml"):
			want = copilotLambdas[strings.TrimSuffix(base, ".stack.yml")]
		}
		if !slices.Equal(found, want) {
			t.Errorf("%s: Lambda functions %q, want %q (update copilotLambdas and the overrides)", stack, found, want)
		}
	}
}
