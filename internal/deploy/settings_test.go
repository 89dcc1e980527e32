package deploy

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// mapEnv is a getenv over m.
func mapEnv(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// badValues holds a value every target that reads the variable refuses.
var badValues = map[string]string{
	"IMAGE_BUILDER": "podman", "IMAGE_PLATFORMS": "amd64", "IMAGE_URI": "repo:latest",
	"YES": "sure", "SMOKE_URL": "example.com", "SINCE": "yesterday", "FOLLOW": "always",
	"ROLLOUT_TIMEOUT": "-1m", "GENERATE": "0",
}

// parsers maps each target to its parse function and the variables it
// reads; it must name every variable that can make that parse fail.
var parsers = map[string]struct {
	parse func(func(string) string) (any, error)
	reads []string
}{
	"image":   {func(g func(string) string) (any, error) { return ParseImageSettings(g) }, []string{"IMAGE_BUILDER", "IMAGE_PLATFORMS"}},
	"push":    {func(g func(string) string) (any, error) { return ParsePushSettings(g) }, []string{"IMAGE_BUILDER", "IMAGE_PLATFORMS", "YES"}},
	"deploy":  {func(g func(string) string) (any, error) { return ParseDeploySettings(g) }, []string{"IMAGE_BUILDER", "IMAGE_PLATFORMS", "YES", "IMAGE_URI", "SMOKE_URL"}},
	"logs":    {func(g func(string) string) (any, error) { return ParseLogsSettings(g) }, []string{"SINCE", "FOLLOW"}},
	"rollout": {func(g func(string) string) (any, error) { return ParseRolloutSettings(g) }, []string{"ROLLOUT_TIMEOUT", "YES"}},
	"status":  {func(g func(string) string) (any, error) { return ParseStatusSettings(g) }, nil},
	"express": {func(g func(string) string) (any, error) { return ParseExpressSettings(g) }, []string{"IMAGE_URI", "SMOKE_URL", "ROLLOUT_TIMEOUT", "YES"}},
	"confirm": {func(g func(string) string) (any, error) { return ParseConfirmSettings(g) }, []string{"YES"}},
	"secrets": {func(g func(string) string) (any, error) { return ParseSecretsSettings(g) }, []string{"GENERATE", "YES"}},
}

// TestSettingsIgnoreOtherTargetsVariables: a variable a target does not read
// cannot break it (GENERATE=0 go tool mage build, or push), and each one it
// does read is named in the error when bad.
func TestSettingsIgnoreOtherTargetsVariables(t *testing.T) {
	for name, p := range parsers {
		t.Run(name, func(t *testing.T) {
			others := map[string]string{}
			for k, v := range badValues {
				others[k] = v
			}
			for _, k := range p.reads {
				delete(others, k)
			}
			if _, err := p.parse(mapEnv(others)); err != nil {
				t.Fatalf("%s failed on variables it does not read: %v", name, err)
			}
			all := map[string]string{}
			for _, k := range p.reads {
				all[k] = badValues[k]
			}
			_, err := p.parse(mapEnv(all))
			for _, k := range p.reads {
				if err == nil || !strings.Contains(err.Error(), k+"=\""+badValues[k]+"\"") {
					t.Errorf("%s with bad %s: err = %v, want it named", name, k, err)
				}
			}
		})
	}
}

func TestParseSettings(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		parse   func(func(string) string) (any, error)
		want    any
		wantErr string
	}{
		{name: "image defaults", parse: parsers["image"].parse, want: ImageSettings{}},
		{name: "image platforms", env: map[string]string{"IMAGE_PLATFORMS": "linux/amd64, linux/arm64", "IMAGE_BUILDER": "docker"}, parse: parsers["image"].parse,
			want: ImageSettings{Builder: "docker", Platforms: []string{"linux/amd64", "linux/arm64"}}},
		{name: "image bad builder", env: map[string]string{"IMAGE_BUILDER": "kaniko"}, parse: parsers["image"].parse, wantErr: `IMAGE_BUILDER="kaniko": want empty (no Docker daemon) or docker`},
		{name: "push", env: map[string]string{"IMAGE_REPOSITORY": "r.example/x", "YES": "1"}, parse: parsers["push"].parse,
			want: PushSettings{Repository: "r.example/x", Yes: true}},
		{name: "deploy", env: map[string]string{"IMAGE_URI": "r/x@sha256:" + strings.Repeat("a", 64), "API_KEY": "k", "SMOKE_URL": "https://s.example", "YES": "true"}, parse: parsers["deploy"].parse,
			want: DeploySettings{Push: PushSettings{Yes: true}, ImageURI: "r/x@sha256:" + strings.Repeat("a", 64), APIKey: "k", SmokeURL: "https://s.example"}},
		{name: "deploy unpinned image", env: map[string]string{"IMAGE_URI": "r/x:abc"}, parse: parsers["deploy"].parse, wantErr: `IMAGE_URI="r/x:abc": want a digest-pinned image`},
		{name: "logs defaults", parse: parsers["logs"].parse, want: LogsSettings{Since: Since{Ago: 10 * time.Minute}}},
		{name: "logs", env: map[string]string{"SINCE": "2026-11-25T00:00:00Z", "FILTER": "ERROR", "FOLLOW": "1", "LOG_GROUP": "g"}, parse: parsers["logs"].parse,
			want: LogsSettings{Since: Since{At: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)}, Filter: "ERROR", Follow: true, LogGroup: "g"}},
		{name: "rollout defaults", parse: parsers["rollout"].parse, want: RolloutSettings{Timeout: DefaultRolloutTimeout}},
		{name: "rollout", env: map[string]string{"ROLLOUT_TIMEOUT": "2m", "ECS_CLUSTER": "c", "ECS_SERVICE": "s"}, parse: parsers["rollout"].parse,
			want: RolloutSettings{Service: ServiceRef{Cluster: "c", Service: "s"}, Timeout: 2 * time.Minute}},
		{name: "rollout timeout not a duration", env: map[string]string{"ROLLOUT_TIMEOUT": "15"}, parse: parsers["rollout"].parse, wantErr: `ROLLOUT_TIMEOUT="15": want a positive duration like 15m`},
		{name: "status", env: map[string]string{"ECS_SERVICE": "s"}, parse: parsers["status"].parse, want: StatusSettings{Service: ServiceRef{Service: "s"}}},
		{name: "secrets", env: map[string]string{"GENERATE": "3"}, parse: parsers["secrets"].parse, want: SecretsSettings{Generate: 3}},
		{name: "secrets too many", env: map[string]string{"GENERATE": "101"}, parse: parsers["secrets"].parse, wantErr: `GENERATE="101": want a number of keys from 1 to 100`},
		{name: "two bad values, both named", env: map[string]string{"GENERATE": "x", "YES": "maybe"}, parse: parsers["secrets"].parse, wantErr: `YES="maybe": want 1 or 0`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.parse(mapEnv(tt.env))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}
