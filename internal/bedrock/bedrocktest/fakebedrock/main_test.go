package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRunServesAndStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-latency", "0s", "-throttle", "1"}, pw) }()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	url := strings.Fields(line)[4]
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("printed %q, want a loopback URL", line)
	}
	resp, err := http.Post(url+"/model/m/converse", "application/json", strings.NewReader(`{"messages":[{"role":"user","content":[{"text":"hi"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	// -throttle 1: every call is throttled, as Bedrock says it.
	if got, want := resp.StatusCode, http.StatusTooManyRequests; got != want {
		t.Errorf("status = %d, want %d", got, want)
	}
	if got := resp.Header.Get("X-Amzn-Errortype"); !strings.HasPrefix(got, "ThrottlingException") {
		t.Errorf("X-Amzn-Errortype = %q", got)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("run did not stop after cancel")
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-throttle", "1.5"}, {"-errors", "-0.1"}, {"-latency", "soon"}} {
		if err := run(context.Background(), args, io.Discard); err == nil {
			t.Errorf("run(%v) = nil, want an error", args)
		}
	}
}
