package deploy

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/aws/smithy-go"

	"github.com/llm-testing/llm-testing/internal/awsenv"
)

// errNoCredentials is what every target says when the SDK finds no
// credentials: the server's words (awsenv).
var errNoCredentials = awsenv.ErrNoCredentials

// Problem is an AWS failure an operator can act on: Line says what to do in
// one line, Err keeps the SDK's error for errors.As and debugging.
type Problem struct {
	Line string
	Err  error
}

func (p *Problem) Error() string { return p.Line }

func (p *Problem) Unwrap() error { return p.Err }

// explain translates the AWS errors an operator meets most into one
// actionable line. Errors it does not know come back unchanged, except that
// the SDK's long operation prefix is reduced to the code and message.
func explain(err error) error {
	if err == nil {
		return nil
	}
	var p *Problem
	if errors.As(err, &p) {
		return err
	}
	op := "the call"
	var oe *smithy.OperationError
	if errors.As(err, &oe) {
		op = oe.Service() + " " + oe.Operation()
	}
	var api smithy.APIError
	if !errors.As(err, &api) {
		msg := err.Error()
		if strings.Contains(msg, "failed to retrieve credentials") || strings.Contains(msg, "get identity") {
			return &Problem{Line: errNoCredentials.Error(), Err: err}
		}
		var netErr *net.OpError
		var dnsErr *net.DNSError
		var urlErr *url.Error
		switch {
		case errors.As(err, &dnsErr):
			return &Problem{Line: fmt.Sprintf("cannot reach AWS for %s: no address for %s: check the network, the region and AWS_ENDPOINT_URL*", op, dnsErr.Name), Err: err}
		case errors.As(err, &urlErr) && (errors.As(err, &netErr) || urlErr.Timeout()):
			return &Problem{Line: fmt.Sprintf("cannot reach AWS for %s at %s: %s: check the network, a proxy, and AWS_ENDPOINT_URL*", op, urlErr.URL, shortNetCause(err)), Err: err}
		}
		return err
	}
	line := problemLine(api.ErrorCode(), api.ErrorMessage(), op)
	return &Problem{Line: line, Err: err}
}

func problemLine(code, msg, op string) string {
	switch code {
	case "ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired":
		return "AWS session expired: run `aws sso login` (or refresh your credentials) and retry"
	case "UnrecognizedClientException", "InvalidClientTokenId", "InvalidSignatureException", "SignatureDoesNotMatch":
		return "AWS rejected the credentials: check AWS_PROFILE or the access keys in use"
	case "AccessDenied", "AccessDeniedException", "UnauthorizedOperation":
		return fmt.Sprintf("access denied to %s: grant the caller this permission or use another AWS_PROFILE (%s)", op, firstLine(msg))
	case "ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded":
		return fmt.Sprintf("AWS throttled %s: wait a minute and retry", op)
	case "ServiceNotFoundException":
		return "ECS service not found: deploy it first (`go tool mage deploy <env>`) or set " + envECSService
	case "ClusterNotFoundException":
		return "ECS cluster not found: deploy the environment first (`copilot env deploy`) or set " + envECSCluster
	case "RepositoryNotFoundException":
		return "ECR repository " + Repository + " not found: run `copilot svc init` first or set " + envImageRepository
	case "ResourceNotFoundException":
		return fmt.Sprintf("not found by %s: %s", op, firstLine(msg))
	}
	if msg == "" {
		return fmt.Sprintf("%s failed: %s", op, code)
	}
	return fmt.Sprintf("%s failed: %s: %s", op, code, firstLine(msg))
}

// shortNetCause is the last, most specific part of a network error.
func shortNetCause(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		return msg[i+2:]
	}
	return msg
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
