package auth

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		raw     string
		wantLen int
		accept  []string
		reject  []string
	}{
		{"empty", "", 0, nil, []string{"", "k1"}},
		{"csv", "k1,k2", 2, []string{"k1", "k2"}, []string{"k3", "k1,k2", ""}},
		{"csv with spaces", " k1 , k2 ", 2, []string{"k1", "k2"}, []string{" k1"}},
		{"json", `{"keys":["alpha","beta"]}`, 2, []string{"alpha", "beta"}, []string{"gamma"}},
		{"json with spaces", ` { "keys" : [ "alpha" ] } `, 1, []string{"alpha"}, nil},
		{"duplicates", "k1,k1", 1, []string{"k1"}, nil},
		{"empty json list", `{"keys":[]}`, 0, nil, []string{"x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ks, err := Parse(tt.raw)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.raw, err)
			}
			if got := ks.Len(); got != tt.wantLen {
				t.Errorf("Len = %d, want %d", got, tt.wantLen)
			}
			for _, k := range tt.accept {
				if id, ok := ks.Check(k); !ok || id != ID(k) {
					t.Errorf("Check(%q) = %q, %v; want %q, true", k, id, ok, ID(k))
				}
			}
			for _, k := range tt.reject {
				if _, ok := ks.Check(k); ok {
					t.Errorf("Check(%q) = true, want false", k)
				}
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, raw, want string }{
		{"empty csv key", "k1,,k2", "key 2 is empty"},
		{"trailing comma", "k1,", "key 2 is empty"},
		{"bad json", `{"keys":["a"`, "API_KEYS"},
		{"json without keys", `{"key":["a"]}`, "API_KEYS"},
		{"json keys not array", `{"keys":"a"}`, "API_KEYS"},
		{"json empty key", `{"keys":["a",""]}`, "key 2 is empty"},
		{"whitespace in key", `{"keys":["a b"]}`, "whitespace"},
		{"trailing data", `{"keys":["a"]} {}`, "trailing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.raw)
			if err == nil {
				t.Fatalf("Parse(%q) = nil error", tt.raw)
			}
			if !strings.Contains(err.Error(), "API_KEYS") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q should name API_KEYS and say %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "a b") {
				t.Errorf("error %q leaks the key", err)
			}
		})
	}
}

func TestIDHidesKey(t *testing.T) {
	id := ID("super-secret-key")
	if len(id) != 8 || strings.Contains("super-secret-key", id) {
		t.Errorf("ID = %q", id)
	}
	if ID("a") == ID("b") {
		t.Error("different keys share an ID")
	}
}

func TestGenerate(t *testing.T) {
	a, b := Generate(), Generate()
	if a == b || len(a) < 40 {
		t.Errorf("Generate gave %q and %q", a, b)
	}
	ks, err := Parse(a)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := ks.Check(a); !ok {
		t.Error("generated key does not parse back")
	}
}
