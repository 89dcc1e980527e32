package deploy

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// copilotInstallHint is what deploy says when copilot is not installed.
const copilotInstallHint = "copilot not found on PATH: install the AWS Copilot CLI (https://aws.github.io/copilot-cli/docs/getting-started/install/, e.g. `brew install aws/tap/copilot-cli`)"

// Deploy checks everything it can first, pushes this commit's image unless
// it is already pushed (or s.ImageURI names the image to deploy), then runs
// `copilot svc deploy` with IMAGE_URI set to the digest-pinned URI, and,
// when an API key is given, the smoke test against the service's URL.
func (t *Tool) Deploy(ctx context.Context, env string, s DeploySettings) error {
	if err := CheckEnv(t.Dir, env); err != nil {
		return err
	}
	copilot := t.Copilot
	if copilot == "" {
		copilot = "copilot"
	}
	copilotPath, err := exec.LookPath(copilot)
	if err != nil {
		return errors.New(copilotInstallHint)
	}
	cfg, err := t.aws(ctx)
	if err != nil {
		return err
	}
	if err := NewSecrets(cfg).Check(ctx, env); err != nil {
		return err
	}
	if err := t.confirm(ctx, cfg, env, "deploy to", s.Push.Yes); err != nil {
		return err
	}
	uri, err := t.deployImage(ctx, cfg, s)
	if err != nil {
		return err
	}
	fmt.Fprintf(t.Console.Out, "deploying %s to %s\n", uri, env)
	err = Run(ctx, t.Console, t.Dir, []string{envImageURI + "=" + uri}, copilotPath,
		"svc", "deploy", "--name", Service, "--env", env)
	if err != nil {
		return fmt.Errorf("copilot svc deploy to %s failed: %w", env, err)
	}
	return t.smoke(ctx, s, func(ctx context.Context) (string, error) { return NewStacks(cfg).PublicURL(ctx, env) })
}

// deployImage is the digest-pinned image a deploy runs: IMAGE_URI as given,
// or this commit's image, pushed if it is not yet.
func (t *Tool) deployImage(ctx context.Context, cfg aws.Config, s DeploySettings) (string, error) {
	if s.ImageURI != "" {
		return s.ImageURI, nil
	}
	return t.imageURI(ctx, NewECR(cfg), s.Push)
}

// smoke runs scripts/smoke-test.sh against SMOKE_URL or the URL the
// deployer reports, when an API key is given.
func (t *Tool) smoke(ctx context.Context, s DeploySettings, deployedURL func(context.Context) (string, error)) error {
	if s.APIKey == "" {
		fmt.Fprintf(t.Console.Out, "deployed; set %s to run the smoke test after a deploy\n", envAPIKey)
		return nil
	}
	url := s.SmokeURL
	if url == "" {
		var err error
		if url, err = deployedURL(ctx); err != nil {
			return fmt.Errorf("find the URL for the smoke test (or set %s): %w", envSmokeURL, err)
		}
	}
	if err := Run(ctx, t.Console, t.Dir, []string{envAPIKey + "=" + s.APIKey}, filepath.Join(t.Dir, "scripts", "smoke-test.sh"), url); err != nil {
		return fmt.Errorf("smoke test of %s: %w", url, err)
	}
	return nil
}

