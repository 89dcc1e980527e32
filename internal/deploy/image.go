package deploy

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/llm-testing/llm-testing/internal/config"
)

// The image's fixed shape: the contract with the manifests and Dockerfile.
const (
	imageUser   = "65532:65532"
	imageUID    = 65532
	imageBinary = "/server"
	// SourceURL is the repository the image's source label points to.
	SourceURL = "https://github.com/llm-testing/llm-testing"
)

// ImageOptions says what image the image target builds.
type ImageOptions struct {
	// Dir is the repository root; Out (default Dir/dist/image) receives the
	// OCI layout.
	Dir, Out string
	// Platforms are os/arch pairs; more than one makes an index.
	Platforms []string
	// Version, Revision and Source fill the OCI labels.
	Version, Revision, Source string
	// Created is the image's creation time.
	Created time.Time
	// CACerts is a CA bundle to add at /etc/ssl/certs/ca-certificates.crt;
	// empty or missing skips it (the binary carries fallback roots).
	CACerts string
	// BuildBinary builds the server for goos/goarch at path; nil uses
	// BuildServer. Tests inject a tiny binary here.
	BuildBinary func(ctx context.Context, goos, goarch, path string) error
}

// BuildImage builds the server image with no Docker daemon: the static
// binary as one layer on scratch, non-root, port 3000, labelled, written to
// opts.Out as an OCI layout. It returns the digest of the image, or of the
// index when several platforms are asked for.
func BuildImage(ctx context.Context, w io.Writer, opts ImageOptions) (v1.Hash, error) {
	if opts.Out == "" {
		opts.Out = filepath.Join(opts.Dir, "dist", "image")
	}
	opts.Platforms = platformsOrDefault(opts.Platforms)
	if opts.BuildBinary == nil {
		opts.BuildBinary = func(ctx context.Context, goos, goarch, path string) error {
			return BuildServer(ctx, w, BuildOptions{Dir: opts.Dir, GOOS: goos, GOARCH: goarch, Output: path, Version: opts.Version})
		}
	}
	binDir, err := os.MkdirTemp("", "llm-testing-image-")
	if err != nil {
		return v1.Hash{}, fmt.Errorf("make build directory: %w", err)
	}
	defer os.RemoveAll(binDir)

	var images []v1.Image
	var platforms []v1.Platform
	for _, p := range opts.Platforms {
		goos, goarch, ok := strings.Cut(p, "/")
		if !ok || goos == "" || goarch == "" {
			return v1.Hash{}, fmt.Errorf("parse platform %q: want os/arch like linux/amd64", p)
		}
		bin := filepath.Join(binDir, "server-"+goos+"-"+goarch)
		if err := opts.BuildBinary(ctx, goos, goarch, bin); err != nil {
			return v1.Hash{}, err
		}
		img, err := platformImage(opts, goos, goarch, bin)
		if err != nil {
			return v1.Hash{}, fmt.Errorf("assemble %s image: %w", p, err)
		}
		images = append(images, img)
		platforms = append(platforms, v1.Platform{OS: goos, Architecture: goarch})
	}
	return writeLayout(opts.Out, images, platforms)
}

func writeLayout(out string, images []v1.Image, platforms []v1.Platform) (v1.Hash, error) {
	if err := os.RemoveAll(out); err != nil {
		return v1.Hash{}, fmt.Errorf("clear %s: %w", out, err)
	}
	lp, err := layout.Write(out, empty.Index)
	if err != nil {
		return v1.Hash{}, fmt.Errorf("write layout %s: %w", out, err)
	}
	if len(images) == 1 {
		if err := lp.AppendImage(images[0]); err != nil {
			return v1.Hash{}, fmt.Errorf("write image to %s: %w", out, err)
		}
		return images[0].Digest()
	}
	var idx v1.ImageIndex = mutate.IndexMediaType(empty.Index, types.OCIImageIndex)
	for i, img := range images {
		idx = mutate.AppendManifests(idx, mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{Platform: &platforms[i]}})
	}
	if err := lp.AppendIndex(idx); err != nil {
		return v1.Hash{}, fmt.Errorf("write index to %s: %w", out, err)
	}
	return idx.Digest()
}

