// Package api is the HTTP surface of llm-testing: huma v2 operations on the
// standard library mux, their input and output types, the middleware that
// every request passes through, and the mapping of domain errors to statuses.
package api

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	jsonv2 "github.com/go-json-experiment/json"

	"github.com/llm-testing/llm-testing/internal/auth"
	"github.com/llm-testing/llm-testing/internal/config"
	"github.com/llm-testing/llm-testing/internal/summary"
)

// APIVersion is the version of the HTTP contract, in the spec's info.version.
// It changes only when the API does, not with every build.
const APIVersion = "1.0.0"

// Deps are what the server needs from the process that runs it.
type Deps struct {
	Logger *slog.Logger
	// AccessLogger writes the one line per request (the access log and the
	// EMF metrics). It logs at info whatever LOG_LEVEL says, so that the
	// metrics never go missing; nil uses Logger.
	AccessLogger *slog.Logger
	Config       config.Config
	// Summarizer serves both summarize endpoints: summary.NewPipeline's,
	// which holds whole and streamed text to maxLength.
	Summarizer summary.Summarizer
	// SummarizerName is "local" or "bedrock", as /health reports it.
	SummarizerName string
	Keys           *auth.KeySet
	// Version is the build's version, as /health reports it.
	Version string
	// State is shared with the process, which starts the drain and waits
	// for in-flight requests; nil makes a private one.
	State *State
}

// NewServer returns the service's HTTP handler: every route with its
// middleware.
func NewServer(d Deps) http.Handler {
	return newService(d).handler()
}

func (s *service) handler() http.Handler {
	mux := http.NewServeMux()
	cfg := apiConfig()
	cfg.Transformers = append(cfg.Transformers, s.cleanErrors)
	api := humago.New(mux, cfg)
	addRoutes(api, s)
	mux.Handle("/", notFound(api.OpenAPI()))
	return finishUnread(s.middleware(serveSpec30(api.OpenAPI(), mux), meteredRoutes(api.OpenAPI())))
}

// OpenAPI returns the service's OpenAPI document, built from the same
// routes the server registers, without serving anything.
func OpenAPI() *huma.OpenAPI {
	mux := http.NewServeMux()
	api := humago.New(mux, apiConfig())
	addRoutes(api, newService(Deps{}))
	return api.OpenAPI()
}

func apiConfig() huma.Config {
	cfg := huma.DefaultConfig("llm-testing", APIVersion)
	cfg.Info.Description = "Summarizes customer-support call transcripts with an LLM " +
		"(Claude on Amazon Bedrock, or an embedded extractive summarizer). " +
		"Errors are RFC 9457 problem+json. Authenticate with the X-API-Key header."
	cfg.Info.License = &huma.License{Name: "Apache-2.0", URL: "https://www.apache.org/licenses/LICENSE-2.0"}
	cfg.Servers = []*huma.Server{
		{URL: "http://localhost:3000", Description: "Local development (go run ./cmd/server)"},
	}
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		securityScheme: {Type: "apiKey", In: "header", Name: "X-API-Key",
			Description: "An API key from API_KEYS (the Secrets Manager secret llm-testing/<env>/api-keys)."},
	}
	cfg.OpenAPIPath = "/openapi"
	cfg.DocsPath = "/docs"
	cfg.SchemasPath = "/schemas"
	// Requests are decoded strictly (request.go), so that what the schema
	// promises (additionalProperties: false, case-sensitive names) holds and
	// a typo such as "maxLenght" is not silently ignored.
	cfg.Formats = map[string]huma.Format{
		"application/json": strictJSON,
		"json":             strictJSON,
	}
	// No $schema links in responses: clients do not need them and they
	// would differ between deployments.
	cfg.CreateHooks = nil
	return cfg
}

const securityScheme = "apiKey"

// strictJSON writes JSON without HTML escaping and reads it by
// encoding/json/v2's rules (request.go): a body type that takes its decoded
// value (SummarizeRequest) gets it, with any error, to validate in Resolve.
var strictJSON = huma.Format{
	Marshal: func(w io.Writer, v any) error {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return enc.Encode(v)
	},
	Unmarshal: func(data []byte, v any) error {
		if d, ok := v.(interface{ setDecoded(any, error) }); ok {
			d.setDecoded(decodeJSON(data))
			return nil
		}
		return jsonv2.Unmarshal(data, v)
	},
}

// Specs returns the committed OpenAPI documents by file name:
// openapi.yaml (3.1) and openapi-3.0.yaml (for generators that need 3.0).
func Specs() (map[string][]byte, error) {
	oapi := OpenAPI()
	v31, err := oapi.YAML()
	if err != nil {
		return nil, fmt.Errorf("render OpenAPI 3.1: %w", err)
	}
	v30, err := downgradeYAML(oapi)
	if err != nil {
		return nil, err
	}
	return map[string][]byte{"openapi.yaml": v31, "openapi-3.0.yaml": v30}, nil
}
