package eval

import (
	"bytes"
	"testing"
)

func TestProgress(t *testing.T) {
	tests := []struct {
		name     string
		terminal bool
		want     string
	}{
		{"lines", false, "local: 10/12\nlocal: 12/12\n"},
		{"bar", true, "\rlocal [" + "==" + "                            ] 1/12"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			p := Progress(&buf, "local", tt.terminal)
			for i := 1; i <= 12; i++ {
				p(i, 12)
			}
			got := buf.String()
			if tt.terminal {
				if !bytes.HasPrefix(buf.Bytes(), []byte(tt.want)) || !bytes.HasSuffix(buf.Bytes(), []byte("] 12/12\n")) {
					t.Errorf("bar output = %q", got)
				}
				return
			}
			if got != tt.want {
				t.Errorf("output = %q, want %q", got, tt.want)
			}
		})
	}
}
