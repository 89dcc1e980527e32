package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/yaml"
)

// Paths of the OpenAPI 3.0 documents, which huma would otherwise serve from
// its own downgrade.
const (
	spec30JSONPath = "/openapi-3.0.json"
	spec30YAMLPath = "/openapi-3.0.yaml"
)

// serveSpec30 serves the 3.0 documents from downgrade, so that what is
// served is what is committed, and passes every other request to next.
func serveSpec30(o *huma.OpenAPI, next http.Handler) http.Handler {
	specJSON := sync.OnceValues(func() ([]byte, error) { return downgrade(o) })
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || (r.URL.Path != spec30JSONPath && r.URL.Path != spec30YAMLPath) {
			next.ServeHTTP(w, r)
			return
		}
		b, err := specJSON()
		contentType := "application/openapi+json"
		if err == nil && r.URL.Path == spec30YAMLPath {
			b, err = toYAML(b)
			contentType = "application/openapi+yaml"
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", contentType)
		_, _ = w.Write(b)
	})
}

// downgradeYAML is downgrade as YAML, as api/openapi-3.0.yaml is committed.
func downgradeYAML(o *huma.OpenAPI) ([]byte, error) {
	b, err := downgrade(o)
	if err != nil {
		return nil, err
	}
	return toYAML(b)
}

func toYAML(specJSON []byte) ([]byte, error) {
	var buf bytes.Buffer
	if err := yaml.Convert(&buf, bytes.NewReader(specJSON)); err != nil {
		return nil, fmt.Errorf("convert OpenAPI 3.0 to YAML: %w", err)
	}
	return buf.Bytes(), nil
}

// downgrade renders o as OpenAPI 3.0 JSON: huma's downgrade, then every
// $ref that has sibling keywords (a description beside it, say) is moved
// into an allOf of one, since 3.0 ignores anything next to a $ref.
func downgrade(o *huma.OpenAPI) ([]byte, error) {
	b, err := o.Downgrade()
	if err != nil {
		return nil, fmt.Errorf("downgrade OpenAPI: %w", err)
	}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("decode OpenAPI 3.0: %w", err)
	}
	wrapRefSiblings(doc)
	return json.Marshal(doc)
}

// wrapRefSiblings rewrites, anywhere in v, {$ref: r, k: ...} as
// {allOf: [{$ref: r}], k: ...}.
func wrapRefSiblings(v any) {
	switch v := v.(type) {
	case map[string]any:
		if ref, ok := v["$ref"]; ok && len(v) > 1 {
			delete(v, "$ref")
			v["allOf"] = []any{map[string]any{"$ref": ref}}
		}
		for _, child := range v {
			wrapRefSiblings(child)
		}
	case []any:
		for _, child := range v {
			wrapRefSiblings(child)
		}
	}
}
