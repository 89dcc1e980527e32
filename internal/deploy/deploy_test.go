package deploy

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// gitRepo makes a repository with the staging and production environments
// and one commit, and returns its directory.
func gitRepo(tb testing.TB) string {
	tb.Helper()
	dir := repoWithEnvs(tb, "staging", "production")
	for _, args := range [][]string{
		{"init", "-q"}, {"add", "."},
		{"-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", "commit", "-q", "-m", "start"},
	} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			tb.Fatalf("git %v: %v: %s", args, err, out)
		}
	}
	return dir
}

// fakeCopilot puts a copilot script on PATH that records its arguments and
// IMAGE_URI in the returned file and exits with code.
func fakeCopilot(tb testing.TB, code int) string {
	tb.Helper()
	bin := tb.TempDir()
	record := filepath.Join(bin, "calls.txt")
	script := "#!/bin/sh\necho \"args=$*\" >> " + record + "\necho \"IMAGE_URI=$IMAGE_URI\" >> " + record + "\necho 'deploying from fake copilot'\nexit " + string(rune('0'+code)) + "\n"
	if err := os.WriteFile(filepath.Join(bin, "copilot"), []byte(script), 0o755); err != nil {
		tb.Fatal(err)
	}
	tb.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	return record
}

func deployFake(tb testing.TB, host, password string, secretExists bool) *fakeAWS {
	f := ecrFake(tb, host, password)
	f.JSON["DescribeSecret"] = func(req map[string]any) (any, error) {
		if str(req, "SecretId") != "llm-testing/staging/api-keys" {
			tb.Errorf("SecretId = %q", str(req, "SecretId"))
		}
		if !secretExists {
			return nil, &awsErr{Code: "ResourceNotFoundException", Message: "Secrets Manager can't find the specified secret."}
		}
		return map[string]any{"Name": str(req, "SecretId"), "Tags": []any{
			map[string]any{"Key": "copilot-application", "Value": "llm-testing"},
			map[string]any{"Key": "copilot-environment", "Value": "staging"},
		}}, nil
	}
	f.Query = map[string]func(url.Values) (string, error){
		"GetCallerIdentity": func(url.Values) (string, error) { return "<Account>123456789012</Account>", nil },
		"DescribeStacks": func(url.Values) (string, error) {
			return `<Stacks><member><StackName>llm-testing-staging</StackName><Outputs><member><OutputKey>PublicLoadBalancerDNSName</OutputKey><OutputValue>lb.example</OutputValue></member></Outputs></member></Stacks>`, nil
		},
	}
	return f
}

