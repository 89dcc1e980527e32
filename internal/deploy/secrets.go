package deploy

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// minKeyLen is the shortest API key accepted from the operator.
const minKeyLen = 16

// SecretsOptions says where the keys of the secrets target come from.
type SecretsOptions struct {
	Env string
	// Generate, when above zero, makes that many random keys instead of
	// reading them from the console's input.
	Generate int
}

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
		return nil, errors.New("no keys given: pipe them in, one a line, or set GENERATE=N")
	}
	return keys, nil
}

// GenerateKeys makes n keys of 32 random bytes each, base64url without
// padding.
func GenerateKeys(n int) ([]string, error) {
	keys := make([]string, n)
	for i := range keys {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return nil, fmt.Errorf("generate key: %w", err)
		}
		keys[i] = base64.RawURLEncoding.EncodeToString(b)
	}
	return keys, nil
}

// copilotTags are the tags Copilot requires before a task may read a secret.
func copilotTags(env string) []smtypes.Tag {
	return []smtypes.Tag{
		{Key: aws.String("copilot-application"), Value: aws.String(App)},
		{Key: aws.String("copilot-environment"), Value: aws.String(env)},
	}
}

// PutKeys creates or updates the API keys secret of env with value
// {"keys":[...]} and Copilot's tags. It reports whether the secret was
// created. It never reads the secret's current value.
func (a *AWS) PutKeys(ctx context.Context, env string, keys []string) (created bool, err error) {
	value, err := json.Marshal(struct {
		Keys []string `json:"keys"`
	}{keys})
	if err != nil {
		return false, fmt.Errorf("encode keys: %w", err)
	}
	name := SecretName(env)
	desc, err := a.secrets.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(name)})
	var nf *smtypes.ResourceNotFoundException
	switch {
	case errors.As(err, &nf):
		_, err = a.secrets.CreateSecret(ctx, &secretsmanager.CreateSecretInput{
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
		if _, err := a.secrets.RestoreSecret(ctx, &secretsmanager.RestoreSecretInput{SecretId: aws.String(name)}); err != nil {
			return false, fmt.Errorf("restore secret %s, scheduled for deletion: %w", name, explain(err))
		}
	}
	if _, err := a.secrets.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{
		SecretId: aws.String(name), SecretString: aws.String(string(value)),
	}); err != nil {
		return false, fmt.Errorf("update secret %s: %w", name, explain(err))
	}
	if missing := missingTags(desc.Tags, env); len(missing) > 0 {
		if _, err := a.secrets.TagResource(ctx, &secretsmanager.TagResourceInput{
			SecretId: aws.String(name), Tags: missing,
		}); err != nil {
			return false, fmt.Errorf("tag secret %s: %w", name, explain(err))
		}
	}
	return false, nil
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

// Secrets is the secrets target: keys from the input or generated, stored
// in env's secret. Generated keys are printed once; stored keys never are.
func (a *AWS) Secrets(ctx context.Context, con Console, opts SecretsOptions) error {
	var keys []string
	var err error
	if opts.Generate > 0 {
		keys, err = GenerateKeys(opts.Generate)
	} else {
		keys, err = ReadKeys(con.In)
	}
	if err != nil {
		return err
	}
	created, err := a.PutKeys(ctx, opts.Env, keys)
	if err != nil {
		return err
	}
	verb := "updated"
	if created {
		verb = "created"
	}
	fmt.Fprintf(con.Out, "%s secret %s with %d key(s)\n", verb, SecretName(opts.Env), len(keys))
	if opts.Generate > 0 {
		fmt.Fprintln(con.Out, "generated keys (shown once, store them now):")
		for _, k := range keys {
			fmt.Fprintln(con.Out, k)
		}
	}
	fmt.Fprintf(con.Out, "tasks read keys at start: run `go tool mage rollout %s` to make them pick these up\n", opts.Env)
	return nil
}
