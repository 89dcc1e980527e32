package api

import (
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/danielgtaylor/huma/v2"
)

// Limits on what an error may quote back: a transcript can be a megabyte,
// and an error should say what is wrong, not return the input.
const (
	maxQuotedValue  = 64
	maxErrorMessage = 200
)

// cleanErrors shapes every problem document before it is written: huma puts
// the whole request body in a body-level error's value and Go's JSON errors
// quote what they could not decode, so values and messages are cut short;
// a 413 names MAX_BODY_BYTES and its value; and a 400's detail says what
// was wrong.
func (s *service) cleanErrors(_ huma.Context, _ string, v any) (any, error) {
	em, ok := v.(*huma.ErrorModel)
	if !ok {
		return v, nil
	}
	if em.Status == http.StatusRequestEntityTooLarge {
		em.Detail = fmt.Sprintf("request body is larger than MAX_BODY_BYTES (%d bytes)", s.cfg.MaxBodyBytes)
	}
	for _, d := range em.Errors {
		if d == nil {
			continue
		}
		d.Message = shorten(d.Message, maxErrorMessage)
		d.Location = shorten(d.Location, maxErrorMessage) // an unknown member's name can be any length
		switch val := d.Value.(type) {
		case string:
			if d.Location == "body" {
				d.Value = nil
			} else {
				d.Value = shorten(val, maxQuotedValue)
			}
		case nil, bool, int, int64, float64:
		default:
			if strings.HasPrefix(d.Location, "body") {
				d.Value = nil
			}
		}
	}
	// A body that is not JSON is one error: its message is the detail, not
	// huma's generic "validation failed" (which stays for a 422's list).
	if em.Detail == validationFailed && em.Status != http.StatusUnprocessableEntity && len(em.Errors) == 1 && em.Errors[0] != nil {
		em.Detail = em.Errors[0].Message
	}
	return em, nil
}

// shorten cuts s to at most n bytes at a rune boundary, marking the cut.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
