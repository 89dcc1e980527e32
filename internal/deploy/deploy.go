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
// it is already pushed (or Settings.ImageURI names the image to deploy),
// then runs `copilot svc deploy` with IMAGE_URI set to the digest-pinned
// URI, and, when an API key is given, the smoke test against the service's
// URL.
func (t *Tool) Deploy(ctx context.Context, env string) error {
	if err := CheckEnv(t.Dir, env); err != nil {
		return err
	}
	if u := t.Settings.ImageURI; u != "" && !pinnedURI.MatchString(u) {
		return fmt.Errorf("IMAGE_URI=%q is not digest-pinned: want repository@sha256:<64 hex digits>, as `go tool mage push` prints", u)
	}
	if u := t.Settings.SmokeURL; u != "" && !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		return fmt.Errorf("SMOKE_URL=%q: want the service's base URL, like https://summaries.example.com", u)
	}
	copilot := t.Copilot
	if copilot == "" {
		copilot = "copilot"
	}
	copilotPath, err := exec.LookPath(copilot)
	if err != nil {
		return errors.New(copilotInstallHint)
	}
	a, err := t.aws(ctx)
	if err != nil {
		return err
	}
	if err := a.checkSecret(ctx, env); err != nil {
		return err
	}
	if err := a.Confirm(ctx, t.Console, env, "deploy to", t.Settings.Yes); err != nil {
		return err
	}
	uri := t.Settings.ImageURI
	if uri == "" {
		if uri, err = t.imageURI(ctx, a); err != nil {
			return err
		}
	}
	fmt.Fprintf(t.Console.Out, "deploying %s to %s\n", uri, env)
	err = Run(ctx, t.Console, filepath.Join(t.Dir), []string{"IMAGE_URI=" + uri}, copilotPath,
		"svc", "deploy", "--name", Service, "--env", env)
	if err != nil {
		return fmt.Errorf("copilot svc deploy to %s failed: %w", env, err)
	}
	if t.Settings.APIKey == "" {
		fmt.Fprintln(t.Console.Out, "deployed; set API_KEY to run the smoke test after a deploy")
		return nil
	}
	url := t.Settings.SmokeURL
	if url == "" {
		if url, err = a.publicURL(ctx, env); err != nil {
			return fmt.Errorf("find the URL for the smoke test (or set SMOKE_URL): %w", err)
		}
	}
	if err := Run(ctx, t.Console, t.Dir, []string{"API_KEY=" + t.Settings.APIKey}, filepath.Join(t.Dir, "scripts", "smoke-test.sh"), url); err != nil {
		return fmt.Errorf("smoke test of %s: %w", url, err)
	}
	return nil
}

// checkSecret makes sure env's API keys secret exists, is not scheduled for
// deletion and carries Copilot's tags, since tasks cannot start without it
// and Copilot lets them read only a secret tagged so.
func (a *AWS) checkSecret(ctx context.Context, env string) error {
	name := SecretName(env)
	out, err := a.secrets.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(name)})
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
		for _, t := range missing {
			tags = append(tags, aws.ToString(t.Key)+"="+aws.ToString(t.Value))
		}
		return fmt.Errorf("API keys secret %s lacks Copilot's tag %s, so tasks may not read it: run `go tool mage secrets %s` (it stores keys and adds the tags) or tag it with `aws secretsmanager tag-resource`",
			name, strings.Join(tags, ", "), env)
	}
	return nil
}

// imageURI returns the pushed URI of this commit's image, pushing (and
// building) it when the record is for another commit or another image.
func (t *Tool) imageURI(ctx context.Context, a *AWS) (string, error) {
	rev, err := Revision(ctx, t.Dir)
	if err != nil {
		return "", err
	}
	layoutDir := t.dist("image")
	if HasImage(layoutDir) {
		if err := t.imageOf(ctx, rev); err != nil {
			return "", err
		}
	}
	uri, recorded, err := ReadRecord(t.dist("image-uri.txt"))
	if err != nil {
		return "", err
	}
	if uri != "" && recorded == rev && layoutDigestMatches(layoutDir, uri) {
		repo, err := t.repository(ctx, a)
		if err != nil {
			return "", err
		}
		if strings.HasPrefix(uri, repo+"@") {
			fmt.Fprintf(t.Console.Out, "image of %s already pushed: %s\n", shortRev(rev), uri)
			return uri, nil
		}
		fmt.Fprintf(t.Console.Out, "dist/image-uri.txt records a push to another repository than %s; pushing\n", repo)
	}
	return t.push(ctx, a)
}

// imageOf makes sure dist/image holds an image of commit rev, building it
// when there is none or it was built from another commit.
func (t *Tool) imageOf(ctx context.Context, rev string) error {
	layoutDir := t.dist("image")
	if HasImage(layoutDir) {
		if layoutRevision(layoutDir) == rev {
			return nil
		}
		fmt.Fprintf(t.Console.Out, "dist/image is from another commit; rebuilding\n")
	}
	return t.Image(ctx)
}

// repository is where push would publish now: IMAGE_REPOSITORY, or the
// service's ECR repository in the current account and region, so that a
// record of a push elsewhere is not deployed.
func (t *Tool) repository(ctx context.Context, a *AWS) (string, error) {
	if t.Settings.ImageRepository != "" {
		return t.Settings.ImageRepository, nil
	}
	return a.repositoryURI(ctx)
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
