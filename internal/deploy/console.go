package deploy

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Console is where a target talks to the operator.
type Console struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
	// Interactive reports whether In is a terminal, so that production
	// changes can be confirmed by a person.
	Interactive bool
}

// Place is where a change goes: account, region and environment.
type Place struct {
	Account, Region, Env string
}

// Confirm prints where a change is about to go and, for production, asks the
// operator on a terminal or requires yes (YES=1) otherwise.
func (con Console) Confirm(where Place, action string, yes bool) error {
	return con.confirm(where, action, yes, where.Env == ProductionEnv)
}

// ConfirmAlways is Confirm for a change that needs confirmation in every
// environment, such as a deletion.
func (con Console) ConfirmAlways(where Place, action string, yes bool) error {
	return con.confirm(where, action, yes, true)
}

func (con Console) confirm(where Place, action string, yes, ask bool) error {
	fmt.Fprintf(con.Out, "account %s  region %s  environment %s\n", where.Account, where.Region, where.Env)
	if !ask || yes {
		return nil
	}
	if !con.Interactive {
		return fmt.Errorf("refusing to %s %s without confirmation: set %s=1", action, where.Env, envYes)
	}
	fmt.Fprintf(con.Out, "%s %s? [y/N] ", capitalize(action), where.Env)
	line, err := bufio.NewReader(con.In).ReadString('\n')
	if err != nil && line == "" {
		return fmt.Errorf("%s %s: no answer on stdin (%v); set %s=1 to confirm without a terminal", action, where.Env, err, envYes)
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return nil
	}
	return fmt.Errorf("%s %s: not confirmed", action, where.Env)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
