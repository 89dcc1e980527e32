// Package transcripttest writes calls in the formats internal/transcript
// reads, of any length, for tests and benchmarks: the same conversation as
// Amazon Transcribe (diarized), Transcribe Call Analytics and Contact Lens
// would write it, with the members and value types their documentation
// shows, compact as AWS writes them.
package transcripttest

import (
	"encoding/json"
	"fmt"
	"strings"
)

// WordsPerMinute is the speaking rate of a generated call: a brisk
// two-person support conversation, pauses included.
const WordsPerMinute = 150

// Line is one turn of a generated call.
type Line struct {
	Agent          bool
	Text           string
	StartMs, EndMs int64
}

// script is the conversation generated calls repeat, agent first.
var script = []string{
	"Thank you for calling Northwind Energy, this is Dana, how can I help you today?",
	"Hi Dana, my bill for March is twice what it usually is and I do not understand why.",
	"I am sorry to hear that. Let me pull up the account and look at the meter readings for March.",
	"Sure, the account is under my name and the address is the one on the bill.",
	"I see an estimated reading on the fourteenth, and it was too high. I will correct it and reissue the bill today.",
	"Okay, and will I get a refund for what I already paid?",
	"Yes, the difference will be credited to your account within five business days, and you will get an email confirming it.",
	"Great, thank you. Could you also send me a copy of the corrected bill by post?",
	"Of course, I will mail a printed copy to the address on file this week.",
	"Perfect, that is everything I needed.",
}

// Call is a conversation of about minutes minutes, agent and customer in
// turn, with times.
func Call(minutes int) []Line {
	words := minutes * WordsPerMinute
	var out []Line
	var at int64
	for n, i := 0, 0; n < words || i == 0; i++ {
		text := script[i%len(script)]
		w := len(strings.Fields(text))
		dur := int64(w) * 60000 / WordsPerMinute
		out = append(out, Line{Agent: i%2 == 0, Text: text, StartMs: at, EndMs: at + dur})
		at += dur
		n += w
	}
	return out
}

func secs(ms int64) string { return fmt.Sprintf("%.3f", float64(ms)/1000) }

func speaker(l Line) string {
	if l.Agent {
		return "spk_0"
	}
	return "spk_1"
}

func role(l Line) string {
	if l.Agent {
		return "AGENT"
	}
	return "CUSTOMER"
}

// Transcribe writes lines as an Amazon Transcribe batch job with speaker
// diarization writes its output: results.transcripts, results.items (one
// per word and punctuation mark), results.speaker_labels.segments (one per
// turn, each listing its words' times) and results.audio_segments.
func Transcribe(lines []Line) []byte {
	var items, segments, audio []map[string]any
	var all []string
	id := 0
	for k, l := range lines {
		words := strings.Fields(l.Text)
		step := (l.EndMs - l.StartMs) / int64(len(words))
		var segItems []map[string]any
		var ids []int
		for j, w := range words {
			start, end := l.StartMs+int64(j)*step, l.StartMs+int64(j+1)*step
			word := strings.TrimRight(w, ".,?!")
			items = append(items, map[string]any{"id": id, "type": "pronunciation", "alternatives": []map[string]any{{"confidence": "0.998", "content": word}},
				"start_time": secs(start), "end_time": secs(end), "speaker_label": speaker(l)})
			segItems = append(segItems, map[string]any{"start_time": secs(start), "end_time": secs(end), "speaker_label": speaker(l)})
			ids = append(ids, id)
			id++
			if p := w[len(word):]; p != "" {
				items = append(items, map[string]any{"id": id, "type": "punctuation", "alternatives": []map[string]any{{"confidence": "0.0", "content": p}}})
				ids = append(ids, id)
				id++
			}
		}
		segments = append(segments, map[string]any{"start_time": secs(l.StartMs), "end_time": secs(l.EndMs), "speaker_label": speaker(l), "items": segItems})
		audio = append(audio, map[string]any{"id": k, "transcript": l.Text, "start_time": secs(l.StartMs), "end_time": secs(l.EndMs), "speaker_label": speaker(l), "items": ids})
		all = append(all, l.Text)
	}
	return mustJSON(map[string]any{
		"jobName": "generated-call", "accountId": "111122223333", "status": "COMPLETED",
		"results": map[string]any{
			"transcripts":    []map[string]any{{"transcript": strings.Join(all, " ")}},
			"speaker_labels": map[string]any{"channel_label": "ch_0", "speakers": 2, "segments": segments},
			"items":          items,
			"audio_segments": audio,
		},
	})
}

// CallAnalytics writes lines as Transcribe Call Analytics writes a call:
// Transcript[] with ParticipantRole, Content, offsets, Sentiment and
// LoudnessScores, and a little of the rest of the job.
func CallAnalytics(lines []Line) []byte {
	entries := make([]map[string]any, len(lines))
	for i, l := range lines {
		entries[i] = map[string]any{"Id": fmt.Sprintf("a1b2c3d4-%08d", i), "ParticipantRole": role(l), "Content": l.Text,
			"BeginOffsetMillis": l.StartMs, "EndOffsetMillis": l.EndMs, "Sentiment": "NEUTRAL", "LoudnessScores": []float64{72.4, 75.1, 70.9}}
	}
	return mustJSON(map[string]any{
		"JobName": "generated-call", "AccountId": "111122223333", "JobStatus": "COMPLETED", "LanguageCode": "en-US", "Channel": "VOICE",
		"Transcript":                  entries,
		"ConversationCharacteristics": map[string]any{"TotalConversationDurationMillis": lines[len(lines)-1].EndMs},
	})
}

// ContactLens writes lines as Contact Lens writes an analyzed call:
// Participants[] maps ids to roles, Transcript[] holds ParticipantId,
// Content, offsets and Sentiment.
func ContactLens(lines []Line) []byte {
	const agent, customer = "f36a545d-67b2-4fd4-89fb-896136b609a7", "e9b36a6d-12aa-4c21-9745-1881648ecfc8"
	entries := make([]map[string]any, len(lines))
	for i, l := range lines {
		id := customer
		if l.Agent {
			id = agent
		}
		entries[i] = map[string]any{"Id": fmt.Sprintf("9f0e1d2c-%08d", i), "ParticipantId": id, "Content": l.Text,
			"BeginOffsetMillis": l.StartMs, "EndOffsetMillis": l.EndMs, "Sentiment": "NEUTRAL", "LoudnessScore": []float64{72.4, 75.1, 70.9}}
	}
	return mustJSON(map[string]any{
		"Version": "1.1.0", "AccountId": "111122223333", "Channel": "VOICE", "ContentMetadata": map[string]any{"Output": "Raw"},
		"JobStatus": "COMPLETED", "LanguageCode": "en-US",
		"Participants": []map[string]any{{"ParticipantId": customer, "ParticipantRole": "CUSTOMER"}, {"ParticipantId": agent, "ParticipantRole": "AGENT"}},
		"Transcript":   entries,
	})
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // maps of strings and numbers: cannot fail
	}
	return b
}
