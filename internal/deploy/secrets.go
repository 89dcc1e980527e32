package deploy

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"github.com/llm-testing/llm-testing/internal/auth"
)

type secretsAPI interface {
	DescribeSecret(context.Context, *secretsmanager.DescribeSecretInput, ...func(*secretsmanager.Options)) (*secretsmanager.DescribeSecretOutput, error)
	CreateSecret(context.Context, *secretsmanager.CreateSecretInput, ...func(*secretsmanager.Options)) (*secretsmanager.CreateSecretOutput, error)
	PutSecretValue(context.Context, *secretsmanager.PutSecretValueInput, ...func(*secretsmanager.Options)) (*secretsmanager.PutSecretValueOutput, error)
	TagResource(context.Context, *secretsmanager.TagResourceInput, ...func(*secretsmanager.Options)) (*secretsmanager.TagResourceOutput, error)
	RestoreSecret(context.Context, *secretsmanager.RestoreSecretInput, ...func(*secretsmanager.Options)) (*secretsmanager.RestoreSecretOutput, error)
}

// Secrets keeps the API keys secrets in Secrets Manager.
type Secrets struct {
	api secretsAPI
}

// NewSecrets makes a Secrets from cfg.
func NewSecrets(cfg aws.Config) *Secrets { return &Secrets{api: secretsmanager.NewFromConfig(cfg)} }

// minKeyLen is the shortest API key accepted from the operator.
const minKeyLen = 16

// ReadKeys reads API keys, one a line, skipping blank lines. A key with
// whitespace or a comma, or shorter than 16 characters, is an error: the
// server splits keys on commas and a short key is guessable.
func ReadKeys(r io.Reader) ([]string, error) {
	var keys []string
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		k := strings.TrimSpace(sc.Text())
		if k == "" {
			continue
		}
		switch {
		case strings.ContainsAny(k, " \t,\"\\"):
			return nil, fmt.Errorf("key on line %d has whitespace, a comma, a quote or a backslash: use letters, digits, - and _", n)
		case len(k) < minKeyLen:
			return nil, fmt.Errorf("key on line %d is shorter than %d characters", n, minKeyLen)
		}
		keys = append(keys, k)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read keys: %w", err)
	}
	if len(keys) == 0 {
		return nil, errors.New("no keys given: pipe them in, one a line, or set " + envGenerate + "=N")
	}
	return keys, nil
}

// GenerateKeys makes n random keys, each as auth makes them.
func GenerateKeys(n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = auth.NewKey()
	}
	return keys
}

// copilotTags are the tags Copilot requires before a task may read a secret.
func copilotTags(env string) []smtypes.Tag {
	return []smtypes.Tag{
		{Key: aws.String(tagApplication), Value: aws.String(App)},
		{Key: aws.String(tagEnvironment), Value: aws.String(env)},
	}
}

// PutKeys creates or updates the API keys secret of env with value
// {"keys":[...]} and Copilot's tags. It reports whether the secret was
// created. It never reads the secret's current value.
func (s *Secrets) PutKeys(ctx context.Context, env string, keys []string) (created bool, err error) {
	value, err := json.Marshal(struct {
		Keys []string `json:"keys"`
	}{keys})
	if err != nil {
		return false, fmt.Errorf("encode keys: %w", err)
	}
	name := SecretName(env)
	desc, err := s.api.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(name)})
	var nf *smtypes.ResourceNotFoundException
	switch {
	case errors.As(err, &nf):
		_, err = s.api.CreateSecret(ctx, &secretsmanager.CreateSecretInput{
			Name:         aws.String(name),
			Description:  aws.String("API keys of " + App + " in " + env),
			SecretString: aws.String(string(value)),
			Tags:         copilotTags(env),
		})
		if err != nil {
			return false, fmt.Errorf("create secret %s: %w", name, explain(err))
		}
		return true, nil
	case err != nil:
		return false, fmt.Errorf("describe secret %s: %w", name, explain(err))
	}
	if desc.DeletedDate != nil {
		// A secret scheduled for deletion takes no new value until restored.
		if _, err := s.api.RestoreSecret(ctx, &secretsmanager.RestoreSecretInput{SecretId: aws.String(name)}); err != nil {
			return false, fmt.Errorf("restore secret %s, scheduled for deletion: %w", name, explain(err))
		}
	}
	if _, err := s.api.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{
		SecretId: aws.String(name), SecretString: aws.String(string(value)),
	}); err != nil {
		return false, fmt.Errorf("update secret %s: %w", name, explain(err))
	}
	if missing := missingTags(desc.Tags, env); len(missing) > 0 {
		if _, err := s.api.TagResource(ctx, &secretsmanager.TagResourceInput{
			SecretId: aws.String(name), Tags: missing,
		}); err != nil {
			return false, fmt.Errorf("tag secret %s: %w", name, explain(err))
		}
	}
	return false, nil
}

// ARN returns the ARN of the secret called name, with a one-line error
// when it does not exist.
func (s *Secrets) ARN(ctx context.Context, env, name string) (string, error) {
	out, err := s.api.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(name)})
	var nf *smtypes.ResourceNotFoundException
	if errors.As(err, &nf) {
		return "", fmt.Errorf("secret %s not found: create it with `go tool mage secrets %s`", name, env)
	}
	if err != nil {
		return "", fmt.Errorf("describe secret %s: %w", name, explain(err))
	}
	return aws.ToString(out.ARN), nil
}

func missingTags(have []smtypes.Tag, env string) []smtypes.Tag {
	var missing []smtypes.Tag
	for _, want := range copilotTags(env) {
		found := false
		for _, t := range have {
			if aws.ToString(t.Key) == *want.Key && aws.ToString(t.Value) == *want.Value {
				found = true
			}
		}
		if !found {
			missing = append(missing, want)
		}
	}
	return missing
}
