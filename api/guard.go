package api

import (
	"fmt"
	"math"
	"net/http"
	"strconv"

	"github.com/danielgtaylor/huma/v2"
)

// guard is one admission check of a summarize request: nil to go on, or the
// error to answer with (after setting any headers it needs).
type guard func(ctx huma.Context) huma.StatusError

// summarizeMiddlewares run, in order, before a summarize body is read:
// refuse while draining, authenticate, rate-limit per key, refuse a body
// that is not JSON, shed past MAX_INFLIGHT, shed past the memory budget
// (admission.go). A request refused here costs no body read and no LLM
// call.
func (s *service) summarizeMiddlewares(api huma.API) huma.Middlewares {
	var mws huma.Middlewares
	for _, g := range []guard{s.notDraining, s.authenticated, s.withinRate, jsonBody} {
		mws = append(mws, func(ctx huma.Context, next func(huma.Context)) {
			if err := g(ctx); err != nil {
				_ = huma.WriteErr(api, ctx, err.GetStatus(), err.Error())
				return
			}
			next(ctx)
		})
	}
	return append(mws, func(ctx huma.Context, next func(huma.Context)) {
		if !s.inflight.acquire() {
			infoFrom(ctx.Context()).outcome = outcomeShed
			ctx.SetHeader("Retry-After", "1")
			_ = huma.WriteErr(api, ctx, http.StatusServiceUnavailable, "the service is at capacity; retry shortly")
			return
		}
		defer s.inflight.release()
		if err := s.admitBySize(ctx); err != nil {
			_ = huma.WriteErr(api, ctx, err.GetStatus(), err.Error())
			return
		}
		ri := infoFrom(ctx.Context())
		defer func() { s.budget.release(ri.reserved) }()
		next(ctx)
	})
}

func (s *service) notDraining(ctx huma.Context) huma.StatusError {
	if !s.state.Draining() {
		return nil
	}
	ctx.SetHeader("Retry-After", "5")
	return huma.Error503ServiceUnavailable(msgShuttingDown)
}

func (s *service) authenticated(ctx huma.Context) huma.StatusError {
	key := ctx.Header("X-API-Key")
	id, ok := s.keys.Check(key)
	switch {
	case !ok && key == "":
		return huma.Error401Unauthorized("missing X-API-Key header")
	case !ok:
		return huma.Error401Unauthorized("unknown API key")
	}
	infoFrom(ctx.Context()).keyID = id
	return nil
}

func (s *service) withinRate(ctx huma.Context) huma.StatusError {
	ri := infoFrom(ctx.Context())
	wait, ok := s.limiter.allow(ri.keyID)
	if ok {
		return nil
	}
	ri.outcome = outcomeRateLimited
	ctx.SetHeader("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	return huma.Error429TooManyRequests("rate limit exceeded for this API key")
}

func jsonBody(ctx huma.Context) huma.StatusError {
	if ct := ctx.Header("Content-Type"); !isJSON(ct) {
		return huma.Error415UnsupportedMediaType(fmt.Sprintf("Content-Type %q is not supported: send the body as application/json", ct))
	}
	return nil
}
