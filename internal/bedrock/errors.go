package bedrock

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/llm-testing/llm-testing/internal/pricing"
	"github.com/llm-testing/llm-testing/internal/summary"
)

// How long a client should wait before trying again after each kind of
// refusal; the API sends it as Retry-After.
const (
	throttledRetryAfter   = 2 * time.Second
	unavailableRetryAfter = 5 * time.Second
)

// classify turns a failed Bedrock call into a *summary.Error with the Kind
// the API maps to a status and a Hint an operator can act on. ctx is the
// call's context, whose deadline is the pipeline's time budget.
func (s *Summarizer) classify(ctx context.Context, op string, err error) error {
	e := &summary.Error{Kind: summary.KindUpstream, Err: fmt.Errorf("%s %s: %w", op, s.modelID, err)}
	var (
		throttling  *types.ThrottlingException
		quota       *types.ServiceQuotaExceededException
		modelTO     *types.ModelTimeoutException
		denied      *types.AccessDeniedException
		notFound    *types.ResourceNotFoundException
		validation  *types.ValidationException
		unavailable *types.ServiceUnavailableException
		notReady    *types.ModelNotReadyException
		internal    *types.InternalServerException
		modelErr    *types.ModelErrorException
		streamErr   *types.ModelStreamErrorException
	)
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		e.Kind = summary.KindCanceled
		e.Hint = "the client went away"
	case errors.As(err, &throttling):
		e.Kind, e.RetryAfter = summary.KindThrottled, throttledRetryAfter
		e.Hint = fmt.Sprintf("Bedrock throttled %s in %s after retries: request a higher quota or lower RATE_LIMIT_RPS", s.modelID, s.region)
	case errors.As(err, &quota):
		e.Kind, e.RetryAfter = summary.KindThrottled, throttledRetryAfter
		e.Hint = fmt.Sprintf("service quota exceeded for %s in %s: request a quota increase", s.modelID, s.region)
	case errors.As(err, &modelTO):
		e.Kind = summary.KindTimeout
		e.Hint = fmt.Sprintf("model %s timed out processing the request", s.modelID)
	case errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded):
		// The request's budget (BEDROCK_TIMEOUT), or one the caller set, ran out.
		e.Kind = summary.KindTimeout
		e.Hint = fmt.Sprintf("no answer from %s within the request's time budget (BEDROCK_TIMEOUT), retries included", s.modelID)
	case errors.As(err, &denied):
		e.Hint = fmt.Sprintf("model access not enabled for %s in %s, or the task role lacks bedrock:InvokeModel: enable the model in the Bedrock console and check the IAM policy", s.modelID, s.region)
	case errors.As(err, &notFound):
		e.Hint = fmt.Sprintf("model %s not found in %s: check BEDROCK_MODEL_ID", s.modelID, s.region)
	case errors.As(err, &validation):
		e.Hint = validationHint(s.modelID, aws.ToString(validation.Message))
	case errors.As(err, &unavailable):
		e.Kind, e.RetryAfter = summary.KindUnavailable, unavailableRetryAfter
		e.Hint = fmt.Sprintf("Bedrock unavailable in %s after retries", s.region)
	case errors.As(err, &notReady):
		e.Kind, e.RetryAfter = summary.KindUnavailable, unavailableRetryAfter
		e.Hint = fmt.Sprintf("model %s not ready in %s after retries", s.modelID, s.region)
	case errors.As(err, &internal):
		e.Hint = fmt.Sprintf("Bedrock internal error for %s in %s after retries", s.modelID, s.region)
	case errors.As(err, &modelErr), errors.As(err, &streamErr):
		e.Hint = fmt.Sprintf("model %s failed while answering", s.modelID)
	case errors.Is(err, errCut):
		// The answer's stream ended, or its connection failed, midway; a
		// later try may get it whole.
		e.Kind, e.RetryAfter = summary.KindUnavailable, unavailableRetryAfter
		e.Hint = fmt.Sprintf("the answer's stream from %s in %s was cut before its end (connection closed or reset)", s.modelID, s.region)
	case unreachable(err):
		// Nothing answered, or the connection broke mid-call, on every
		// attempt: Bedrock is unavailable from here, and another task or a
		// later try may reach it.
		e.Kind, e.RetryAfter = summary.KindUnavailable, unavailableRetryAfter
		e.Hint = fmt.Sprintf("cannot reach Bedrock in %s after retries (connection refused, reset or cut): check the network, the VPC endpoints and AWS_ENDPOINT_URL_BEDROCK_RUNTIME", s.region)
	default:
		e.Hint = fmt.Sprintf("call to Bedrock in %s failed after retries (network or endpoint problem?)", s.region)
	}
	return e
}

// validationHint explains the ValidationExceptions an operator can fix.
func validationHint(modelID, msg string) string {
	lower := strings.ToLower(msg)
	if strings.Contains(lower, "on-demand throughput") || strings.Contains(lower, "inference profile") {
		return fmt.Sprintf("model %s needs an inference profile id such as us.%s (or global., eu., apac.): set BEDROCK_MODEL_ID", modelID, pricing.BaseModelID(modelID))
	}
	if strings.Contains(lower, "model identifier is invalid") {
		return fmt.Sprintf("model id %s is invalid: check BEDROCK_MODEL_ID", modelID)
	}
	return fmt.Sprintf("Bedrock rejected the request for %s: %s", modelID, msg)
}

// unreachable reports whether err is the network failing under a call
// rather than Bedrock answering: the request could not be sent (refused,
// DNS, TLS), or the connection was reset or cut before the answer ended.
func unreachable(err error) bool {
	var send *smithyhttp.RequestSendError
	var op *net.OpError
	return errors.As(err, &send) || errors.As(err, &op) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, io.ErrUnexpectedEOF)
}
