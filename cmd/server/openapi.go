package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/llm-testing/llm-testing/api"
)

// writeSpecs writes the OpenAPI 3.1 and 3.0 documents, built from the
// routes without serving anything. `go generate ./api` runs it.
func writeSpecs(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("openapi", flag.ContinueOnError)
	dir := fs.String("dir", "api", "directory to write openapi.yaml and openapi-3.0.yaml to")
	if err := fs.Parse(args); err != nil {
		return err
	}
	specs, err := api.Specs()
	if err != nil {
		return err
	}
	for name, b := range specs {
		path := filepath.Join(*dir, name)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		fmt.Fprintln(stdout, "wrote", path)
	}
	return nil
}
