package deploy

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// ExpressPrepare makes, idempotently, what an Express deploy to env needs:
// the ECR repository, the API keys secret (with one generated key, printed
// once, when there is none), the cluster and the three IAM roles.
func (t *Tool) ExpressPrepare(ctx context.Context, env string, s ConfirmSettings) error {
	cfg, err := t.awsFor(ctx, env)
	if err != nil {
		return err
	}
	where := Where(ctx, cfg, env)
	if where.Account == unknownAccount {
		return fmt.Errorf("prepare %s: STS cannot tell the account, which the roles' policies name: check the credentials", env)
	}
	if err := t.Console.Confirm(where, "prepare", s.Yes); err != nil {
		return err
	}
	out := t.Console.Out
	if err := NewECR(cfg).EnsureRepository(ctx, out); err != nil {
		return err
	}
	secretARN, err := t.ensureSecret(ctx, cfg, env)
	if err != nil {
		return err
	}
	if err := NewExpress(cfg).EnsureCluster(ctx, env); err != nil {
		return err
	}
	partition := partitionOf(cfg.Region)
	bedrock, err := BedrockPolicy(t.Dir, partition, cfg.Region, where.Account)
	if err != nil {
		return err
	}
	if err := NewRoles(cfg).Ensure(ctx, out, partition, expressRoles(env, bedrock, secretARN)); err != nil {
		return err
	}
	fmt.Fprintf(out, "prepared %s; next: `go tool mage push %s`, then `go tool mage express:deploy %s`\n", env, env, env)
	return nil
}

// ensureSecret returns the ARN of env's API keys secret, creating it with
// one generated key when there is none.
func (t *Tool) ensureSecret(ctx context.Context, cfg aws.Config, env string) (string, error) {
	sm := NewSecrets(cfg)
	if arn, err := sm.ARN(ctx, env, SecretName(env)); err == nil {
		fmt.Fprintf(t.Console.Out, "secret %s exists\n", SecretName(env))
		return arn, nil
	}
	keys := GenerateKeys(1)
	if _, err := sm.PutKeys(ctx, env, keys); err != nil {
		return "", err
	}
	fmt.Fprintf(t.Console.Out, "created secret %s with one key (shown once, store it now):\n%s\n", SecretName(env), keys[0])
	return sm.ARN(ctx, env, SecretName(env))
}

// ExpressDeploy creates or updates env's Express service from the
// definition in copilot/ and the pushed image, follows the deployment to
// its end, and runs the smoke test when an API key is given. What the
// manifest says that Express Mode cannot apply is listed first.
func (t *Tool) ExpressDeploy(ctx context.Context, env string, s ExpressSettings) error {
	if err := CheckEnv(t.Dir, env); err != nil {
		return err
	}
	def, err := LoadDefinition(t.Dir, env)
	if err != nil {
		return err
	}
	out := t.Console.Out
	fmt.Fprintln(out, "not applied by Express Mode (see docs/deploy.md):")
	for _, l := range def.NotApplied {
		fmt.Fprintln(out, "  "+l)
	}
	image := s.ImageURI
	if image == "" {
		if image, err = t.pushedImage(ctx, env); err != nil {
			return err
		}
	}
	cfg, err := t.aws(ctx)
	if err != nil {
		return err
	}
	roles, err := NewRoles(cfg).Find(ctx, env)
	if err != nil {
		return err
	}
	rel := Release{Def: def, Image: image, Roles: roles, Secrets: map[string]string{}}
	sm := NewSecrets(cfg)
	for name, secret := range def.Secrets {
		if rel.Secrets[name], err = sm.ARN(ctx, env, secret); err != nil {
			return err
		}
	}
	if err := t.confirm(ctx, cfg, env, "deploy to", s.Yes); err != nil {
		return err
	}
	if err := NewLogs(cfg).EnsureGroup(ctx, LogGroup(env), def.LogRetention); err != nil {
		return err
	}
	fmt.Fprintf(out, "deploying %s to %s with ECS Express Mode\n", image, env)
	svc, err := NewExpress(cfg).Apply(ctx, out, rel, RolloutOptions{Timeout: s.Timeout, Interval: t.rolloutInterval})
	if err != nil {
		return err
	}
	return t.smoke(ctx, DeploySettings{APIKey: s.APIKey, SmokeURL: s.SmokeURL}, func(context.Context) (string, error) {
		if u := URL(svc); u != "" {
			return u, nil
		}
		return "", fmt.Errorf("the Express service reports no public endpoint yet")
	})
}

// pushedImage is the image push recorded for HEAD, with a one-line error
// when there is none.
func (t *Tool) pushedImage(ctx context.Context, env string) (string, error) {
	uri, rev, err := ReadRecord(t.dist(distRecord))
	if err != nil {
		return "", err
	}
	if uri == "" {
		return "", fmt.Errorf("no pushed image: dist/%s records none; run `go tool mage push %s` or set %s", distRecord, env, envImageURI)
	}
	head, err := Revision(ctx, t.Dir)
	if err != nil {
		return "", err
	}
	if rev != head {
		return "", fmt.Errorf("dist/%s records the image of %s, not of HEAD %s: run `go tool mage push %s` or set %s", distRecord, shortRev(rev), shortRev(head), env, envImageURI)
	}
	return uri, nil
}

// ExpressDelete deletes env's Express service after confirmation, in every
// environment.
func (t *Tool) ExpressDelete(ctx context.Context, env string, s ConfirmSettings) error {
	cfg, err := t.awsFor(ctx, env)
	if err != nil {
		return err
	}
	if err := t.Console.ConfirmAlways(Where(ctx, cfg, env), "delete the Express service in", s.Yes); err != nil {
		return err
	}
	return NewExpress(cfg).Delete(ctx, t.Console.Out, env)
}
