package deploy

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestReadKeys(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    int
		wantErr string
	}{
		{name: "two keys and blanks", in: "\n  abcdefghijklmnop1 \n\nabcdefghijklmnop2\n", want: 2},
		{name: "short", in: "short\n", wantErr: "shorter than 16"},
		{name: "comma", in: "abcdefghijklmnop,q\n", wantErr: "comma"},
		{name: "inner space", in: "abcdefgh ijklmnopq\n", wantErr: "whitespace"},
		{name: "empty", in: "\n\n", wantErr: "no keys given"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keys, err := ReadKeys(strings.NewReader(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := len(keys); got != tt.want {
				t.Fatalf("got %d keys, want %d", got, tt.want)
			}
		})
	}
}

func TestGenerateKeys(t *testing.T) {
	keys := GenerateKeys(3)
	seen := map[string]bool{}
	for _, k := range keys {
		if got, want := len(k), 43; got != want {
			t.Errorf("key length = %d, want %d", got, want)
		}
		if seen[k] {
			t.Errorf("duplicate key")
		}
		seen[k] = true
	}
}

func TestSecretName(t *testing.T) {
	if got, want := SecretName("staging"), "llm-testing/staging/api-keys"; got != want {
		t.Fatalf("SecretName = %q, want %q", got, want)
	}
}

// secretsFake answers like Secrets Manager; exists says whether the secret
// is already there, and stored collects what was written.
func secretsFake(exists bool, tags []map[string]string, stored *[]map[string]any) *fakeAWS {
	return &fakeAWS{JSON: map[string]func(map[string]any) (any, error){
		"DescribeSecret": func(req map[string]any) (any, error) {
			if !exists {
				return nil, &awsErr{Code: "ResourceNotFoundException", Message: "Secrets Manager can't find the specified secret."}
			}
			return map[string]any{"Name": str(req, "SecretId"), "Tags": tags}, nil
		},
		"CreateSecret": func(req map[string]any) (any, error) {
			*stored = append(*stored, req)
			return map[string]any{"Name": str(req, "Name"), "ARN": "arn:aws:secretsmanager:us-east-1:1:secret:x"}, nil
		},
		"PutSecretValue": func(req map[string]any) (any, error) {
			*stored = append(*stored, req)
			return map[string]any{"Name": str(req, "SecretId")}, nil
		},
		"TagResource": func(req map[string]any) (any, error) {
			*stored = append(*stored, req)
			return nil, nil
		},
		"RestoreSecret": func(req map[string]any) (any, error) {
			return map[string]any{"Name": str(req, "SecretId")}, nil
		},
	}}
}

func TestSecrets(t *testing.T) {
	copilot := []map[string]string{{"Key": "copilot-application", "Value": "llm-testing"}, {"Key": "copilot-environment", "Value": "staging"}}
	tests := []struct {
		name      string
		exists    bool
		tags      []map[string]string
		deleted   bool
		generate  int
		in        string
		wantCalls string
		wantOut   string
	}{
		{name: "create from stdin", in: "abcdefghijklmnop1\nabcdefghijklmnop2\n", wantCalls: "DescribeSecret CreateSecret", wantOut: "created secret llm-testing/staging/api-keys with 2 key(s)"},
		{name: "update tagged", exists: true, tags: copilot, in: "abcdefghijklmnop1\n", wantCalls: "DescribeSecret PutSecretValue", wantOut: "updated secret"},
		{name: "update untagged adds tags", exists: true, in: "abcdefghijklmnop1\n", wantCalls: "DescribeSecret PutSecretValue TagResource", wantOut: "updated secret"},
		{name: "scheduled for deletion is restored", exists: true, tags: copilot, deleted: true, in: "abcdefghijklmnop1\n", wantCalls: "DescribeSecret RestoreSecret PutSecretValue", wantOut: "updated secret"},
		{name: "generate", generate: 2, wantCalls: "DescribeSecret CreateSecret", wantOut: "shown once"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stored []map[string]any
			f := secretsFake(tt.exists, tt.tags, &stored)
			if tt.deleted {
				f.JSON["DescribeSecret"] = func(req map[string]any) (any, error) {
					return map[string]any{"Name": str(req, "SecretId"), "Tags": tt.tags, "DeletedDate": 1764800000}, nil
				}
			}
			var out bytes.Buffer
			tool := &Tool{Dir: repoWithEnvs(t, "staging"), Console: Console{In: strings.NewReader(tt.in), Out: &out, Err: &out}, AWS: fixedAWS(startFake(t, f))}
			if err := tool.Secrets(context.Background(), "staging", SecretsSettings{Generate: tt.generate}); err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(f.Calls(), " "); got != "GetCallerIdentity "+tt.wantCalls {
				t.Fatalf("calls = %q, want %q", got, tt.wantCalls)
			}
			if !strings.Contains(out.String(), tt.wantOut) || !strings.Contains(out.String(), "mage rollout staging") {
				t.Fatalf("output %q lacks %q or the rollout hint", out.String(), tt.wantOut)
			}
			value := stored[0]["SecretString"].(string)
			var v struct{ Keys []string }
			if err := json.Unmarshal([]byte(value), &v); err != nil {
				t.Fatalf("secret value %q is not {\"keys\":[...]}: %v", value, err)
			}
			if tt.generate > 0 {
				for _, k := range v.Keys {
					if !strings.Contains(out.String(), k) {
						t.Errorf("generated key not printed")
					}
				}
			} else if strings.Contains(out.String(), "abcdefghijklmnop1") {
				t.Errorf("output shows a key read from stdin")
			}
			if tt.wantCalls == "DescribeSecret CreateSecret" {
				tags, _ := json.Marshal(stored[0]["Tags"])
				if !strings.Contains(string(tags), `"copilot-environment","Value":"staging"`) {
					t.Errorf("created secret tags = %s, want Copilot's", tags)
				}
			}
		})
	}
}
