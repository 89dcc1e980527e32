package eval

import (
	"strings"
	"testing"
)

func TestReadSet(t *testing.T) {
	good := `{"id":"a","transcript":"Agent: hi","reference":"ref","must":[["x","y"]]}`
	tests := []struct {
		name    string
		in      string
		wantErr string
		n       int
	}{
		{"one item with comment and blank", "// a comment\n\n" + good + "\n", "", 1},
		{"duplicate id", good + "\n" + good, "duplicate id", 0},
		{"unknown field", `{"id":"a","transcript":"t","reference":"r","extra":1}`, "unknown field", 0},
		{"no reference is fine", `{"id":"a","transcript":"t","must":[["x"]]}`, "", 1},
		{"blank reference", `{"id":"a","transcript":"t","reference":"  "}`, "reference is blank", 0},
		{"empty wording", `{"id":"a","transcript":"t","reference":"r","must":[["x",""]]}`, "empty wording", 0},
		{"maxLength too small", `{"id":"a","transcript":"t","reference":"r","options":{"maxLength":5}}`, "maxLength 5", 0},
		{"bad format", `{"id":"a","transcript":"t","reference":"r","options":{"format":"table"}}`, "format", 0},
		{"empty set", "\n", "no items", 0},
		{"bad json", "{", "line 1", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := ReadSet(strings.NewReader(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ReadSet error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ReadSet: %v", err)
			}
			if got := len(items); got != tt.n {
				t.Errorf("items = %d, want %d", got, tt.n)
			}
		})
	}
}

func TestItemRequest(t *testing.T) {
	it := Item{ID: "a", Transcript: "t", Options: Options{Format: "bullets", Sections: []string{"sentiment"}}}
	req := it.Request()
	if req.MaxLength != 150 || req.Format != "bullets" || !req.Wants("sentiment") {
		t.Errorf("Request = %+v, want default maxLength 150, bullets, sentiment", req)
	}
}