func TestDeploy(t *testing.T) {
	tests := []struct {
		name         string
		copilotCode  int
		secretExists bool
		apiKey       string
		smokeURL     string
		pushedBefore bool
		// recordRepo, when set, rewrites the record of the earlier push to
		// name this repository, as a push from another account or region.
		recordRepo string
		wantErr    string
		wantPushes int
	}{
		{name: "builds, pushes and deploys", secretExists: true, wantPushes: 1},
		{name: "reuses this commit's pushed image", secretExists: true, pushedBefore: true, wantPushes: 0},
		{name: "record of a push to another account", secretExists: true, pushedBefore: true, recordRepo: "111111111111.dkr.ecr.eu-west-1.amazonaws.com/llm-testing/backend", wantPushes: 1},
		{name: "copilot fails", copilotCode: 1, secretExists: true, wantErr: "copilot svc deploy to staging failed: run ", wantPushes: 1},
		{name: "no secret", wantErr: "API keys secret llm-testing/staging/api-keys not found: create it with `go tool mage secrets staging`"},
		{name: "smoke test after deploy", secretExists: true, apiKey: "smoke-key-0123456789", wantPushes: 1},
		{name: "smoke test at SMOKE_URL", secretExists: true, apiKey: "smoke-key-0123456789", smokeURL: "https://summaries.example.com", wantPushes: 1},
		{name: "SMOKE_URL not a URL", secretExists: true, apiKey: "smoke-key-0123456789", smokeURL: "summaries.example.com", wantErr: "SMOKE_URL=\"summaries.example.com\": want the service's base URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := gitRepo(t)
			calls := fakeCopilot(t, tt.copilotCode)
			host := startRegistry(t, "pw")
			f := deployFake(t, host, "pw", tt.secretExists)
			a := startFake(t, f)
			smoke := filepath.Join(dir, "smoke.txt")
			if err := os.MkdirAll(filepath.Join(dir, "scripts"), 0o755); err != nil {
				t.Fatal(err)
			}
			script := "#!/bin/sh\necho \"$1 $API_KEY\" > " + smoke + "\n"
			if err := os.WriteFile(filepath.Join(dir, "scripts", "smoke-test.sh"), []byte(script), 0o755); err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			tool := &Tool{
				Dir: dir, Console: Console{In: strings.NewReader(""), Out: &out, Err: &out},
				AWS:         fixedAWS(a),
				buildBinary: tinyBinary,
			}
			if tt.pushedBefore {
				if err := tool.Push(context.Background(), "staging", PushSettings{}); err != nil {
					t.Fatal(err)
				}
				if tt.recordRepo != "" {
					record := filepath.Join(dir, "dist", "image-uri.txt")
					uri, rev, _ := ReadRecord(record)
					_, digest, _ := strings.Cut(uri, "@")
					if err := WriteRecord(record, tt.recordRepo+"@"+digest, rev); err != nil {
						t.Fatal(err)
					}
				}
			}
			before := f.CallCount("GetAuthorizationToken")
			s, err := ParseDeploySettings(mapEnv(map[string]string{"API_KEY": tt.apiKey, "SMOKE_URL": tt.smokeURL}))
			if err == nil {
				err = tool.Deploy(context.Background(), "staging", s)
			}
			if tt.wantErr == "" && err != nil {
				t.Fatalf("err = %v\n%s", err, out.String())
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
				}
			}
			if got := f.CallCount("GetAuthorizationToken") - before; got != tt.wantPushes {
				t.Fatalf("%d pushes, want %d", got, tt.wantPushes)
			}
			rec, _ := os.ReadFile(calls)
			if !tt.secretExists || strings.Contains(tt.wantErr, "SMOKE_URL") {
				if len(rec) != 0 {
					t.Fatalf("copilot ran without a secret: %s", rec)
				}
				return
			}
			if !strings.Contains(out.String(), "account 123456789012  region us-east-1  environment staging") {
				t.Errorf("no account, region and environment line:\n%s", out.String())
			}
			uri, _, _ := ReadRecord(filepath.Join(dir, "dist", "image-uri.txt"))
			want := "args=svc deploy --name backend --env staging\nIMAGE_URI=" + uri + "\n"
			if !strings.HasPrefix(uri, host+"/llm-testing/backend@sha256:") || string(rec) != want {
				t.Fatalf("copilot recorded %q, want %q", rec, want)
			}
			if !strings.Contains(out.String(), "deploying from fake copilot") {
				t.Errorf("copilot's output not streamed:\n%s", out.String())
			}
			got, _ := os.ReadFile(smoke)
			wantURL := "http://lb.example"
			if tt.smokeURL != "" {
				wantURL = tt.smokeURL
				if n := f.CallCount("DescribeStacks"); n != 0 {
					t.Errorf("DescribeStacks called %d times although SMOKE_URL was given", n)
				}
			}
			if tt.apiKey != "" && string(got) != wantURL+" "+tt.apiKey+"\n" {
				t.Fatalf("smoke test got %q, want %s", got, wantURL)
			}
			if tt.apiKey == "" && len(got) != 0 {
				t.Fatalf("smoke test ran without API_KEY")
			}
		})
	}
}

func TestDeployPreflight(t *testing.T) {
	dir := gitRepo(t)
	tool := &Tool{Dir: dir, Console: Console{Out: &bytes.Buffer{}}, Copilot: "copilot-that-is-not-installed",
		AWS: func(context.Context) (aws.Config, error) {
			t.Fatal("AWS loaded before the copilot check")
			return aws.Config{}, nil
		}}
	if err := tool.Deploy(context.Background(), "staging", DeploySettings{}); err == nil || !strings.Contains(err.Error(), "install the AWS Copilot CLI") {
		t.Fatalf("err = %v, want the install hint", err)
	}
	if err := tool.Deploy(context.Background(), "qa", DeploySettings{}); err == nil || !strings.Contains(err.Error(), "known: production, staging") {
		t.Fatalf("err = %v, want the known environments", err)
	}
}

