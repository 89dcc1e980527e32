package deploy

import (
	"archive/tar"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
)

// tinyBinary stands in for the server so image tests stay fast.
func tinyBinary(ctx context.Context, goos, goarch, path string) error {
	return os.WriteFile(path, []byte("#!binary "+goos+"/"+goarch), 0o600)
}

func testImageOptions(tb testing.TB, platforms ...string) ImageOptions {
	tb.Helper()
	certs := filepath.Join(tb.TempDir(), "ca.crt")
	if err := os.WriteFile(certs, []byte("-----BEGIN CERTIFICATE-----\n"), 0o644); err != nil {
		tb.Fatal(err)
	}
	return ImageOptions{
		Out: filepath.Join(tb.TempDir(), "image"), Platforms: platforms,
		Version: "v1.2.3", Revision: "0123456789abcdef", Source: SourceURL,
		Created: time.Date(2026, 11, 26, 2, 0, 0, 0, time.UTC), CACerts: certs, BuildBinary: tinyBinary,
	}
}

// checkImage asserts the config and files every platform image must have.
func checkImage(tb testing.TB, img v1.Image, arch string) {
	tb.Helper()
	cf, err := img.ConfigFile()
	if err != nil {
		tb.Fatal(err)
	}
	c := cf.Config
	if len(c.Entrypoint) != 1 || c.Entrypoint[0] != "/server" {
		tb.Errorf("entrypoint = %v, want [/server]", c.Entrypoint)
	}
	if c.User != "65532:65532" {
		tb.Errorf("user = %q, want 65532:65532", c.User)
	}
	if _, ok := c.ExposedPorts["3000/tcp"]; !ok || len(c.ExposedPorts) != 1 {
		tb.Errorf("exposed ports = %v, want 3000/tcp", c.ExposedPorts)
	}
	if got := c.Labels["org.opencontainers.image.revision"]; got != "0123456789abcdef" {
		tb.Errorf("revision label = %q", got)
	}
	if got := c.Labels["org.opencontainers.image.source"]; got != SourceURL {
		tb.Errorf("source label = %q", got)
	}
	if cf.OS != "linux" || cf.Architecture != arch {
		tb.Errorf("platform = %s/%s, want linux/%s", cf.OS, cf.Architecture, arch)
	}
	files := map[string]*tar.Header{}
	rc := mutate.Extract(img)
	defer rc.Close()
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			tb.Fatal(err)
		}
		files[h.Name] = h
		if h.Name == "server" {
			body, _ := io.ReadAll(tr)
			if string(body) != "#!binary linux/"+arch {
				tb.Errorf("server binary = %q, want the %s build", body, arch)
			}
		}
	}
	s := files["server"]
	if s == nil || s.Mode&0o777 != 0o755 || s.Uid != 65532 {
		tb.Errorf("server header = %+v, want mode 0755 owned by 65532", s)
	}
	if files["etc/ssl/certs/ca-certificates.crt"] == nil {
		tb.Errorf("CA bundle missing from the layer")
	}
}

func TestBuildImage(t *testing.T) {
	opts := testImageOptions(t)
	digest, err := BuildImage(context.Background(), io.Discard, opts)
	if err != nil {
		t.Fatal(err)
	}
	img, idx, err := ReadLayout(opts.Out)
	if err != nil {
		t.Fatal(err)
	}
	if idx != nil || img == nil {
		t.Fatalf("one platform made an index")
	}
	if got, _ := img.Digest(); got != digest {
		t.Fatalf("layout digest %s, BuildImage said %s", got, digest)
	}
	checkImage(t, img, "amd64")
	again, err := BuildImage(context.Background(), io.Discard, opts)
	if err != nil || again != digest {
		t.Fatalf("rebuild gave %s (%v), want the same digest %s", again, err, digest)
	}
}

func TestBuildImageIndex(t *testing.T) {
	opts := testImageOptions(t, "linux/amd64", "linux/arm64")
	digest, err := BuildImage(context.Background(), io.Discard, opts)
	if err != nil {
		t.Fatal(err)
	}
	_, idx, err := ReadLayout(opts.Out)
	if err != nil {
		t.Fatal(err)
	}
	if idx == nil {
		t.Fatal("two platforms did not make an index")
	}
	if got, _ := idx.Digest(); got != digest {
		t.Fatalf("index digest %s, BuildImage said %s", got, digest)
	}
	m, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Manifests) != 2 {
		t.Fatalf("index has %d manifests, want 2", len(m.Manifests))
	}
	for _, d := range m.Manifests {
		img, err := idx.Image(d.Digest)
		if err != nil {
			t.Fatal(err)
		}
		checkImage(t, img, d.Platform.Architecture)
	}
}

func TestBuildImageBadPlatform(t *testing.T) {
	opts := testImageOptions(t, "amd64")
	if _, err := BuildImage(context.Background(), io.Discard, opts); err == nil {
		t.Fatal("platform without os/ accepted")
	}
}

// TestToolImageReproducible checks that the image target stamps HEAD's
// commit time, not the clock, so one commit built twice has one digest.
func TestToolImageReproducible(t *testing.T) {
	dir := gitRepo(t)
	commit, err := CommitTime(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	tool := &Tool{Dir: dir, Console: Console{Out: io.Discard, Err: io.Discard}, buildBinary: tinyBinary,
		Now: func() time.Time { clock = clock.Add(time.Hour); return clock }}
	var digests []v1.Hash
	for range 2 {
		if err := tool.Image(context.Background(), ImageSettings{}); err != nil {
			t.Fatal(err)
		}
		img, _, err := ReadLayout(filepath.Join(dir, "dist", "image"))
		if err != nil {
			t.Fatal(err)
		}
		cf, err := img.ConfigFile()
		if err != nil {
			t.Fatal(err)
		}
		if got := cf.Created.Time; !got.Equal(commit) {
			t.Errorf("config created %s, want the commit time %s", got, commit)
		}
		if got, want := cf.Config.Labels["org.opencontainers.image.created"], commit.Format(time.RFC3339); got != want {
			t.Errorf("created label %q, want %q", got, want)
		}
		d, _ := img.Digest()
		digests = append(digests, d)
	}
	if digests[0] != digests[1] {
		t.Fatalf("same commit built twice gave %s and %s", digests[0], digests[1])
	}
}
