package api

import (
	"context"
	"net/http"
)

// Health is the body of GET /health.
type Health struct {
	Status     string `json:"status" enum:"ok,draining" doc:"ok while serving; draining once shutdown has begun."`
	Version    string `json:"version,omitempty" doc:"The build's version." example:"v1.2.0"`
	Summarizer string `json:"summarizer,omitempty" enum:"local,bedrock" doc:"Which summarizer serves requests."`
}

// HealthOutput is the get-health operation's output.
type HealthOutput struct {
	Status int
	Body   Health
}

func (s *service) health(_ context.Context, _ *struct{}) (*HealthOutput, error) {
	if s.state.Draining() {
		return &HealthOutput{Status: http.StatusServiceUnavailable, Body: Health{Status: "draining"}}, nil
	}
	return &HealthOutput{Status: http.StatusOK, Body: Health{Status: "ok", Version: s.version, Summarizer: s.summarizerName}}, nil
}
