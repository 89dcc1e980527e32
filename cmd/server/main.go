// Command server runs the llm-testing HTTP service. With no arguments it
// serves; `server healthcheck` checks a running server's /health (the
// container has no shell, so this is its health check); `server openapi`
// writes the OpenAPI documents.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	_ "golang.org/x/crypto/x509roots/fallback" // CA roots for images built FROM scratch
)

// version is stamped at build time: -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}

// run is the whole program: main gives it the process's signals (as ctx),
// arguments, environment and output, and tests give it their own.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 1 {
		switch args[1] {
		case "healthcheck":
			return healthcheck(ctx, getenv)
		case "openapi":
			return writeSpecs(args[2:], stdout)
		case "version", "-version", "--version":
			_, err := fmt.Fprintln(stdout, version)
			return err
		case "-h", "-help", "--help", "help":
			_, err := fmt.Fprint(stdout, usage)
			return err
		default:
			return fmt.Errorf("unknown command %q\n%s", args[1], usage)
		}
	}
	return serve(ctx, getenv, stdout, stderr)
}

const usage = `usage: server [command]

With no command, serve the API (configured by environment variables; see README.md).

commands:
  healthcheck   GET http://127.0.0.1:$PORT/health; exit 0 when it answers 200
  openapi [-dir DIR]
                write openapi.yaml (3.1) and openapi-3.0.yaml to DIR (default api)
  version       print the version
`
