package local

import (
	"context"
	"testing"

	"github.com/llm-testing/llm-testing/internal/summary"
)

var allSections = []summary.Section{summary.SectionKeyPoints, summary.SectionActionItems,
	summary.SectionSentiment, summary.SectionResolution}

// BenchmarkSummarize200K summarizes a generated transcript of the largest
// size the API accepts, with every section.
func BenchmarkSummarize200K(b *testing.B) { benchmarkSummarize(b, summary.MaxTranscriptRune) }

// BenchmarkSummarize5K summarizes a generated transcript of a typical
// call's size, with every section.
func BenchmarkSummarize5K(b *testing.B) { benchmarkSummarize(b, 5000) }

// benchmarkSummarize summarizes a generated transcript of chars
// characters, with every section.
func benchmarkSummarize(b *testing.B, chars int) {
	text := generateTranscript(b, 1, chars)[:chars]
	s := New()
	req := summary.Request{Transcript: text, MaxLength: summary.DefaultMaxLength, Sections: allSections}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Summarize(context.Background(), req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSplit200K measures the transcript splitter alone.
func BenchmarkSplit200K(b *testing.B) {
	text := generateTranscript(b, 1, summary.MaxTranscriptRune)[:summary.MaxTranscriptRune]
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Split(text)
	}
}
