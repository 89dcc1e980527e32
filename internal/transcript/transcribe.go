package transcript

import (
	"sort"
	"strings"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// parseTranscribe reads an Amazon Transcribe batch job's output. Its
// results hold the words (items[], each with alternatives[0].content, a
// type of pronunciation or punctuation, start_time and end_time in seconds
// as strings, and with diarization a speaker_label), the speakers' time
// ranges (speaker_labels.segments[]) and, in newer output, audio_segments[]
// with each segment's transcript and speaker_label. A turn is a run of
// consecutive segments or words by one speaker: audio_segments when they
// carry speakers, else the items, whose speaker is their own label or that
// of the speaker segment they start in; without diarization, the whole call
// is one turn with no speaker.
func parseTranscribe(m map[string]any) ([]summary.Turn, error) {
	res, err := object(m["results"], "results")
	if err != nil {
		return nil, err
	}
	if segs, ok := res["audio_segments"].([]any); ok && len(segs) > 0 && hasSpeaker(segs) {
		return audioSegments(segs)
	}
	items, err := array(res, "results", "items")
	if err != nil {
		return nil, err
	}
	spans, err := speakerSpans(res)
	if err != nil {
		return nil, err
	}
	return itemTurns(items, spans)
}

func hasSpeaker(segs []any) bool {
	s, _ := segs[0].(map[string]any)
	_, ok := s["speaker_label"]
	return ok
}

// audioSegments makes a turn of each run of segments by one speaker.
func audioSegments(segs []any) ([]summary.Turn, error) {
	var turns []summary.Turn
	for i, v := range segs {
		path := index("results.audio_segments", i)
		s, err := object(v, path)
		if err != nil {
			return nil, err
		}
		spk, err := text(s, path, "speaker_label", true)
		if err != nil {
			return nil, err
		}
		words, err := text(s, path, "transcript", true)
		if err != nil {
			return nil, err
		}
		start, _, err := seconds(s, path, "start_time")
		if err != nil {
			return nil, err
		}
		end, _, err := seconds(s, path, "end_time")
		if err != nil {
			return nil, err
		}
		if strings.TrimSpace(words) == "" {
			continue
		}
		if n := len(turns); n > 0 && turns[n-1].Speaker == spk {
			turns[n-1].Text += " " + strings.TrimSpace(words)
			turns[n-1].EndMs = max(turns[n-1].EndMs, end)
			continue
		}
		turns = append(turns, summary.Turn{Speaker: spk, Role: summary.RoleOther, Text: strings.TrimSpace(words), StartMs: start, EndMs: end, Timed: true})
	}
	return turns, nil
}

// span is one speaker's time range from speaker_labels.segments.
type span struct {
	start, end int64
	speaker    string
}

// speakerSpans reads speaker_labels.segments, sorted by start; none without
// diarization.
func speakerSpans(res map[string]any) ([]span, error) {
	sl, ok := res["speaker_labels"]
	if !ok {
		return nil, nil
	}
	labels, err := object(sl, "results.speaker_labels")
	if err != nil {
		return nil, err
	}
	segs, err := array(labels, "results.speaker_labels", "segments")
	if err != nil {
		return nil, err
	}
	out := make([]span, 0, len(segs))
	for i, v := range segs {
		path := index("results.speaker_labels.segments", i)
		s, err := object(v, path)
		if err != nil {
			return nil, err
		}
		var sp span
		if sp.speaker, err = text(s, path, "speaker_label", true); err != nil {
			return nil, err
		}
		if sp.start, _, err = seconds(s, path, "start_time"); err != nil {
			return nil, err
		}
		if sp.end, _, err = seconds(s, path, "end_time"); err != nil {
			return nil, err
		}
		out = append(out, sp)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out, nil
}

// speakerAt is the speaker of the span that holds ms, or "".
func speakerAt(spans []span, ms int64) string {
	i := sort.Search(len(spans), func(i int) bool { return spans[i].start > ms })
	if i > 0 && ms <= spans[i-1].end {
		return spans[i-1].speaker
	}
	return ""
}

// itemTurns joins the words of items into turns, a new one each time the
// speaker changes. Punctuation sticks to the word before it.
func itemTurns(items []any, spans []span) ([]summary.Turn, error) {
	var turns []summary.Turn
	var b strings.Builder
	flush := func() {
		if n := len(turns); n > 0 {
			turns[n-1].Text = b.String()
		}
		b.Reset()
	}
	for i, v := range items {
		path := index("results.items", i)
		it, err := object(v, path)
		if err != nil {
			return nil, err
		}
		word, punct, err := itemWord(it, path)
		if err != nil {
			return nil, err
		}
		start, timed, err := seconds(it, path, "start_time")
		if err != nil {
			return nil, err
		}
		end, _, err := seconds(it, path, "end_time")
		if err != nil {
			return nil, err
		}
		if punct || !timed {
			if len(turns) > 0 {
				b.WriteString(word)
			}
			continue
		}
		spk, err := text(it, path, "speaker_label", false)
		if err != nil {
			return nil, err
		}
		if spk == "" {
			spk = speakerAt(spans, start)
		}
		if n := len(turns); n == 0 || turns[n-1].Speaker != spk {
			flush()
			turns = append(turns, summary.Turn{Speaker: spk, Role: summary.RoleOther, StartMs: start, Timed: true})
		} else {
			b.WriteByte(' ')
		}
		b.WriteString(word)
		turns[len(turns)-1].EndMs = max(end, start)
	}
	flush()
	return turns, nil
}

// itemWord reads an item's best alternative and whether it is punctuation.
func itemWord(it map[string]any, path string) (string, bool, error) {
	kind, err := text(it, path, "type", true)
	if err != nil {
		return "", false, err
	}
	alts, err := array(it, path, "alternatives")
	if err != nil {
		return "", false, err
	}
	if len(alts) == 0 {
		return "", false, errAt(join(path, "alternatives"), "expected at least one alternative")
	}
	apath := join(path, "alternatives") + "[0]"
	alt, err := object(alts[0], apath)
	if err != nil {
		return "", false, err
	}
	word, err := text(alt, apath, "content", true)
	return word, kind == "punctuation", err
}
