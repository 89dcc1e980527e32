// Package transcript turns every form a call can arrive in into the one
// normalised list of turns (summary.Turn) that the rest of the service
// reads: plain text with speaker labels (FromText), and the JSON documents
// Amazon Transcribe (batch, with speaker diarization), Transcribe Call
// Analytics and Amazon Connect Contact Lens write (Parse). Roles come from
// the source: a document's AGENT/CUSTOMER roles, a label that names a role
// ("Agent:", "Maria (customer):"), and for diarized speakers (spk_0, spk_1,
// "Speaker 2") only the rule of InferRoles. Anything else is
// summary.RoleOther, never a guessed agent.
package transcript

import (
	"errors"
	"fmt"
)

// Format names the kind of document a call came in.
type Format string

// The document formats Parse reads.
const (
	FormatTranscribe    Format = "transcribe"
	FormatCallAnalytics Format = "transcribe-call-analytics"
	FormatContactLens   Format = "contact-lens"
)

// Formats lists every Format, in the order the API documents them.
func Formats() []Format { return []Format{FormatTranscribe, FormatCallAnalytics, FormatContactLens} }

// Error is a document that cannot be read as a call: where (a path into the
// document such as "Transcript[3].Content", "" for the document itself) and
// what is wrong.
type Error struct {
	Path    string
	Message string
}

func (e *Error) Error() string {
	if e.Path == "" {
		return e.Message
	}
	return e.Path + ": " + e.Message
}

// errAt builds an Error at path.
func errAt(path, format string, args ...any) error {
	return &Error{Path: path, Message: fmt.Sprintf(format, args...)}
}

// ErrNoSpeech is returned for a document that holds no spoken words.
var ErrNoSpeech = errors.New("the document holds no spoken words")