// Check makes sure env's API keys secret exists, is not scheduled for
// deletion and carries Copilot's tags, since tasks cannot start without it
// and Copilot lets them read only a secret tagged so.
func (s *Secrets) Check(ctx context.Context, env string) error {
	name := SecretName(env)
	out, err := s.api.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(name)})
	var nf *smtypes.ResourceNotFoundException
	if errors.As(err, &nf) {
		return fmt.Errorf("API keys secret %s not found: create it with `go tool mage secrets %s`", name, env)
	}
	if err != nil {
		return fmt.Errorf("check secret %s: %w", name, explain(err))
	}
	if out.DeletedDate != nil {
		return fmt.Errorf("API keys secret %s is scheduled for deletion on %s: restore it with `aws secretsmanager restore-secret --secret-id %s`, or run `go tool mage secrets %s` to restore it with new keys",
			name, out.DeletedDate.UTC().Format(time.DateOnly), name, env)
	}
	if missing := missingTags(out.Tags, env); len(missing) > 0 {
		var tags []string
		for _, tag := range missing {
			tags = append(tags, aws.ToString(tag.Key)+"="+aws.ToString(tag.Value))
		}
		return fmt.Errorf("API keys secret %s lacks Copilot's tag %s, so tasks may not read it: run `go tool mage secrets %s` (it stores keys and adds the tags) or tag it with `aws secretsmanager tag-resource`",
			name, strings.Join(tags, ", "), env)
	}
	return nil
}

// imageURI returns the pushed URI of this commit's image, pushing (and
// building) it when the record is for another commit or another image.
func (t *Tool) imageURI(ctx context.Context, r *ECR, s PushSettings) (string, error) {
	rev, err := Revision(ctx, t.Dir)
	if err != nil {
		return "", err
	}
	layoutDir := t.dist(distImage)
	if HasImage(layoutDir) {
		if err := t.imageOf(ctx, rev, s.Image); err != nil {
			return "", err
		}
	}
	uri, recorded, err := ReadRecord(t.dist(distRecord))
	if err != nil {
		return "", err
	}
	if uri != "" && recorded == rev && layoutDigestMatches(layoutDir, uri) {
		repo, err := repository(ctx, r, s)
		if err != nil {
			return "", err
		}
		if strings.HasPrefix(uri, repo+"@") {
			fmt.Fprintf(t.Console.Out, "image of %s already pushed: %s\n", shortRev(rev), uri)
			return uri, nil
		}
		fmt.Fprintf(t.Console.Out, "dist/image-uri.txt records a push to another repository than %s; pushing\n", repo)
	}
	return t.push(ctx, r, s)
}

// imageOf makes sure dist/image holds an image of commit rev, building it
// when there is none or it was built from another commit.
func (t *Tool) imageOf(ctx context.Context, rev string, s ImageSettings) error {
	layoutDir := t.dist(distImage)
	if HasImage(layoutDir) {
		if layoutRevision(layoutDir) == rev {
			return nil
		}
		fmt.Fprintf(t.Console.Out, "dist/image is from another commit; rebuilding\n")
	}
	return t.Image(ctx, s)
}

// repository is where push would publish now: IMAGE_REPOSITORY, or the
// service's ECR repository in the current account and region, so that a
// record of a push elsewhere is not deployed.
func repository(ctx context.Context, r *ECR, s PushSettings) (string, error) {
	if s.Repository != "" {
		return s.Repository, nil
	}
	return r.RepositoryURI(ctx)
}

// layoutRevision reads the revision label of the image in dir, or "".
func layoutRevision(dir string) string {
	img, idx, err := ReadLayout(dir)
	if err != nil {
		return ""
	}
	if idx != nil {
		m, err := idx.IndexManifest()
		if err != nil || len(m.Manifests) == 0 {
			return ""
		}
		if img, err = idx.Image(m.Manifests[0].Digest); err != nil {
			return ""
		}
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return ""
	}
	return cf.Config.Labels["org.opencontainers.image.revision"]
}

// layoutDigestMatches reports whether uri pins the image now in dir (true
// when there is no layout to compare with).
func layoutDigestMatches(dir, uri string) bool {
	if !HasImage(dir) {
		return true
	}
	img, idx, err := ReadLayout(dir)
	if err != nil {
		return false
	}
	var d fmt.Stringer
	if idx != nil {
		h, err := idx.Digest()
		if err != nil {
			return false
		}
		d = h
	} else {
		h, err := img.Digest()
		if err != nil {
			return false
		}
		d = h
	}
	return strings.HasSuffix(uri, "@"+d.String())
}

func shortRev(rev string) string {
	if len(rev) > 7 {
		return rev[:7]
	}
	return rev
}
