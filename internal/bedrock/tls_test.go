package bedrock

import (
	"bytes"
	"context"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/llm-testing/llm-testing/internal/awsenv"
	"github.com/llm-testing/llm-testing/internal/bedrock/bedrocktest"
	"github.com/llm-testing/llm-testing/internal/summary"
)

// TestTLSAndHTTP2 talks to the fake over TLS with HTTP/2, as to Bedrock,
// trusting it only through a custom CA bundle (AWS_CA_BUNDLE's option):
// the Summarizer's own HTTP client must keep the configuration's roots.
func TestTLSAndHTTP2(t *testing.T) {
	fake := bedrocktest.New(bedrocktest.Options{})
	var h2 atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ProtoMajor == 2 {
			h2.Add(1)
		}
		fake.ServeHTTP(w, r)
	}))
	s := overTLS(t, srv)
	req := request(summary.SectionSentiment)
	if _, err := s.Summarize(context.Background(), req); err != nil {
		t.Fatalf("Summarize over TLS: %v", err)
	}
	st, err := s.SummarizeStream(context.Background(), req)
	if err != nil {
		t.Fatalf("SummarizeStream over TLS: %v", err)
	}
	defer st.Close()
	for {
		if _, err := st.Recv(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("Recv over TLS: %v", err)
		}
	}

	if got := h2.Load(); got != 2 {
		t.Errorf("%d of 2 calls used HTTP/2", got)
	}

	// Without the bundle the certificate is not trusted: the roots really
	// came from the configuration.
	plain := aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("x", "y", "")}
	if _, err := New(plain, Options{MaxAttempts: 1}).Summarize(context.Background(), req); err == nil {
		t.Error("a server with an untrusted certificate was accepted")
	}
}

// overTLS starts srv with TLS and HTTP/2 and returns a Summarizer that
// trusts it only through a custom CA bundle, as AWS_CA_BUNDLE does; srv
// closes when the test ends.
func overTLS(tb testing.TB, srv *httptest.Server) *Summarizer {
	tb.Helper()
	srv.EnableHTTP2 = true
	srv.StartTLS()
	tb.Cleanup(srv.Close)
	bundle := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	cfg, err := awsenv.Load(context.Background(),
		config.WithRegion("us-east-1"),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("x", "y", "")),
		config.WithBaseEndpoint(srv.URL),
		config.WithCustomCABundle(bytes.NewReader(bundle)),
		config.WithSharedConfigFiles([]string{}), config.WithSharedCredentialsFiles([]string{}),
	)
	if err != nil {
		tb.Fatal(err)
	}
	return New(cfg, Options{})
}
