package deploy

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// startRegistry serves go-containerregistry's in-process registry on
// 127.0.0.1. With password set it demands basic auth as AWS:password, as
// ECR does, and returns its host:port.
func startRegistry(tb testing.TB, password string) string {
	tb.Helper()
	reg := registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if password != "" {
			if u, p, ok := r.BasicAuth(); !ok || u != "AWS" || p != password {
				w.Header().Set("WWW-Authenticate", `Basic realm="fake ECR"`)
				http.Error(w, "unauthorized", http.StatusUnauthorized)
				return
			}
		}
		reg.ServeHTTP(w, r)
	})
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

func ecrFake(tb testing.TB, host, password string) *fakeAWS {
	return &fakeAWS{JSON: map[string]func(map[string]any) (any, error){
		"DescribeRepositories": func(req map[string]any) (any, error) {
			names, _ := req["repositoryNames"].([]any)
			if len(names) != 1 || names[0] != "llm-testing/backend" {
				tb.Errorf("repositoryNames = %v", req["repositoryNames"])
			}
			return map[string]any{"repositories": []any{map[string]any{
				"repositoryName": "llm-testing/backend", "repositoryUri": host + "/llm-testing/backend",
			}}}, nil
		},
		"GetAuthorizationToken": func(map[string]any) (any, error) {
			return map[string]any{"authorizationData": []any{map[string]any{
				"authorizationToken": base64.StdEncoding.EncodeToString([]byte("AWS:" + password)),
				"proxyEndpoint":      "http://" + host, "expiresAt": 1764130000,
			}}}, nil
		},
	}}
}

func TestPush(t *testing.T) {
	tests := []struct {
		name      string
		platforms []string
		override  bool
		wantCalls string
	}{
		{name: "ECR lookup and token", platforms: []string{"linux/amd64"}, wantCalls: "DescribeRepositories GetAuthorizationToken"},
		{name: "IMAGE_REPOSITORY and an index", platforms: []string{"linux/amd64", "linux/arm64"}, override: true, wantCalls: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			password := "ecr-token-password"
			if tt.override {
				password = ""
			}
			host := startRegistry(t, password)
			f := ecrFake(t, host, password)
			a := startFake(t, f)
			opts := testImageOptions(t, tt.platforms...)
			if _, err := BuildImage(context.Background(), io.Discard, opts); err != nil {
				t.Fatal(err)
			}
			record := filepath.Join(t.TempDir(), "image-uri.txt")
			popts := PushOptions{Layout: opts.Out, Tags: []string{"abc1234", "latest"}, Revision: "0123456789abcdef", Record: record}
			if tt.override {
				popts.Repository = host + "/team/backend"
			}
			var out bytes.Buffer
			uri, err := NewECR(a).Push(context.Background(), &out, popts)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(f.Calls(), " "); got != tt.wantCalls {
				t.Fatalf("AWS calls = %q, want %q", got, tt.wantCalls)
			}
			wantRepo := host + "/llm-testing/backend@sha256:"
			if tt.override {
				wantRepo = host + "/team/backend@sha256:"
			}
			if !strings.HasPrefix(uri, wantRepo) || !strings.Contains(out.String(), uri) {
				t.Fatalf("uri = %q, want %s... and printed", uri, wantRepo)
			}
			gotURI, gotRev, err := ReadRecord(record)
			if err != nil || gotURI != uri || gotRev != "0123456789abcdef" {
				t.Fatalf("record = %q %q %v", gotURI, gotRev, err)
			}
			pullAndCheck(t, uri, password, len(tt.platforms) > 1)
			// The second tag points at the same digest.
			latest, err := name.ParseReference(strings.Split(uri, "@")[0]+":latest", name.Insecure)
			if err != nil {
				t.Fatal(err)
			}
			desc, err := remote.Head(latest, remote.WithAuth(testAuth(password)))
			if err != nil {
				t.Fatal(err)
			}
			if got := desc.Digest.String(); !strings.HasSuffix(uri, got) {
				t.Fatalf("latest is %s, want the pushed digest of %s", got, uri)
			}
		})
	}
}

func testAuth(password string) authn.Authenticator {
	if password == "" {
		return authn.Anonymous
	}
	return &authn.Basic{Username: "AWS", Password: password}
}

