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
	fmt.Fprintf(con.Out, "account %s  region %s  environment %s\n", where.Account, where.Region, where.Env)
	if where.Env != ProductionEnv || yes {
		return nil
	}
	if !con.Interactive {
		return fmt.Errorf("refusing to %s production without confirmation: set %s=1", action, envYes)
	}
	fmt.Fprintf(con.Out, "%s production? [y/N] ", capitalize(action))
	line, err := bufio.NewReader(con.In).ReadString('\n')
	if err != nil && line == "" {
		return fmt.Errorf("%s production: no answer on stdin (%v); set %s=1 to confirm without a terminal", action, err, envYes)
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return nil
	}
	return fmt.Errorf("%s production: not confirmed", action)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
