package eval

import (
	"strings"
	"testing"
)

func TestSelectSplit(t *testing.T) {
	items := []Item{{ID: "a", Split: SplitTune}, {ID: "b", Split: SplitReport}, {ID: "c", Split: SplitTune}, {ID: "d"}}
	tests := []struct {
		split, want, err string
	}{
		{split: "", want: "a b c d"},
		{split: SplitTune, want: "a c"},
		{split: SplitReport, want: "b"},
		{split: "test", err: "want tune or report"},
	}
	for _, tt := range tests {
		t.Run(tt.split, func(t *testing.T) {
			got, err := SelectSplit(items, tt.split)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, it := range got {
				ids = append(ids, it.ID)
			}
			if s := strings.Join(ids, " "); s != tt.want {
				t.Errorf("ids = %q, want %q", s, tt.want)
			}
		})
	}
	if _, err := SelectSplit([]Item{{ID: "a"}}, SplitReport); err == nil {
		t.Error("a set with no report part gave no error")
	}
}

func TestValidateSplit(t *testing.T) {
	it := Item{ID: "a", Transcript: "Agent: hi", Reference: "r", Split: "holdout"}
	if err := Validate([]Item{it}); err == nil || !strings.Contains(err.Error(), `split "holdout"`) {
		t.Errorf("err = %v, want the bad split named", err)
	}
}

func TestWithMaxLength(t *testing.T) {
	items := []Item{{ID: "a", Transcript: "x", Reference: "r", Options: Options{MaxLength: 80}}}
	got, err := WithMaxLength(items, 20)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].MaxLength() != 20 || items[0].MaxLength() != 80 {
		t.Errorf("maxLength = %d (original %d), want 20 (80 kept)", got[0].MaxLength(), items[0].MaxLength())
	}
	if same, _ := WithMaxLength(items, 0); same[0].MaxLength() != 80 {
		t.Errorf("0 changed maxLength to %d", same[0].MaxLength())
	}
	if _, err := WithMaxLength(items, 5); err == nil {
		t.Error("maxLength 5 gave no error")
	}
}
