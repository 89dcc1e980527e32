package deploy

import (
	"bytes"
	"context"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// sdkEnv points the SDK's default configuration at endpoint through the
// process environment, as an operator does with AWS_ENDPOINT_URL.
func sdkEnv(tb testing.TB, endpoint string, withKeys bool) {
	tb.Helper()
	empty := filepath.Join(tb.TempDir(), "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		tb.Fatal(err)
	}
	vars := map[string]string{
		"AWS_ENDPOINT_URL": endpoint, "AWS_REGION": "us-east-1", "AWS_MAX_ATTEMPTS": "1",
		"AWS_CONFIG_FILE": empty, "AWS_SHARED_CREDENTIALS_FILE": empty, "AWS_PROFILE": "",
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "",
		"AWS_WEB_IDENTITY_TOKEN_FILE": "", "AWS_SESSION_TOKEN": "", "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "",
	}
	if withKeys {
		vars["AWS_ACCESS_KEY_ID"], vars["AWS_SECRET_ACCESS_KEY"] = "AKIDDUMMY", "dummy"
	}
	for k, v := range vars {
		tb.Setenv(k, v)
	}
}

// TestTargetsThroughEndpointURL runs the targets the way an operator does,
// with the SDK configured only by the environment, against a local endpoint.
func TestTargetsThroughEndpointURL(t *testing.T) {
	f := statusFake(t, true, true)
	var stored []map[string]any
	for op, h := range secretsFake(false, nil, &stored).JSON {
		f.JSON[op] = h
	}
	for op, h := range rolloutFake(t, ecsService([]map[string]any{ecsDeployment("ecs-svc/new", "PRIMARY", "COMPLETED", 2, 2, 0)})).JSON {
		f.JSON[op] = h
	}
	f.JSON["FilterLogEvents"] = func(map[string]any) (any, error) {
		return map[string]any{"events": []any{logEvent("1", 1764123518000, `{"level":"INFO","msg":"listening","port":3000}`)}}, nil
	}
	f.Query["GetCallerIdentity"] = func(url.Values) (string, error) { return "<Account>123456789012</Account>", nil }
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	sdkEnv(t, srv.URL, true)

	var out bytes.Buffer
	tool := &Tool{
		Dir: repoWithEnvs(t, "staging"), Console: Console{In: strings.NewReader(""), Out: &out, Err: &out},
		Now:             func() time.Time { return time.UnixMilli(1764123600000) },
		rolloutInterval: time.Millisecond,
	}
	ctx := context.Background()
	ref := ServiceRef{Cluster: "c1", Service: "s1"}
	steps := []struct {
		name string
		run  func() error
		want string
	}{
		{"status", func() error { return tool.Status(ctx, "staging", StatusSettings{Service: ref}) }, "url          http://llm-te-publi-1"},
		{"secrets", func() error { return tool.Secrets(ctx, "staging", SecretsSettings{Generate: 1}) }, "created secret llm-testing/staging/api-keys with 1 key(s)"},
		{"rollout", func() error { return tool.Rollout(ctx, "staging", RolloutSettings{Service: ref}) }, "deployment ecs-svc/new completed"},
		{"logs", func() error { return tool.Logs(ctx, "staging", LogsSettings{Since: Since{Ago: time.Hour}}) }, "INFO listening port=3000"},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			out.Reset()
			if err := s.run(); err != nil {
				t.Fatalf("%s: %v\n%s", s.name, err, out.String())
			}
			if !strings.Contains(out.String(), s.want) {
				t.Fatalf("%s output lacks %q:\n%s", s.name, s.want, out.String())
			}
		})
	}
}

func TestLoadAWSWithoutCredentials(t *testing.T) {
	sdkEnv(t, "http://127.0.0.1:1", false)
	_, err := LoadAWS(context.Background())
	if err == nil || !strings.HasPrefix(err.Error(), "no AWS credentials: set AWS_PROFILE") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("err = %v, want one line saying how to get credentials", err)
	}
}
