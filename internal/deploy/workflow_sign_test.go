package deploy

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// The deploy workflow installs Copilot only when its release signature is
// good and made by the pinned key: these tests run that step.

// TestWorkflowVerifiesCopilotSignature runs the install step against a
// fake release signed by a throwaway key, pinned in place of Amazon's.
func TestWorkflowVerifiesCopilotSignature(t *testing.T) {
	for _, tool := range []string{"gpg", "gpgv", "gpgconf"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("needs %s", tool)
		}
	}
	release := t.TempDir()
	signer := newSigner(t)
	write(t, filepath.Join(release, "copilot-linux"), "copilot binary\n")
	signer.sign(t, filepath.Join(release, "copilot-linux"))
	other := newSigner(t)
	write(t, filepath.Join(release, "other"), "copilot binary\n")
	other.sign(t, filepath.Join(release, "other"))

	curl := `while [[ $# -gt 0 ]]; do case $1 in -o) out=$2; shift 2 ;; -*) shift ;; *) url=$1; shift ;; esac; done
case $url in
*/v1.34.1/copilot-linux) cp "$FAKE_RELEASE/$FAKE_BINARY" "$out" ;;
*/v1.34.1/copilot-linux.asc) cp "$FAKE_RELEASE/$FAKE_SIG.asc" "$out" ;;
*) echo "fake curl: unexpected $url" >&2; exit 22 ;;
esac
`
	bin := fakeBin(t, map[string]string{"curl": curl})
	write(t, filepath.Join(release, "tampered"), "copilot binary, changed\n")
	repo := t.TempDir()
	write(t, filepath.Join(repo, "copilot", "release-key.asc"), signer.exportKeys(t, other))
	step := stepNamed(t, "Install Copilot")
	tests := []struct {
		name, binary, sig, fingerprint string
		wantErr                        bool
	}{
		{name: "signed by the pinned key", binary: "copilot-linux", sig: "copilot-linux", fingerprint: signer.fpr},
		{name: "binary changed after signing", binary: "tampered", sig: "copilot-linux", fingerprint: signer.fpr, wantErr: true},
		{name: "signed by another key of the file", binary: "other", sig: "other", fingerprint: signer.fpr, wantErr: true},
		{name: "pinned fingerprint is another", binary: "copilot-linux", sig: "copilot-linux", fingerprint: other.fpr, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := runStep(t, step, repo, bin, "FAKE_RELEASE="+release, "FAKE_BINARY="+tt.binary,
				"FAKE_SIG="+tt.sig, "COPILOT_KEY_FINGERPRINT="+tt.fingerprint)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v\n%s", err, tt.wantErr, out)
			}
			if tt.wantErr && !strings.Contains(out, "has no valid signature by key "+tt.fingerprint) {
				t.Errorf("output does not say why (%v):\n%s", err, out)
			}
		})
	}
}

// signer is a throwaway PGP key in its own GnuPG home.
type signer struct{ home, fpr string }

func newSigner(tb testing.TB) signer {
	tb.Helper()
	home, err := os.MkdirTemp("", "gpg") // short: gpg-agent's socket lives there
	if err != nil {
		tb.Fatal(err)
	}
	s := signer{home: home}
	tb.Cleanup(func() {
		_ = exec.Command("gpgconf", "--homedir", home, "--kill", "gpg-agent").Run()
		_ = os.RemoveAll(home)
	})
	s.gpg(tb, "--quick-generate-key", "--passphrase", "", "Test <test@example.com>", "ed25519", "sign", "never")
	out := s.gpg(tb, "--with-colons", "--list-keys")
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Split(line, ":"); f[0] == "fpr" && len(f) > 9 {
			s.fpr = f[9]
			break
		}
	}
	if s.fpr == "" {
		tb.Fatalf("no fingerprint in:\n%s", out)
	}
	return s
}

func (s signer) gpg(tb testing.TB, args ...string) string {
	tb.Helper()
	cmd := exec.Command("gpg", append([]string{"--batch", "--pinentry-mode", "loopback", "--quiet"}, args...)...)
	cmd.Env = append(os.Environ(), "GNUPGHOME="+s.home)
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("gpg %s: %v", strings.Join(args, " "), err)
	}
	return string(out)
}

// sign writes path's detached ASCII signature to path.asc.
func (s signer) sign(tb testing.TB, path string) {
	s.gpg(tb, "--passphrase", "", "--armor", "--detach-sign", "--output", path+".asc", path)
}

// exportKeys returns the public keys of s and others, armored.
func (s signer) exportKeys(tb testing.TB, others ...signer) string {
	keys := s.gpg(tb, "--armor", "--export")
	for _, o := range others {
		keys += o.gpg(tb, "--armor", "--export")
	}
	return keys
}

func write(tb testing.TB, path, content string) {
	tb.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// TestWorkflowPinsCommittedKey checks that the fingerprint the workflow
// pins is the primary key of copilot/release-key.asc.
func TestWorkflowPinsCommittedKey(t *testing.T) {
	if _, err := exec.LookPath("gpg"); err != nil {
		t.Skip("needs gpg")
	}
	root := filepath.Join("..", "..")
	b, err := os.ReadFile(filepath.Join(root, ".github", "workflows", "deploy.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		Env map[string]string `yaml:"env"`
	}
	if err := yaml.Unmarshal(b, &wf); err != nil {
		t.Fatal(err)
	}
	pinned := wf.Env["COPILOT_KEY_FINGERPRINT"]
	cmd := exec.Command("gpg", "--batch", "--with-colons", "--show-keys", filepath.Join(root, "copilot", "release-key.asc"))
	cmd.Env = append(os.Environ(), "GNUPGHOME="+t.TempDir())
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("gpg --show-keys: %v", err)
	}
	lines := strings.Split(string(out), "\n")
	var primary string
	for i, line := range lines {
		if strings.HasPrefix(line, "pub:") && i+1 < len(lines) {
			primary = strings.Split(lines[i+1], ":")[9]
		}
	}
	if pinned == "" || primary != pinned {
		t.Errorf("deploy.yml pins COPILOT_KEY_FINGERPRINT %q; copilot/release-key.asc's primary key is %q", pinned, primary)
	}
}
