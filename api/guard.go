package api

import (
	"fmt"
	"math"
	"net/http"
	"strconv"

	"github.com/danielgtaylor/huma/v2"
)

// summarizeMiddlewares run, in order, before a summarize body is read:
// refuse while draining, authenticate, rate-limit per key, refuse a body
// that is not JSON, shed past MAX_INFLIGHT. A request refused here costs no
// body read and no LLM call.
func (s *service) summarizeMiddlewares(api huma.API) huma.Middlewares {
	return huma.Middlewares{
		func(ctx huma.Context, next func(huma.Context)) {
			if s.state.Draining() {
				ctx.SetHeader("Retry-After", "5")
				_ = huma.WriteErr(api, ctx, http.StatusServiceUnavailable, "the service is shutting down; retry on another instance")
				return
			}
			next(ctx)
		},
		func(ctx huma.Context, next func(huma.Context)) {
			key := ctx.Header("X-API-Key")
			id, ok := s.keys.Check(key)
			if !ok {
				msg := "missing X-API-Key header"
				if key != "" {
					msg = "unknown API key"
				}
				_ = huma.WriteErr(api, ctx, http.StatusUnauthorized, msg)
				return
			}
			infoFrom(ctx.Context()).keyID = id
			next(ctx)
		},
		func(ctx huma.Context, next func(huma.Context)) {
			ri := infoFrom(ctx.Context())
			if wait, ok := s.limiter.allow(ri.keyID); !ok {
				ri.outcome = outcomeRateLimited
				ctx.SetHeader("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
				_ = huma.WriteErr(api, ctx, http.StatusTooManyRequests, "rate limit exceeded for this API key")
				return
			}
			next(ctx)
		},
		func(ctx huma.Context, next func(huma.Context)) {
			if ct := ctx.Header("Content-Type"); !isJSON(ct) {
				_ = huma.WriteErr(api, ctx, http.StatusUnsupportedMediaType,
					fmt.Sprintf("Content-Type %q is not supported: send the body as application/json", ct))
				return
			}
			next(ctx)
		},
		func(ctx huma.Context, next func(huma.Context)) {
			if !s.inflight.acquire() {
				infoFrom(ctx.Context()).outcome = outcomeShed
				ctx.SetHeader("Retry-After", "1")
				_ = huma.WriteErr(api, ctx, http.StatusServiceUnavailable, "the service is at capacity; retry shortly")
				return
			}
			defer s.inflight.release()
			next(ctx)
		},
	}
}
