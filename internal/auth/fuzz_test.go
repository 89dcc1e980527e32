package auth

import (
	"strings"
	"testing"
	"unicode"
)

// FuzzParse feeds arbitrary API_KEYS values to the parser: it never panics,
// an error always names the variable, and every key of a parsed set is
// accepted and has no whitespace.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{"", "k1,k2", `{"keys":["a","b"]}`, `{"keys":[]}`, `{"keys":["a",""]}`, ",", " , ", `{"keys":"x"}`, `{`, "a b", "\u00a0k"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		ks, err := Parse(raw)
		if err != nil {
			if !strings.Contains(err.Error(), "API_KEYS") {
				t.Fatalf("error %q does not name API_KEYS", err)
			}
			return
		}
		if strings.HasPrefix(strings.TrimSpace(raw), "{") {
			return
		}
		for _, k := range strings.Split(strings.TrimSpace(raw), ",") {
			k = strings.TrimSpace(k)
			if k == "" {
				continue
			}
			if strings.IndexFunc(k, unicode.IsSpace) >= 0 {
				t.Fatalf("key %q with whitespace was accepted", k)
			}
			if _, ok := ks.Check(k); !ok {
				t.Fatalf("parsed key %q is not accepted", k)
			}
		}
	})
}
