package deploy

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// fakeAWS is one loopback endpoint that speaks the two wire protocols the
// real SDK clients use here: awsJson1_1 (ECS, ECR, CloudWatch Logs, Secrets
// Manager), routed by X-Amz-Target, and awsQuery (STS, CloudFormation),
// routed by the form's Action. Handlers are function fields keyed by
// operation name; an operation without a handler answers a 400.
type fakeAWS struct {
	// JSON handlers get the decoded request body and return a value to
	// encode as the response, or an error (use awsErr for a typed one).
	JSON map[string]func(req map[string]any) (any, error)
	// Query handlers get the form and return the XML inside <XResult>.
	Query map[string]func(form url.Values) (string, error)

	mu    sync.Mutex
	calls []string
}

// awsErr is an AWS error as the fake sends it.
type awsErr struct {
	Code    string
	Message string
	Status  int
}

func (e *awsErr) Error() string { return e.Code + ": " + e.Message }

// Calls returns the operations called so far, in order.
func (f *fakeAWS) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

// CallCount returns how many times op was called.
func (f *fakeAWS) CallCount(op string) int {
	n := 0
	for _, c := range f.Calls() {
		if c == op {
			n++
		}
	}
	return n
}

func (f *fakeAWS) record(op string) {
	f.mu.Lock()
	f.calls = append(f.calls, op)
	f.mu.Unlock()
}

func (f *fakeAWS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		op := target[strings.LastIndexByte(target, '.')+1:]
		f.record(op)
		f.serveJSON(w, op, body)
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil || form.Get("Action") == "" {
		http.Error(w, "fake AWS: no X-Amz-Target and no Action", http.StatusBadRequest)
		return
	}
	op := form.Get("Action")
	f.record(op)
	f.serveQuery(w, op, form)
}

func (f *fakeAWS) serveJSON(w http.ResponseWriter, op string, body []byte) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	h := f.JSON[op]
	if h == nil {
		writeJSONErr(w, &awsErr{Code: "UnknownOperationException", Message: "fake has no " + op})
		return
	}
	req := map[string]any{}
	if len(body) > 0 {
		if err := json.Unmarshal(body, &req); err != nil {
			writeJSONErr(w, &awsErr{Code: "SerializationException", Message: err.Error()})
			return
		}
	}
	out, err := h(req)
	if err != nil {
		writeJSONErr(w, err)
		return
	}
	if out == nil {
		out = map[string]any{}
	}
	_ = json.NewEncoder(w).Encode(out)
}

// asAWSErr gives err the shape AWS sends and its HTTP status: a handler's
// *awsErr as it is (400 unless it says otherwise), anything else a 500.
func asAWSErr(err error) (*awsErr, int) {
	e, ok := err.(*awsErr)
	if !ok {
		e = &awsErr{Code: "InternalFailure", Message: err.Error(), Status: 500}
	}
	if e.Status == 0 {
		return e, http.StatusBadRequest
	}
	return e, e.Status
}

func writeJSONErr(w http.ResponseWriter, err error) {
	e, status := asAWSErr(err)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": e.Code, "message": e.Message})
}

func (f *fakeAWS) serveQuery(w http.ResponseWriter, op string, form url.Values) {
	w.Header().Set("Content-Type", "text/xml")
	h := f.Query[op]
	var inner string
	err := error(&awsErr{Code: "InvalidAction", Message: "fake has no " + op})
	if h != nil {
		inner, err = h(form)
	}
	if err != nil {
		e, status := asAWSErr(err)
		w.WriteHeader(status)
		fmt.Fprintf(w, `<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>r1</RequestId></ErrorResponse>`,
			xmlText(e.Code), xmlText(e.Message))
		return
	}
	fmt.Fprintf(w, `<%sResponse xmlns="https://fake/"><%sResult>%s</%sResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></%sResponse>`,
		op, op, inner, op, op)
}

func xmlText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// startFake serves f on 127.0.0.1 and returns a configuration that points
// the real SDK clients at it with dummy credentials and no retries.
func startFake(tb testing.TB, f *fakeAWS) aws.Config {
	tb.Helper()
	srv := httptest.NewServer(f)
	tb.Cleanup(srv.Close)
	return fakeConfig(srv.URL)
}

// fixedAWS is a Tool.AWS that returns cfg.
func fixedAWS(cfg aws.Config) func(context.Context) (aws.Config, error) {
	return func(context.Context) (aws.Config, error) { return cfg, nil }
}

func fakeConfig(endpoint string) aws.Config {
	return aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDFAKE", "secret", ""),
		BaseEndpoint: aws.String(endpoint),
		Retryer:      func() aws.Retryer { return aws.NopRetryer{} },
	}
}

// str reads a string field of a decoded JSON request.
func str(req map[string]any, key string) string {
	s, _ := req[key].(string)
	return s
}
