package transcript_test

import (
	"testing"

	jsonv2 "github.com/go-json-experiment/json"

	"github.com/llm-testing/llm-testing/internal/transcript"
	"github.com/llm-testing/llm-testing/internal/transcript/transcripttest"
)

// BenchmarkReadOneHour is the cost of reading a one-hour call as the API
// does: decode the body into an any (encoding/json/v2), then normalise it.
func BenchmarkReadOneHour(b *testing.B) {
	lines := transcripttest.Call(60)
	var text []byte
	for _, l := range lines {
		text = append(text, "Agent: "+l.Text+"\n"...)
	}
	text, _ = jsonv2.Marshal(map[string]string{"transcript": string(text)})
	forms := map[string][]byte{"transcript": text, "transcribe": transcripttest.Transcribe(lines),
		"call-analytics": transcripttest.CallAnalytics(lines), "contact-lens": transcripttest.ContactLens(lines)}
	for name, body := range forms {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				var v map[string]any
				if err := jsonv2.Unmarshal(body, &v); err != nil {
					b.Fatal(err)
				}
				if s, ok := v["transcript"].(string); ok {
					transcript.FromText(s)
				} else if _, _, err := transcript.Parse(v, ""); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
