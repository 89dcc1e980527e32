package deploy

import (
	"context"
	"fmt"
	"os"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// dockerImage builds with the Dockerfile on a Docker daemon
// (IMAGE_BUILDER=docker) and stores the result in the same OCI layout, so
// push and deploy work the same whichever builder made it.
func (t *Tool) dockerImage(ctx context.Context, opts ImageOptions) error {
	if len(opts.Platforms) > 1 {
		return fmt.Errorf("%s=%s builds one platform; unset %s or use the default builder for an index", envImageBuilder, builderDocker, envImagePlatforms)
	}
	platform := platformsOrDefault(opts.Platforms)[0]
	tag := Repository + ":build"
	build := []string{"build", "--platform", platform, "-t", tag,
		"--build-arg", "VERSION=" + opts.Version,
		"--label", "org.opencontainers.image.revision=" + opts.Revision,
		"--label", "org.opencontainers.image.source=" + opts.Source,
		"--label", "org.opencontainers.image.version=" + opts.Version, "."}
	if err := Run(ctx, t.Console, t.Dir, nil, "docker", build...); err != nil {
		return err
	}
	if err := os.MkdirAll(t.dist(""), 0o755); err != nil {
		return fmt.Errorf("make dist: %w", err)
	}
	saved := t.dist("image.tar")
	if err := Run(ctx, t.Console, t.Dir, nil, "docker", "save", "-o", saved, tag); err != nil {
		return err
	}
	defer os.Remove(saved)
	img, err := tarball.ImageFromPath(saved, nil)
	if err != nil {
		return fmt.Errorf("read docker image: %w", err)
	}
	digest, err := writeLayout(opts.Out, []v1.Image{img}, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(t.Console.Out, "image %s (docker, %s) in dist/image\n", digest, platform)
	return nil
}
