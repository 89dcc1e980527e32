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
func BenchmarkSummarize200K(b *testing.B) {
	text := generateTranscript(b, 1, summary.MaxTranscriptRune)
	text = text[:summary.MaxTranscriptRune]
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

// BenchmarkSummarize5K summarizes a generated transcript of a typical
// call's size, with every section.
func BenchmarkSummarize5K(b *testing.B) {
	text := generateTranscript(b, 1, 5000)[:5000]
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
