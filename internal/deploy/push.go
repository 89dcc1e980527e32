package deploy

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"
	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

type ecrAPI interface {
	GetAuthorizationToken(context.Context, *ecr.GetAuthorizationTokenInput, ...func(*ecr.Options)) (*ecr.GetAuthorizationTokenOutput, error)
	DescribeRepositories(context.Context, *ecr.DescribeRepositoriesInput, ...func(*ecr.Options)) (*ecr.DescribeRepositoriesOutput, error)
	CreateRepository(context.Context, *ecr.CreateRepositoryInput, ...func(*ecr.Options)) (*ecr.CreateRepositoryOutput, error)
}

// ECR publishes images to the service's registry.
type ECR struct {
	api ecrAPI
}

// NewECR makes an ECR from cfg.
func NewECR(cfg aws.Config) *ECR { return &ECR{api: ecr.NewFromConfig(cfg)} }

// PushOptions says what push publishes and where.
type PushOptions struct {
	// Layout is the OCI layout the image target wrote (dist/image).
	Layout string
	// Repository, when set (IMAGE_REPOSITORY), is the full repository
	// reference to push to, and ECR is not asked for it.
	Repository string
	// Tags are the tags to set, usually the short commit id and latest.
	Tags []string
	// Revision is the commit the image was built from, recorded with it.
	Revision string
	// Record is the file that keeps the pushed URI (dist/image-uri.txt).
	Record string
}

// Push publishes the image (or index) in opts.Layout with each tag and
// returns its digest-pinned URI, repo@sha256:..., which it also records.
func (r *ECR) Push(ctx context.Context, out io.Writer, opts PushOptions) (string, error) {
	img, idx, err := ReadLayout(opts.Layout)
	if err != nil {
		return "", err
	}
	repo, err := r.targetRepository(ctx, opts.Repository)
	if err != nil {
		return "", err
	}
	auth, err := r.registryAuth(ctx, repo, opts.Repository == "")
	if err != nil {
		return "", err
	}
	if len(opts.Tags) == 0 {
		return "", errors.New("push: no tags given")
	}
	ropts := []remote.Option{remote.WithAuth(auth), remote.WithContext(ctx)}
	digest, taggable, err := imageDigest(img, idx)
	if err != nil {
		return "", err
	}
	first := repo.Tag(opts.Tags[0])
	fmt.Fprintf(out, "pushing %s to %s\n", digest, first)
	if idx != nil {
		err = remote.WriteIndex(first, idx, ropts...)
	} else {
		err = remote.Write(first, img, ropts...)
	}
	if err != nil {
		return "", fmt.Errorf("push %s: %w", first, err)
	}
	for _, t := range opts.Tags[1:] {
		if err := remote.Tag(repo.Tag(t), taggable, ropts...); err != nil {
			return "", fmt.Errorf("tag %s: %w", repo.Tag(t), err)
		}
	}
	uri := repo.Name() + "@" + digest.String()
	if opts.Record != "" {
		if err := WriteRecord(opts.Record, uri, opts.Revision); err != nil {
			return "", err
		}
	}
	fmt.Fprintln(out, uri)
	return uri, nil
}

// targetRepository is the repository to push to: given (IMAGE_REPOSITORY)
// or the service's ECR repository. A loopback registry is spoken to over
// plain HTTP.
func (r *ECR) targetRepository(ctx context.Context, given string) (name.Repository, error) {
	repoName := given
	if repoName == "" {
		var err error
		if repoName, err = r.RepositoryURI(ctx); err != nil {
			return name.Repository{}, err
		}
	}
	var nameOpts []name.Option
	if isLoopback(registryHost(repoName)) {
		nameOpts = append(nameOpts, name.Insecure)
	}
	repo, err := name.NewRepository(repoName, nameOpts...)
	if err != nil {
		return name.Repository{}, fmt.Errorf("parse repository %q: %w", repoName, err)
	}
	return repo, nil
}

// imageDigest is the digest of the index, when there is one, else of the
// image, and the one of them to tag.
func imageDigest(img v1.Image, idx v1.ImageIndex) (v1.Hash, remote.Taggable, error) {
	var digest v1.Hash
	var err error
	var taggable remote.Taggable
	if idx != nil {
		digest, err = idx.Digest()
		taggable = idx
	} else {
		digest, err = img.Digest()
		taggable = img
	}
	if err != nil {
		return v1.Hash{}, nil, fmt.Errorf("compute digest: %w", err)
	}
	return digest, taggable, nil
}

