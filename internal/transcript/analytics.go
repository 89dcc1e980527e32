package transcript

import (
	"strings"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// parseCallAnalytics reads Transcribe Call Analytics output: Transcript[],
// each entry a turn with ParticipantRole (AGENT or CUSTOMER), Content and
// BeginOffsetMillis/EndOffsetMillis.
func parseCallAnalytics(m map[string]any) ([]summary.Turn, error) {
	return parseEntries(m, func(e map[string]any, path string) (string, summary.Role, error) {
		role, err := text(e, path, "ParticipantRole", true)
		if err != nil {
			return "", "", err
		}
		return strings.ToUpper(role), roleOfParticipant(role), nil
	})
}

// parseContactLens reads Amazon Connect Contact Lens output: Participants[]
// maps each ParticipantId to a ParticipantRole, and Transcript[] holds the
// turns, each with ParticipantId, Content and offsets. An entry's own
// ParticipantRole, where present, wins.
func parseContactLens(m map[string]any) ([]summary.Turn, error) {
	list, err := array(m, "", "Participants")
	if err != nil {
		return nil, err
	}
	roles := make(map[string]string, len(list))
	for i, p := range list {
		path := index("Participants", i)
		po, err := object(p, path)
		if err != nil {
			return nil, err
		}
		id, err := text(po, path, "ParticipantId", true)
		if err != nil {
			return nil, err
		}
		if roles[id], err = text(po, path, "ParticipantRole", true); err != nil {
			return nil, err
		}
	}
	return parseEntries(m, func(e map[string]any, path string) (string, summary.Role, error) {
		id, err := text(e, path, "ParticipantId", true)
		if err != nil {
			return "", "", err
		}
		role, err := text(e, path, "ParticipantRole", false)
		if err != nil {
			return "", "", err
		}
		if role == "" {
			r, ok := roles[id]
			if !ok {
				return "", "", errAt(join(path, "ParticipantId"), "%q is not one of Participants[].ParticipantId", id)
			}
			role = r
		}
		return strings.ToUpper(role), roleOfParticipant(role), nil
	})
}

// parseEntries reads the Transcript[] array both formats share; speaker
// names each entry's speaker and role. Entries with empty Content are
// skipped; an entry's offsets, when it has both, time the turn.
func parseEntries(m map[string]any, speaker func(map[string]any, string) (string, summary.Role, error)) ([]summary.Turn, error) {
	list, err := array(m, "", "Transcript")
	if err != nil {
		return nil, err
	}
	turns := make([]summary.Turn, 0, len(list))
	for i, v := range list {
		path := index("Transcript", i)
		e, err := object(v, path)
		if err != nil {
			return nil, err
		}
		content, err := text(e, path, "Content", true)
		if err != nil {
			return nil, err
		}
		name, role, err := speaker(e, path)
		if err != nil {
			return nil, err
		}
		begin, hasBegin, err := millis(e, path, "BeginOffsetMillis")
		if err != nil {
			return nil, err
		}
		end, hasEnd, err := millis(e, path, "EndOffsetMillis")
		if err != nil {
			return nil, err
		}
		if strings.TrimSpace(content) == "" {
			continue
		}
		t := summary.Turn{Speaker: name, Role: role, Text: content}
		if hasBegin && hasEnd {
			if end < begin {
				return nil, errAt(join(path, "EndOffsetMillis"), "ends (%d) before it begins (%d)", end, begin)
			}
			t.StartMs, t.EndMs, t.Timed = begin, end, true
		}
		turns = append(turns, t)
	}
	return turns, nil
}