// TestDeployGivenImage checks that IMAGE_URI is deployed as given, with no
// build and no push, and that an unpinned one stops before AWS is asked.
func TestDeployGivenImage(t *testing.T) {
	given := "123456789012.dkr.ecr.us-east-1.amazonaws.com/llm-testing/backend@sha256:" + strings.Repeat("ab", 32)
	tests := []struct {
		name    string
		uri     string
		wantErr string
	}{
		{name: "pinned", uri: given},
		{name: "a tag", uri: "123456789012.dkr.ecr.us-east-1.amazonaws.com/llm-testing/backend:abc1234", wantErr: "want a digest-pinned image"},
		{name: "short digest", uri: given[:len(given)-2], wantErr: "want a digest-pinned image"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := gitRepo(t)
			calls := fakeCopilot(t, 0)
			f := deployFake(t, "registry.invalid", "pw", true)
			a := startFake(t, f)
			var out bytes.Buffer
			tool := &Tool{
				Dir: dir, Console: Console{In: strings.NewReader(""), Out: &out, Err: &out},
				AWS: fixedAWS(a),
				buildBinary: func(context.Context, string, string, string) error {
					t.Error("built an image although IMAGE_URI was given")
					return nil
				},
			}
			s, err := ParseDeploySettings(mapEnv(map[string]string{"IMAGE_URI": tt.uri}))
			if err == nil {
				err = tool.Deploy(context.Background(), "staging", s)
			}
			rec, _ := os.ReadFile(calls)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
				}
				if len(f.Calls()) != 0 || len(rec) != 0 {
					t.Fatalf("AWS calls %v, copilot %q after a bad IMAGE_URI; want none", f.Calls(), rec)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v\n%s", err, out.String())
			}
			for _, op := range []string{"DescribeRepositories", "GetAuthorizationToken"} {
				if n := f.CallCount(op); n != 0 {
					t.Errorf("%s called %d times; IMAGE_URI should need no registry", op, n)
				}
			}
			if HasImage(filepath.Join(dir, "dist", "image")) {
				t.Errorf("dist/image built although IMAGE_URI was given")
			}
			if want := "args=svc deploy --name backend --env staging\nIMAGE_URI=" + tt.uri + "\n"; string(rec) != want {
				t.Fatalf("copilot recorded %q, want %q", rec, want)
			}
		})
	}
}

// TestDeploySecretPreflight checks that deploy stops before Copilot when the
// secret is scheduled for deletion or lacks the tags tasks need to read it.
func TestDeploySecretPreflight(t *testing.T) {
	tag := func(k, v string) map[string]any { return map[string]any{"Key": k, "Value": v} }
	tests := []struct {
		name    string
		secret  map[string]any
		wantErr string
	}{
		{
			name:    "scheduled for deletion",
			secret:  map[string]any{"Tags": []any{tag("copilot-application", "llm-testing"), tag("copilot-environment", "staging")}, "DeletedDate": 1764800000},
			wantErr: "API keys secret llm-testing/staging/api-keys is scheduled for deletion on 2025-12-03: restore it with `aws secretsmanager restore-secret --secret-id llm-testing/staging/api-keys`, or run `go tool mage secrets staging`",
		},
		{
			name:    "no tags",
			secret:  map[string]any{},
			wantErr: "lacks Copilot's tag copilot-application=llm-testing, copilot-environment=staging, so tasks may not read it: run `go tool mage secrets staging`",
		},
		{
			name:    "another environment's tag",
			secret:  map[string]any{"Tags": []any{tag("copilot-application", "llm-testing"), tag("copilot-environment", "production")}},
			wantErr: "lacks Copilot's tag copilot-environment=staging, so tasks may not read it: run `go tool mage secrets staging`",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := gitRepo(t)
			calls := fakeCopilot(t, 0)
			f := deployFake(t, "registry.invalid", "pw", true)
			f.JSON["DescribeSecret"] = func(req map[string]any) (any, error) {
				out := map[string]any{"Name": str(req, "SecretId")}
				for k, v := range tt.secret {
					out[k] = v
				}
				return out, nil
			}
			a := startFake(t, f)
			tool := &Tool{Dir: dir, Console: Console{In: strings.NewReader(""), Out: &bytes.Buffer{}, Err: &bytes.Buffer{}},
				AWS: fixedAWS(a), buildBinary: tinyBinary}
			err := tool.Deploy(context.Background(), "staging", DeploySettings{})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
			}
			if rec, _ := os.ReadFile(calls); len(rec) != 0 {
				t.Fatalf("copilot ran: %s", rec)
			}
			if n := f.CallCount("GetAuthorizationToken"); n != 0 {
				t.Errorf("pushed before the preflight failed")
			}
		})
	}
}
