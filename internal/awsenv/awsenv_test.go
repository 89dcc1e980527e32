package awsenv

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

func TestCheck(t *testing.T) {
	static := credentials.NewStaticCredentialsProvider("AKID", "SECRET", "")
	failing := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{}, errors.New("no profile")
	})
	tests := []struct {
		name string
		cfg  aws.Config
		want error
	}{
		{"ok", aws.Config{Region: "us-east-1", Credentials: static}, nil},
		{"no region", aws.Config{Credentials: static}, ErrNoRegion},
		{"no provider", aws.Config{Region: "us-east-1"}, ErrNoCredentials},
		{"provider fails", aws.Config{Region: "us-east-1", Credentials: failing}, ErrNoCredentials},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(context.Background(), tt.cfg)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("Check = %v, want %v", err, tt.want)
			}
		})
	}
}

// isolate clears the AWS settings of the environment and points the shared
// files at an empty directory, so that a test sees only what it sets.
func isolate(tb testing.TB) {
	tb.Helper()
	for _, k := range []string{"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
		"AWS_SESSION_TOKEN", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
		"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN"} {
		tb.Setenv(k, "")
	}
	dir := tb.TempDir()
	tb.Setenv("AWS_CONFIG_FILE", dir+"/config")
	tb.Setenv("AWS_SHARED_CREDENTIALS_FILE", dir+"/credentials")
	tb.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

func TestLoad(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		opts    []func(*config.LoadOptions) error
		want    error
		message string
	}{
		{"no region", map[string]string{"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "y"}, nil, ErrNoRegion, "set AWS_REGION"},
		{"no credentials", map[string]string{"AWS_REGION": "us-east-1"}, nil, ErrNoCredentials, "set AWS_PROFILE"},
		{"env credentials", map[string]string{"AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "y"}, nil, nil, ""},
		{"region from options", nil, []func(*config.LoadOptions) error{config.WithRegion("eu-west-1")}, ErrNoCredentials, "no AWS credentials"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isolate(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			cfg, err := Load(context.Background(), tt.opts...)
			if tt.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				if got, want := cfg.Region, "us-east-1"; got != want {
					t.Errorf("Region = %q, want %q", got, want)
				}
				return
			}
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.message) {
				t.Errorf("err = %v, want %v saying %q", err, tt.want, tt.message)
			}
		})
	}
}
