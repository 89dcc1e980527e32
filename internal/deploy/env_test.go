package deploy

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
)

// repoWithEnvs makes a repository directory with Copilot environment
// manifests for envs.
func repoWithEnvs(tb testing.TB, envs ...string) string {
	tb.Helper()
	dir := tb.TempDir()
	for _, e := range envs {
		p := filepath.Join(dir, "copilot", "environments", e)
		if err := os.MkdirAll(p, 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(p, "manifest.yml"), []byte("name: "+e+"\n"), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

func TestCheckEnv(t *testing.T) {
	dir := repoWithEnvs(t, "staging", "production")
	tests := []struct {
		env     string
		wantErr string
	}{
		{env: "staging"},
		{env: "production"},
		{env: "prod", wantErr: "known: production, staging"},
		{env: "", wantErr: "no environment given"},
	}
	for _, tt := range tests {
		t.Run(tt.env, func(t *testing.T) {
			err := CheckEnv(dir, tt.env)
			if tt.wantErr == "" && err != nil {
				t.Fatal(err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestConfirm(t *testing.T) {
	identity := func(url.Values) (string, error) {
		return "<Arn>arn:aws:iam::123456789012:user/op</Arn><UserId>u</UserId><Account>123456789012</Account>", nil
	}
	tests := []struct {
		name        string
		env         string
		yes         bool
		interactive bool
		in          string
		noSTS       bool
		wantErr     string
		wantOut     string
	}{
		{name: "staging needs nothing", env: "staging", wantOut: "account 123456789012  region us-east-1  environment staging"},
		{name: "production with YES", env: "production", yes: true},
		{name: "production not a terminal", env: "production", wantErr: "set YES=1"},
		{name: "production answered y", env: "production", interactive: true, in: "y\n", wantOut: "Deploy to production? [y/N]"},
		{name: "production answered no", env: "production", interactive: true, in: "\n", wantErr: "not confirmed"},
		{name: "production no answer", env: "production", interactive: true, in: "", wantErr: "no answer on stdin (EOF); set YES=1"},
		{name: "account unreadable", env: "staging", noSTS: true, wantOut: "account unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeAWS{Query: map[string]func(url.Values) (string, error){"GetCallerIdentity": identity}}
			if tt.noSTS {
				f.Query = nil
			}
			cfg := startFake(t, f)
			var out bytes.Buffer
			con := Console{In: strings.NewReader(tt.in), Out: &out, Interactive: tt.interactive}
			err := con.Confirm(Where(context.Background(), cfg, tt.env), "deploy to", tt.yes)
			if tt.wantErr == "" && err != nil {
				t.Fatal(err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
			}
			if !strings.Contains(out.String(), tt.wantOut) {
				t.Fatalf("output %q lacks %q", out.String(), tt.wantOut)
			}
		})
	}
}

func TestExplain(t *testing.T) {
	tests := []struct {
		code string
		want string
	}{
		{code: "ThrottlingException", want: "AWS throttled ECS DescribeServices: wait a minute and retry"},
		{code: "ExpiredTokenException", want: "AWS session expired: run `aws sso login`"},
		{code: "AccessDeniedException", want: "access denied to ECS DescribeServices"},
		{code: "ClusterNotFoundException", want: "ECS cluster not found"},
		{code: "ServiceNotFoundException", want: "ECS service not found"},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			f := &fakeAWS{JSON: map[string]func(map[string]any) (any, error){
				"DescribeServices": func(map[string]any) (any, error) {
					return nil, &awsErr{Code: tt.code, Message: "details\nmore details"}
				},
			}}
			_, err := NewECS(startFake(t, f)).api.DescribeServices(context.Background(), &ecs.DescribeServicesInput{Services: []string{"s"}})
			got := explain(err)
			if !strings.HasPrefix(got.Error(), tt.want) || strings.Contains(got.Error(), "\n") {
				t.Fatalf("explain = %q, want one line starting %q", got, tt.want)
			}
			var p *Problem
			if !errors.As(got, &p) || p.Err != err {
				t.Fatalf("explain does not keep the SDK error")
			}
		})
	}
}

func TestCheckConfigNoCredentials(t *testing.T) {
	cfg := fakeConfig("http://127.0.0.1:1")
	cfg.Credentials = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{}, errors.New("no EC2 IMDS role found")
	})
	err := checkConfig(context.Background(), cfg)
	if err == nil || !strings.HasPrefix(err.Error(), "no AWS credentials") {
		t.Fatalf("err = %v, want the credentials line", err)
	}
	cfg.Region = ""
	if err := checkConfig(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "AWS_REGION") {
		t.Fatalf("err = %v, want the region line", err)
	}
}

// TestExplainUnreachable: an endpoint that refuses connections is one line
// that says AWS could not be reached, and where.
func TestExplainUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	cfg := fakeConfig("http://" + addr)
	_, err = ecs.NewFromConfig(cfg).ListClusters(context.Background(), &ecs.ListClustersInput{})
	got := explain(err)
	if !strings.HasPrefix(got.Error(), "cannot reach AWS for ECS ListClusters at http://"+addr) || strings.Contains(got.Error(), "\n") {
		t.Fatalf("explain = %q", got)
	}
}
