package api

import (
	"context"
	"net/http"
)

// HealthStatus is what /health says of the service.
type HealthStatus string

// The statuses /health reports.
const (
	HealthOK       HealthStatus = "ok"
	HealthDraining HealthStatus = "draining"
)

func healthStatuses() []HealthStatus { return []HealthStatus{HealthOK, HealthDraining} }

// Health is the body of GET /health.
type Health struct {
	Status     HealthStatus `json:"status" doc:"ok while serving; draining once shutdown has begun."`
	Version    string       `json:"version,omitempty" doc:"The build's version." example:"v1.2.0"`
	Summarizer string       `json:"summarizer,omitempty" doc:"Which summarizer serves requests."`
}

// HealthOutput is the get-health operation's output.
type HealthOutput struct {
	Status int
	Body   Health
}

func (s *service) health(_ context.Context, _ *struct{}) (*HealthOutput, error) {
	if s.state.Draining() {
		return &HealthOutput{Status: http.StatusServiceUnavailable, Body: Health{Status: HealthDraining}}, nil
	}
	return &HealthOutput{Status: http.StatusOK, Body: Health{Status: HealthOK, Version: s.version, Summarizer: s.summarizerName}}, nil
}
