package api

//go:generate go run ../cmd/server openapi -dir .
//go:generate go tool oapi-codegen -config client/oapi-codegen.yaml openapi-3.0.yaml
