package transcript

import (
	"strings"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// Parse reads doc, a JSON document as encoding/json decodes it into an
// any, as a call in format, or in the format Detect finds when format is
// "". It returns the call's turns and the format it read. A document that
// is not of the format, or holds no spoken words, is an *Error naming where.
func Parse(doc any, format Format) ([]summary.Turn, Format, error) {
	m, err := object(doc, "")
	if err != nil {
		return nil, "", err
	}
	if format == "" {
		if format, err = Detect(m); err != nil {
			return nil, "", err
		}
	}
	var turns []summary.Turn
	switch format {
	case FormatTranscribe:
		turns, err = parseTranscribe(m)
	case FormatCallAnalytics:
		turns, err = parseCallAnalytics(m)
	case FormatContactLens:
		turns, err = parseContactLens(m)
	default:
		return nil, "", errAt("", "unknown document format %q", format)
	}
	if err != nil {
		return nil, format, err
	}
	if len(turns) == 0 {
		return nil, format, &Error{Message: ErrNoSpeech.Error()}
	}
	InferRoles(turns)
	return turns, format, nil
}

// Detect names the format of a document by the members that set the three
// apart: Transcribe's "results", Contact Lens's "Participants" beside a
// "Transcript", and Call Analytics's "Transcript" alone, whose entries carry
// a ParticipantRole.
func Detect(m map[string]any) (Format, error) {
	_, results := m["results"]
	_, tr := m["Transcript"]
	_, participants := m["Participants"]
	switch {
	case results && !tr:
		return FormatTranscribe, nil
	case tr && participants:
		return FormatContactLens, nil
	case tr:
		return FormatCallAnalytics, nil
	}
	return "", errAt("", "not a document this service reads: expected Amazon Transcribe output (results) or Call Analytics or Contact Lens output (Transcript); set documentFormat to say which")
}

// roleOfParticipant maps an AWS ParticipantRole to a Role. A supervisor
// speaks for the company; SYSTEM and CUSTOM_BOT (prompts and bots) and
// anything new are other.
func roleOfParticipant(r string) summary.Role {
	switch strings.ToUpper(strings.TrimSpace(r)) {
	case "AGENT", "SUPERVISOR":
		return summary.RoleAgent
	case "CUSTOMER":
		return summary.RoleCustomer
	}
	return summary.RoleOther
}
