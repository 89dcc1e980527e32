package manifests

import (
	"strings"
	"testing"
)

func TestParseDockerfile(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		stages  int
		image   string // of the last stage
		stage   string // its AS name
		lastCmd string // its last instruction, "CMD args"
		wantErr string
	}{
		{name: "one stage", in: "FROM scratch\nUSER 1:1\n", stages: 1, image: "scratch", lastCmd: "USER 1:1"},
		{name: "continuation and comments", in: "FROM a AS b\nRUN x \\\n  # note\n\n  && y\n", stages: 1, image: "a", stage: "b", lastCmd: "RUN x && y"},
		{name: "global arg in FROM", in: "ARG V=1.26\nFROM --platform=$BUILDPLATFORM golang:${V} AS build\nFROM x\nEXPOSE 3000\n", stages: 2, image: "x", lastCmd: "EXPOSE 3000"},
		{name: "lower case", in: "from a\nentrypoint [\"/a\"]\n", stages: 1, image: "a", lastCmd: `ENTRYPOINT ["/a"]`},
		{name: "no FROM", in: "# nothing\n", wantErr: "no FROM"},
		{name: "instruction before FROM", in: "RUN x\nFROM a\n", wantErr: "before the first FROM"},
		{name: "arg without default", in: "ARG V\nFROM golang:${V}\n", wantErr: "no global default"},
		{name: "dangling continuation", in: "FROM a\nRUN x \\\n", wantErr: "continuation at end"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseDockerfile(strings.NewReader(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseDockerfile: %v", err)
			}
			if got := len(d.Stages); got != tt.stages {
				t.Fatalf("stages = %d, want %d", got, tt.stages)
			}
			last := d.Final()
			if last.Image != tt.image || last.Name != tt.stage {
				t.Errorf("last stage = %q AS %q, want %q AS %q", last.Image, last.Name, tt.image, tt.stage)
			}
			in := last.Instructions[len(last.Instructions)-1]
			if got := in.Cmd + " " + in.Args; got != tt.lastCmd {
				t.Errorf("last instruction = %q, want %q", got, tt.lastCmd)
			}
		})
	}
	d, err := ParseDockerfile(strings.NewReader("ARG V=1.26\nFROM --platform=$BUILDPLATFORM golang:${V} AS build\nFROM x\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := d.Stages[0].Image, "golang:1.26"; got != want {
		t.Errorf("first stage image = %q, want %q", got, want)
	}
	if got, want := d.Stages[0].Platform, "$BUILDPLATFORM"; got != want {
		t.Errorf("first stage platform = %q, want %q", got, want)
	}
}
