package manifests

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Instruction is one Dockerfile instruction with its continuation lines
// joined: Cmd in upper case ("RUN"), Args as written after it.
type Instruction struct {
	Cmd  string
	Args string
	Line int
}

// Exec returns the arguments of an exec-form instruction
// (ENTRYPOINT ["/server"]), or false for the shell form.
func (in Instruction) Exec() ([]string, bool) {
	var args []string
	if err := json.Unmarshal([]byte(in.Args), &args); err != nil {
		return nil, false
	}
	return args, true
}

// Stage is one build stage: from its FROM to the next.
type Stage struct {
	// Image is the base image with the global ARG defaults substituted.
	Image string
	// Name is the stage's AS name, if any.
	Name string
	// Platform is the FROM's --platform flag, if any.
	Platform     string
	Instructions []Instruction
}

// Find returns the stage's instructions of kind cmd ("USER"), in order.
func (s Stage) Find(cmd string) []Instruction {
	var out []Instruction
	for _, in := range s.Instructions {
		if in.Cmd == cmd {
			out = append(out, in)
		}
	}
	return out
}

// Dockerfile is a parsed Dockerfile: global ARG defaults and the stages.
type Dockerfile struct {
	Args   map[string]string
	Stages []Stage
}

// Final returns the last stage, the one the image is made of.
func (d Dockerfile) Final() Stage {
	if len(d.Stages) == 0 {
		return Stage{}
	}
	return d.Stages[len(d.Stages)-1]
}

// ParseDockerfile reads a Dockerfile's instructions. It knows comments,
// line continuations, parser directives and the FROM line's parts, enough
// to check a file statically; it does not expand variables except the
// global ARG defaults in FROM.
func ParseDockerfile(r io.Reader) (Dockerfile, error) {
	d := Dockerfile{Args: map[string]string{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	var (
		pending strings.Builder
		start   int
		n       int
	)
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if pending.Len() == 0 {
			start = n
		}
		if cont, ok := strings.CutSuffix(line, "\\"); ok {
			pending.WriteString(cont)
			pending.WriteString(" ")
			continue
		}
		pending.WriteString(line)
		if err := d.add(pending.String(), start); err != nil {
			return d, err
		}
		pending.Reset()
	}
	if err := sc.Err(); err != nil {
		return d, fmt.Errorf("read dockerfile: %w", err)
	}
	if pending.Len() > 0 {
		return d, fmt.Errorf("dockerfile line %d: continuation at end of file", start)
	}
	if len(d.Stages) == 0 {
		return d, fmt.Errorf("dockerfile has no FROM")
	}
	return d, nil
}

func (d *Dockerfile) add(text string, line int) error {
	cmd, args, _ := strings.Cut(text, " ")
	in := Instruction{Cmd: strings.ToUpper(cmd), Args: strings.Join(strings.Fields(args), " "), Line: line}
	switch {
	case in.Cmd == "FROM":
		st, err := d.from(in)
		if err != nil {
			return err
		}
		d.Stages = append(d.Stages, st)
	case len(d.Stages) == 0 && in.Cmd == "ARG":
		if name, def, ok := strings.Cut(in.Args, "="); ok {
			d.Args[name] = strings.Trim(def, `"`)
		}
	case len(d.Stages) == 0:
		return fmt.Errorf("dockerfile line %d: %s before the first FROM", line, in.Cmd)
	default:
		st := &d.Stages[len(d.Stages)-1]
		st.Instructions = append(st.Instructions, in)
	}
	return nil
}

func (d *Dockerfile) from(in Instruction) (Stage, error) {
	var st Stage
	fields := strings.Fields(in.Args)
	for len(fields) > 0 && strings.HasPrefix(fields[0], "--") {
		if p, ok := strings.CutPrefix(fields[0], "--platform="); ok {
			st.Platform = p
		}
		fields = fields[1:]
	}
	switch {
	case len(fields) == 1:
	case len(fields) == 3 && strings.EqualFold(fields[1], "AS"):
		st.Name = fields[2]
	default:
		return st, fmt.Errorf("dockerfile line %d: cannot read FROM %s", in.Line, in.Args)
	}
	st.Image = fields[0]
	for name, val := range d.Args {
		st.Image = strings.ReplaceAll(st.Image, "${"+name+"}", val)
		st.Image = strings.ReplaceAll(st.Image, "$"+name, val)
	}
	if strings.Contains(st.Image, "$") {
		return st, fmt.Errorf("dockerfile line %d: FROM %s uses an ARG with no global default", in.Line, in.Args)
	}
	return st, nil
}
