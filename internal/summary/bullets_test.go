package summary

import (
	"errors"
	"io"
	"strings"
	"testing"
)

// pieces is a Stream of fixed deltas, then err (io.EOF when nil).
type pieces struct {
	deltas []string
	err    error
}

func (p *pieces) Recv() (string, error) {
	if len(p.deltas) == 0 {
		if p.err != nil {
			return "", p.err
		}
		return "", io.EOF
	}
	d := p.deltas[0]
	p.deltas = p.deltas[1:]
	return d, nil
}
func (p *pieces) Result() Result { return Result{} }
func (p *pieces) Close() error   { return nil }

func TestBulletStream(t *testing.T) {
	tests := []struct {
		name   string
		deltas []string
		want   string
	}{
		{"plain lines", []string{"First point.\nSecond ", "point."}, "- First point.\n- Second point."},
		{"own markers", []string{"* One\n", "• Two\n- Three"}, "- One\n- Two\n- Three"},
		{"marker split across deltas", []string{"-", " One\n-", "  Two"}, "- One\n- Two"},
		{"blank lines and spaces", []string{"\n\n  One\n\n\n Two\n"}, "- One\n- Two\n"},
		{"dash that is no marker", []string{"-5% off was offered"}, "- -5% off was offered"},
		{"lone marker line", []string{"-\nOne"}, "- One"},
		{"en dash", []string{"– One"}, "- One"},
		{"single character at the end", []string{"A"}, "- A"},
		{"marker then spaces then line end", []string{"- First point.\r\n-\r\n- Second point."}, "- First point.\r\n- Second point."},
		{"marker and tab alone", []string{"• One\n•\t\n• Two"}, "- One\n- Two"},
		{"dangling marker at the end", []string{"- One\n-  \n- Two\n- "}, "- One\n- Two\n"},
		{"double marker", []string{"- - x"}, "- x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, split := range []bool{false, true} {
				deltas := tt.deltas
				if split { // one rune a delta
					deltas = nil
					for _, r := range strings.Join(tt.deltas, "") {
						deltas = append(deltas, string(r))
					}
				}
				b := newBulletStream(&pieces{deltas: deltas})
				var got strings.Builder
				for {
					s, err := b.Recv()
					got.WriteString(s)
					if err != nil {
						break
					}
				}
				if got.String() != tt.want {
					t.Errorf("split=%v: got %q, want %q", split, got.String(), tt.want)
				}
			}
		})
	}
}

func TestBulletStreamKeepsErrors(t *testing.T) {
	boom := errors.New("boom")
	b := newBulletStream(&pieces{deltas: []string{"Partial"}, err: boom})
	if s, err := b.Recv(); s != "- Partial" || err != nil {
		t.Fatalf("first Recv = %q, %v", s, err)
	}
	if _, err := b.Recv(); !errors.Is(err, boom) {
		t.Fatalf("second Recv err = %v, want boom", err)
	}
}