// pullAndCheck pulls the pushed digest back and checks every image in it.
func pullAndCheck(tb testing.TB, uri, password string, index bool) {
	tb.Helper()
	ref, err := name.NewDigest(uri, name.Insecure)
	if err != nil {
		tb.Fatal(err)
	}
	opts := []remote.Option{remote.WithAuth(testAuth(password))}
	if !index {
		img, err := remote.Image(ref, opts...)
		if err != nil {
			tb.Fatal(err)
		}
		checkImage(tb, img, "amd64")
		return
	}
	idx, err := remote.Index(ref, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	m, err := idx.IndexManifest()
	if err != nil {
		tb.Fatal(err)
	}
	if len(m.Manifests) != 2 {
		tb.Fatalf("pulled index has %d manifests, want 2", len(m.Manifests))
	}
	for _, d := range m.Manifests {
		img, err := idx.Image(d.Digest)
		if err != nil {
			tb.Fatal(err)
		}
		checkImage(tb, img, d.Platform.Architecture)
	}
}

func TestIsLoopback(t *testing.T) {
	tests := map[string]bool{
		"127.0.0.1:5000": true, "localhost:5000": true, "[::1]:5000": true, "localhost": true,
		"123456789012.dkr.ecr.us-east-1.amazonaws.com": false, "10.0.0.1:5000": false, "ghcr.io": false,
	}
	for host, want := range tests {
		t.Run(host, func(t *testing.T) {
			if got := isLoopback(host); got != want {
				t.Fatalf("isLoopback(%q) = %v, want %v", host, got, want)
			}
		})
	}
}

func TestRecordRoundTripAndDamage(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "dist", "image-uri.txt")
	uri := "123456789012.dkr.ecr.us-east-1.amazonaws.com/llm-testing/backend@sha256:" + strings.Repeat("ab", 32)
	if err := WriteRecord(path, uri, "abc1234"); err != nil {
		t.Fatal(err)
	}
	if got, rev, err := ReadRecord(path); err != nil || got != uri || rev != "abc1234" {
		t.Fatalf("ReadRecord = %q, %q, %v", got, rev, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	for _, damaged := range []string{
		"", "\n", uri[:len(uri)-10] + "\nrevision abc1234\n", "latest\nrevision abc1234\n",
	} {
		if err := os.WriteFile(path, []byte(damaged), 0o644); err != nil {
			t.Fatal(err)
		}
		if got, rev, err := ReadRecord(path); err != nil || got != "" || rev != "" {
			t.Errorf("ReadRecord(%q) = %q, %q, %v; want no record", damaged, got, rev, err)
		}
	}
}

// gitCommit adds a commit to the repository at dir.
func gitCommit(tb testing.TB, dir, msg string) {
	tb.Helper()
	if err := os.WriteFile(filepath.Join(dir, "change.txt"), []byte(msg), 0o644); err != nil {
		tb.Fatal(err)
	}
	for _, args := range [][]string{
		{"add", "."},
		{"-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", "commit", "-q", "-m", msg},
	} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			tb.Fatalf("git %v: %v: %s", args, err, out)
		}
	}
}

// TestPushRebuildsOtherCommitsImage checks that push never publishes an
// image built from another commit under HEAD's tag.
func TestPushRebuildsOtherCommitsImage(t *testing.T) {
	dir := gitRepo(t)
	host := startRegistry(t, "pw")
	a := startFake(t, ecrFake(t, host, "pw"))
	var out bytes.Buffer
	tool := &Tool{Dir: dir, Console: Console{In: strings.NewReader(""), Out: &out, Err: &out},
		AWS: fixedAWS(a), buildBinary: tinyBinary}
	ctx := context.Background()
	if err := tool.Image(ctx, ImageSettings{}); err != nil {
		t.Fatal(err)
	}
	gitCommit(t, dir, "second")
	head, err := Revision(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := tool.Push(ctx, "staging", PushSettings{}); err != nil {
		t.Fatalf("push: %v\n%s", err, out.String())
	}
	uri, rev, err := ReadRecord(filepath.Join(dir, "dist", "image-uri.txt"))
	if err != nil || rev != head {
		t.Fatalf("record = %q %q %v, want revision %s", uri, rev, err, head)
	}
	ref, err := name.NewDigest(uri, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	img, err := remote.Image(ref, remote.WithAuth(testAuth("pw")))
	if err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if got := cf.Config.Labels["org.opencontainers.image.revision"]; got != head {
		t.Fatalf("pushed image's revision label %q, want HEAD %s\n%s", got, head, out.String())
	}
	if !strings.Contains(out.String(), "dist/image is from another commit; rebuilding") {
		t.Errorf("push did not say it rebuilt:\n%s", out.String())
	}
}
