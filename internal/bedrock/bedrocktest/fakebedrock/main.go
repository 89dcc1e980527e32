// Command fakebedrock runs the fake Amazon Bedrock Runtime endpoint of
// package bedrocktest as a process, for local development and load tests:
//
//	go run ./internal/bedrock/bedrocktest/fakebedrock -latency 1s -throttle 0.1
//
// then start the service with SUMMARIZER=bedrock AWS_REGION=us-east-1
// AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=y
// AWS_ENDPOINT_URL_BEDROCK_RUNTIME=<the URL it prints>.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/llm-testing/llm-testing/internal/bedrock/bedrocktest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "fakebedrock:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("fakebedrock", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8085", "listen address (loopback by default)")
	latency := fs.Duration("latency", time.Second, "how long each call takes")
	throttle := fs.Float64("throttle", 0, "probability 0..1 of ThrottlingException")
	errRate := fs.Float64("errors", 0, "probability 0..1 of -error-type")
	errType := fs.String("error-type", "ServiceUnavailableException", "exception -errors produces")
	midStream := fs.String("midstream", "", "exception to end every stream with after its first delta")
	if err := fs.Parse(args); err != nil {
		return err
	}
	for name, p := range map[string]float64{"-throttle": *throttle, "-errors": *errRate} {
		if p < 0 || p > 1 {
			return fmt.Errorf("%s must be between 0 and 1, got %v", name, p)
		}
	}
	fake := bedrocktest.New(bedrocktest.Options{
		Latency:            *latency,
		ThrottleRate:       *throttle,
		ErrorRate:          *errRate,
		ErrorType:          *errType,
		MidStreamException: *midStream,
	})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	srv := &http.Server{Handler: fake, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "fake Bedrock Runtime on http://%s (latency %v, throttle %v, errors %v)\n", ln.Addr(), *latency, *throttle, *errRate)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}