// RepositoryURI asks ECR for the service's repository.
func (r *ECR) RepositoryURI(ctx context.Context) (string, error) {
	out, err := r.api.DescribeRepositories(ctx, &ecr.DescribeRepositoriesInput{RepositoryNames: []string{Repository}})
	if err != nil {
		return "", fmt.Errorf("describe repository %s: %w", Repository, explain(err))
	}
	if len(out.Repositories) == 0 || aws.ToString(out.Repositories[0].RepositoryUri) == "" {
		return "", fmt.Errorf("describe repository %s: ECR returned no URI", Repository)
	}
	return aws.ToString(out.Repositories[0].RepositoryUri), nil
}

// EnsureRepository creates the service's repository unless it exists, as
// `copilot svc init` does for the Copilot path.
func (r *ECR) EnsureRepository(ctx context.Context, out io.Writer) error {
	_, err := r.api.DescribeRepositories(ctx, &ecr.DescribeRepositoriesInput{RepositoryNames: []string{Repository}})
	var nf *ecrtypes.RepositoryNotFoundException
	switch {
	case err == nil:
		fmt.Fprintf(out, "ECR repository %s exists\n", Repository)
		return nil
	case !errors.As(err, &nf):
		return fmt.Errorf("describe repository %s: %w", Repository, explain(err))
	}
	if _, err := r.api.CreateRepository(ctx, &ecr.CreateRepositoryInput{
		RepositoryName: aws.String(Repository), ImageTagMutability: ecrtypes.ImageTagMutabilityMutable,
	}); err != nil {
		return fmt.Errorf("create repository %s: %w", Repository, explain(err))
	}
	fmt.Fprintf(out, "created ECR repository %s\n", Repository)
	return nil
}

// registryAuth gets registry credentials: ECR's token for ECR (or when the
// repository came from ECR), the local Docker keychain otherwise.
func (r *ECR) registryAuth(ctx context.Context, repo name.Repository, fromECR bool) (authn.Authenticator, error) {
	if !fromECR && !isECRHost(repo.RegistryStr()) {
		auth, err := authn.DefaultKeychain.Resolve(repo.Registry)
		if err != nil {
			return nil, fmt.Errorf("resolve credentials for %s: %w", repo.RegistryStr(), err)
		}
		return auth, nil
	}
	out, err := r.api.GetAuthorizationToken(ctx, &ecr.GetAuthorizationTokenInput{})
	if err != nil {
		return nil, fmt.Errorf("get ECR authorization token: %w", explain(err))
	}
	if len(out.AuthorizationData) == 0 {
		return nil, errors.New("get ECR authorization token: no authorization data")
	}
	raw, err := base64.StdEncoding.DecodeString(aws.ToString(out.AuthorizationData[0].AuthorizationToken))
	if err != nil {
		return nil, fmt.Errorf("decode ECR authorization token: %w", err)
	}
	user, pass, ok := strings.Cut(string(raw), ":")
	if !ok {
		return nil, errors.New("decode ECR authorization token: not user:password")
	}
	return authn.FromConfig(authn.AuthConfig{Username: user, Password: pass}), nil
}

func registryHost(repo string) string {
	host, _, _ := strings.Cut(repo, "/")
	return host
}

// isLoopback reports whether a registry host:port is on this machine, the
// only case where push speaks plain HTTP.
func isLoopback(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

func isECRHost(host string) bool {
	return strings.Contains(host, ".dkr.ecr.") && (strings.HasSuffix(host, ".amazonaws.com") || strings.HasSuffix(host, ".amazonaws.com.cn"))
}

// WriteRecord keeps the pushed URI and the commit it was built from:
// the first line is the URI alone, so `head -1` gives IMAGE_URI.
func WriteRecord(path, uri, revision string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("record image URI: %w", err)
	}
	// Write a temporary file and rename it, so that a killed process leaves
	// the old record or the new one, never half of one.
	tmp, err := os.CreateTemp(filepath.Dir(path), ".image-uri-*")
	if err != nil {
		return fmt.Errorf("record image URI: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(uri + "\nrevision " + revision + "\n"); err != nil {
		tmp.Close()
		return fmt.Errorf("record image URI: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("record image URI: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("record image URI: %w", err)
	}
	return nil
}

// pinnedURI matches a digest-pinned image reference.
var pinnedURI = regexp.MustCompile(`^[^@\s]+@sha256:[0-9a-f]{64}$`)

// ReadRecord returns the URI and revision WriteRecord kept, or empty strings
// when there is no record.
func ReadRecord(path string) (uri, revision string, err error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return "", "", nil
	}
	if err != nil {
		return "", "", fmt.Errorf("read image record: %w", err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	uri = strings.TrimSpace(lines[0])
	if !pinnedURI.MatchString(uri) {
		return "", "", nil // damaged or hand-edited: as if nothing was pushed
	}
	if len(lines) > 1 {
		revision = strings.TrimSpace(strings.TrimPrefix(lines[1], "revision "))
	}
	return uri, revision, nil
}
