package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
)

// Operation ids and paths, as the spec and generated clients name them.
const (
	opHealth          = "get-health"
	opSummarize       = "summarize"
	opSummarizeStream = "summarize-stream"
	pathSummarize     = "/api/v1/summarize"
)

// addRoutes registers the whole HTTP surface on api. Production and tests
// both call it, so what is tested is what is served.
func addRoutes(api huma.API, s *service) {
	huma.Register(api, huma.Operation{
		OperationID: opHealth,
		Method:      http.MethodGet,
		Path:        "/health",
		Summary:     "Report whether the service is serving",
		Description: "Cheap and unauthenticated; never calls the LLM. Answers 503 once shutdown has begun, " +
			"so a load balancer stops sending traffic while in-flight requests finish.",
		Tags:     []string{"Health"},
		Security: []map[string][]string{}, // public
		Responses: map[string]*huma.Response{
			"503": {Description: "Draining: shutdown has begun.", Content: map[string]*huma.MediaType{
				"application/json": {Schema: &huma.Schema{Ref: "#/components/schemas/Health"}},
			}},
		},
	}, s.health)

	huma.Register(api, s.summarizeOperation(api, huma.Operation{
		OperationID: opSummarize,
		Path:        pathSummarize,
		Summary:     "Summarize a call transcript",
		Description: "Turns a customer-support call transcript into a summary of at most `options.maxLength` words, " +
			"with optional structured sections. 429 and 503 carry Retry-After. The response carries " +
			"Server-Timing with `total` and `llm` durations in milliseconds.",
	}), s.summarize)

	registerStream(api, s)
	describeErrors(api.OpenAPI())
}

// bodyReadTimeout is how long a summarize body may take to arrive once the
// request is admitted. huma's default is 5 s, which a 1 MiB body from a slow
// client, or many large bodies read at once on a busy task, can miss (the
// 408s under load of issue 13); 15 s lets 1 MiB through at about 0.5
// Mbit/s and stays well inside the server's 60 s ReadTimeout. A client that
// holds its body back longer is answered 408 and costs its connection.
const bodyReadTimeout = 15 * time.Second

// summarizeErrors are the error statuses a summarize operation declares.
var summarizeErrors = []int{
	http.StatusBadRequest, http.StatusUnauthorized, http.StatusRequestTimeout, http.StatusRequestEntityTooLarge,
	http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity, http.StatusTooManyRequests,
	http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable,
	http.StatusGatewayTimeout,
}

// summarizeOperation completes op as an operation that takes a
// SummarizeRequest: POST, authenticated, guarded (guard.go), with a body
// limit and the body's rules from the registered schema. The access log
// meters every operation that carries body rules (middleware.go).
func (s *service) summarizeOperation(api huma.API, op huma.Operation) huma.Operation {
	op.Method = http.MethodPost
	op.Tags = []string{"Summaries"}
	op.Security = []map[string][]string{{securityScheme: {}}}
	op.Errors = summarizeErrors
	op.MaxBodyBytes = s.maxBodyBytes()
	op.BodyReadTimeout = bodyReadTimeout
	op.SkipValidateBody = true // validated from the one decode by SummarizeInput.Resolve
	op.Middlewares = s.summarizeMiddlewares(api)
	op.Metadata = map[string]any{bodyRulesKey: newBodyRules(api.OpenAPI().Components.Schemas, reflect.TypeFor[SummarizeRequest]())}
	return op
}

// operationsOf lists a path's operations by method (nil where there is
// none): the service registers GET and POST only.
func operationsOf(item *huma.PathItem) map[string]*huma.Operation {
	return map[string]*huma.Operation{http.MethodGet: item.Get, http.MethodPost: item.Post}
}

// notFound answers what no route matches with problem+json like every other
// error: 405 with Allow for a known path and another method, 404 otherwise.
func notFound(oapi *huma.OpenAPI) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status, detail := http.StatusNotFound, "no such route: see /openapi.json"
		if item, ok := oapi.Paths[r.URL.Path]; ok {
			var allow []string
			for m, op := range operationsOf(item) {
				if op != nil {
					allow = append(allow, m)
				}
			}
			slices.Sort(allow)
			w.Header().Set("Allow", strings.Join(allow, ", "))
			status, detail = http.StatusMethodNotAllowed, "method "+r.Method+" is not allowed here"
		}
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(huma.ErrorModel{Title: http.StatusText(status), Status: status, Detail: detail})
	})
}

// errorDescriptions say when each status happens, for the spec's readers.
var errorDescriptions = map[string]string{
	"400": "Malformed JSON: not exactly one JSON value, a duplicate member name, or invalid UTF-8 (raw or as a lone surrogate escape); or no body. The detail says what and errors[].location where.",
	"401": "Missing or unknown X-API-Key.",
	"408": fmt.Sprintf("The request body did not arrive within %d seconds of the request being admitted.", int(bodyReadTimeout.Seconds())),
	"413": "Request body larger than MAX_BODY_BYTES (default 1 MiB).",
	"415": "Content-Type is not application/json (or another +json type); the detail names the type sent.",
	"422": "A field is missing, invalid or unknown (names are case-sensitive): see errors[].location and message.",
	"429": "Rate limited (per API key) or the LLM is throttling. Retry after Retry-After seconds.",
	"500": "Unexpected error; the cause is logged with the request id.",
	"502": "The LLM failed or refused the call (misconfiguration or a bad answer).",
	"503": "Overloaded, shutting down, or the LLM is unavailable after retries. Retry after Retry-After seconds.",
	"504": "The LLM did not answer within BEDROCK_TIMEOUT.",
}

// describeErrors gives every declared error response a description and
// documents Retry-After on 429 and 503 (huma declares them generically).
func describeErrors(oapi *huma.OpenAPI) {
	retryAfter := map[string]*huma.Param{"Retry-After": {
		Description: "Seconds to wait before retrying.",
		Schema:      &huma.Schema{Type: huma.TypeInteger},
	}}
	for _, item := range oapi.Paths {
		for _, op := range operationsOf(item) {
			if op == nil || op.OperationID == opHealth {
				continue
			}
			if ok := op.Responses["200"]; ok != nil && op.OperationID == opSummarize {
				if ok.Headers == nil {
					ok.Headers = map[string]*huma.Param{}
				}
				ok.Headers["Server-Timing"] = &huma.Param{
					Description: "total;dur=<ms>, llm;dur=<ms>: time in the service and in the summarizer (W3C Server-Timing).",
					Schema:      &huma.Schema{Type: huma.TypeString},
				}
			}
			for code, resp := range op.Responses {
				if d, ok := errorDescriptions[code]; ok {
					resp.Description = d
				}
				if code == "429" || code == "503" {
					resp.Headers = retryAfter
				}
			}
		}
	}
}
