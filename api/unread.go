package api

import (
	"io"
	"net/http"
	"time"
)

// What the server reads of a body its handler left unread (a 413, or a 401
// or 429 answered before the body was read), so that a client that writes
// its whole body before it reads the answer gets the answer rather than a
// connection reset. Closing a socket with unread data in it makes the kernel
// send RST, which discards the response the client has not read yet; net/http
// by itself reads at most 256 KiB. Past these bounds the connection is
// closed as before.
const (
	// unreadMaxBytes is the most of a left-over body read: 64 MiB.
	unreadMaxBytes = 64 << 20
	// unreadStall closes a connection whose body stops arriving, so a slow
	// client answered with an error does not hold it for the read timeout.
	unreadStall = time.Second
	// unreadMax bounds the whole read.
	unreadMax = 20 * time.Second
)

// finishUnread reads what is left of the request body once next has
// answered, within the bounds above.
func finishUnread(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := r.Body
		if body == nil || body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		// huma closes the body once it has read what it wants, and closing
		// a server request's body gives up on the rest: keep it open here.
		r.Body = keepOpen{body}
		next.ServeHTTP(w, r)
		// Before the answer is flushed: net/http, writing the header, would
		// otherwise wait for up to 256 KiB of a stalled body itself, for as
		// long as the server's read timeout.
		rc := http.NewResponseController(w)
		_, _ = io.CopyN(io.Discard, &stallReader{r: body, rc: rc, end: time.Now().Add(unreadMax)}, unreadMaxBytes)
	})
}

// keepOpen is a request body whose Close leaves it open for finishUnread.
type keepOpen struct{ io.ReadCloser }

func (keepOpen) Close() error { return nil }

// stallReader reads with a deadline of unreadStall per read, and of end in
// all.
type stallReader struct {
	r   io.Reader
	rc  *http.ResponseController
	end time.Time
}

func (s *stallReader) Read(p []byte) (int, error) {
	d := time.Now().Add(unreadStall)
	if d.After(s.end) {
		d = s.end
	}
	_ = s.rc.SetReadDeadline(d)
	return s.r.Read(p)
}
