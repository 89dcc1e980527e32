package bedrock

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/config"
)

func TestCost(t *testing.T) {
	tests := []struct {
		model   string
		in, out int
		want    float64 // -1: unknown
	}{
		{DefaultModelID, 1_000_000, 0, 3},
		{DefaultModelID, 0, 1_000_000, 15},
		{"global.anthropic.claude-sonnet-4-5-20250929-v1:0", 2000, 300, (2000*3 + 300*15) / 1e6},
		{"eu.anthropic.claude-haiku-4-5-20251001-v1:0", 1_000_000, 1_000_000, 6},
		{"anthropic.claude-3-5-haiku-20241022-v1:0", 1_000_000, 0, 0.8},
		{"arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-opus-4-1-20250805-v1:0", 0, 1_000_000, 75},
		{"apac.anthropic.claude-sonnet-4-20250514-v1:0", 1_000_000, 0, 3},
		{"us.anthropic.claude-opus-4-5-20251101-v1:0", 1_000_000, 0, 5},
		{"amazon.nova-pro-v1:0", 1000, 1000, -1},
		{"", 1, 1, -1},
	}
	for _, tt := range tests {
		t.Run(tt.model, func(t *testing.T) {
			got := Cost(tt.model, tt.in, tt.out)
			if tt.want < 0 {
				if got != nil {
					t.Errorf("Cost = %v, want nil for an unknown model", *got)
				}
				return
			}
			if got == nil || math.Abs(*got-tt.want) > 1e-12 {
				t.Errorf("Cost = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestBaseModelID(t *testing.T) {
	tests := map[string]string{
		"us.anthropic.claude-sonnet-4-5-20250929-v1:0":     "anthropic.claude-sonnet-4-5-20250929-v1:0",
		"global.anthropic.claude-haiku-4-5-20251001-v1:0":  "anthropic.claude-haiku-4-5-20251001-v1:0",
		"anthropic.claude-sonnet-4-5-20250929-v1:0":        "anthropic.claude-sonnet-4-5-20250929-v1:0",
		"arn:aws:bedrock:eu-west-1::foundation-model/x.y1": "x.y1",
	}
	for in, want := range tests {
		if got := baseModelID(in); got != want {
			t.Errorf("baseModelID(%q) = %q, want %q", in, got, want)
		}
	}
}

// isolateAWSEnv clears the AWS settings of the environment, so that the test
// sees only what it sets.
func isolateAWSEnv(tb testing.TB) {
	tb.Helper()
	for _, k := range []string{"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
		"AWS_SESSION_TOKEN", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN"} {
		tb.Setenv(k, "")
	}
	dir := tb.TempDir()
	tb.Setenv("AWS_CONFIG_FILE", dir+"/config")
	tb.Setenv("AWS_SHARED_CREDENTIALS_FILE", dir+"/credentials")
	tb.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

func TestLoadAWSConfig(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		opts    []func(*config.LoadOptions) error
		wantErr string
	}{
		{"no region", map[string]string{"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "y"}, nil, "no AWS region: set AWS_REGION"},
		{"no credentials", map[string]string{"AWS_REGION": "us-east-1"}, nil, "no AWS credentials: set AWS_PROFILE, or AWS_ACCESS_KEY_ID"},
		{"env credentials", map[string]string{"AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "y"}, nil, ""},
		{"options", nil, []func(*config.LoadOptions) error{config.WithRegion("eu-west-1")}, "no AWS credentials"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isolateAWSEnv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			cfg, err := LoadAWSConfig(context.Background(), tt.opts...)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if cfg.Region != "us-east-1" {
					t.Errorf("Region = %q", cfg.Region)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}