func platformImage(opts ImageOptions, goos, goarch, bin string) (v1.Image, error) {
	data, err := rootfs(opts, bin)
	if err != nil {
		return nil, err
	}
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}, tarball.WithMediaType(types.OCILayer))
	if err != nil {
		return nil, fmt.Errorf("make layer: %w", err)
	}
	base := mutate.ConfigMediaType(mutate.MediaType(empty.Image, types.OCIManifestSchema1), types.OCIConfigJSON)
	img, err := mutate.AppendLayers(base, layer)
	if err != nil {
		return nil, fmt.Errorf("append layer: %w", err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = goos, goarch
	cf.Created = v1.Time{Time: opts.Created.UTC()}
	cf.Config.Entrypoint = []string{imageBinary}
	cf.Config.User = imageUser
	cf.Config.WorkingDir = "/"
	port := strconv.Itoa(config.DefaultPort)
	cf.Config.ExposedPorts = map[string]struct{}{port + "/tcp": {}}
	cf.Config.Env = []string{"PORT=" + port}
	if hasCACerts(opts.CACerts) {
		cf.Config.Env = append(cf.Config.Env, "SSL_CERT_FILE="+defaultSSLFile)
	}
	cf.Config.Labels = map[string]string{
		"org.opencontainers.image.revision": opts.Revision,
		"org.opencontainers.image.source":   opts.Source,
		"org.opencontainers.image.version":  opts.Version,
		"org.opencontainers.image.created":  opts.Created.UTC().Format(time.RFC3339),
		"org.opencontainers.image.title":    App + "-" + Service,
	}
	return mutate.ConfigFile(img, cf)
}

func hasCACerts(path string) bool {
	if path == "" {
		return false
	}
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

// rootfs writes the layer's tar: the binary at /server owned by the
// non-root user, /tmp, a passwd entry for that user and, when present, the
// host's CA bundle.
func rootfs(opts ImageOptions, bin string) ([]byte, error) {
	server, err := os.ReadFile(bin)
	if err != nil {
		return nil, fmt.Errorf("read binary: %w", err)
	}
	mtime := opts.Created.UTC()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	dir := func(name string, mode int64) error {
		return tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: name, Mode: mode, ModTime: mtime, Format: tar.FormatPAX})
	}
	file := func(name string, mode int64, uid int, body []byte) error {
		h := &tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: mode, Uid: uid, Gid: uid, Size: int64(len(body)), ModTime: mtime, Format: tar.FormatPAX}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		_, err := tw.Write(body)
		return err
	}
	passwd := fmt.Sprintf("root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:%d:%d:nonroot:/home/nonroot:/sbin/nologin\n", imageUID, imageUID)
	steps := []func() error{
		func() error { return dir("etc/", 0o755) },
		func() error { return file("etc/passwd", 0o644, 0, []byte(passwd)) },
		func() error { return dir("tmp/", 0o1777) },
		func() error { return file("server", 0o755, imageUID, server) },
	}
	if hasCACerts(opts.CACerts) {
		certs, err := os.ReadFile(opts.CACerts)
		if err != nil {
			return nil, fmt.Errorf("read CA bundle: %w", err)
		}
		steps = append(steps,
			func() error { return dir("etc/ssl/", 0o755) },
			func() error { return dir("etc/ssl/certs/", 0o755) },
			func() error { return file("etc/ssl/certs/ca-certificates.crt", 0o644, 0, certs) },
		)
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, fmt.Errorf("write layer: %w", err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("write layer: %w", err)
	}
	return buf.Bytes(), nil
}

// defaultPlatform is what the image is built for unless IMAGE_PLATFORMS says
// otherwise: Fargate's x86_64 (the manifest's platform).
const defaultPlatform = "linux/amd64"

func platformsOrDefault(p []string) []string {
	if len(p) == 0 {
		return []string{defaultPlatform}
	}
	return p
}

// ReadLayout opens the image or index that BuildImage wrote to dir.
func ReadLayout(dir string) (v1.Image, v1.ImageIndex, error) {
	idx, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("open image layout %s (run `go tool mage image` first): %w", dir, err)
	}
	m, err := idx.IndexManifest()
	if err != nil {
		return nil, nil, fmt.Errorf("read layout index: %w", err)
	}
	if len(m.Manifests) != 1 {
		return nil, nil, fmt.Errorf("read layout %s: want one image or index, found %d", dir, len(m.Manifests))
	}
	d := m.Manifests[0]
	if d.MediaType.IsIndex() {
		child, err := idx.ImageIndex(d.Digest)
		if err != nil {
			return nil, nil, fmt.Errorf("read index %s: %w", d.Digest, err)
		}
		return nil, child, nil
	}
	img, err := idx.Image(d.Digest)
	if err != nil {
		return nil, nil, fmt.Errorf("read image %s: %w", d.Digest, err)
	}
	return img, nil, nil
}

// HasImage reports whether dir holds an image layout, so that push can
// build one first when it does not.
func HasImage(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "index.json"))
	return err == nil
}
