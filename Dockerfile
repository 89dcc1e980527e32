# syntax=docker/dockerfile:1
#
# The backend's image, for teams that build with Docker
# (IMAGE_BUILDER=docker go tool mage image, or docker build directly).
# The default path is `go tool mage image`, which builds the same kind of
# image without a daemon. Either way: a static binary, CA roots, non-root,
# port 3000, no shell.
#
#   docker build --build-arg VERSION=$(git describe --tags --always --dirty) \
#     --platform linux/amd64 -t llm-testing/backend .
#
# internal/manifests checks this file statically (it cannot be built in CI).

ARG GO_VERSION=1.26

FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build
WORKDIR /src
# Modules first, so that a code change does not refetch them.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG VERSION=dev
# Set by BuildKit from --platform; linux/amd64 (Fargate's x86_64) otherwise.
ARG TARGETOS
ARG TARGETARCH
# Static (no libc), reproducible paths, version stamped into main.version.
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=${TARGETOS:-linux} GOARCH=${TARGETARCH:-amd64} \
    go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /server ./cmd/server

# distroless static: CA certificates, tzdata, /etc/passwd with nonroot
# (65532), no shell, no package manager. The binary also embeds Mozilla's
# roots (golang.org/x/crypto/x509roots/fallback) should the image lack them.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /server /server
USER 65532:65532
EXPOSE 3000
ENV PORT=3000
# Copilot's image.healthcheck runs the same command; this one is for plain
# `docker run`.
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 \
    CMD ["/server", "healthcheck"]
ENTRYPOINT ["/server"]
