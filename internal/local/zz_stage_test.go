package local

import (
	"testing"

	"github.com/llm-testing/llm-testing/internal/summary"
	"github.com/llm-testing/llm-testing/internal/transcript"
)

func BenchmarkZZ(b *testing.B) {
	text := generateTranscript(b, 1, summary.MaxTranscriptRune)[:summary.MaxTranscriptRune]
	turns := transcript.FromText(text)
	sents := SplitTurns(turns)
	lower := lowerAll(sents)
	b.Run("FromText", func(b *testing.B) {
		for b.Loop() {
			transcript.FromText(text)
		}
	})
	b.Run("SplitTurns", func(b *testing.B) {
		for b.Loop() {
			SplitTurns(turns)
		}
	})
	b.Run("analyseSentences", func(b *testing.B) {
		for b.Loop() {
			analyseSentences(sents)
		}
	})
	b.Run("cues", func(b *testing.B) {
		for b.Loop() {
			for _, l := range lower {
				cues.match(l)
			}
		}
	})
	b.Run("lowerAll", func(b *testing.B) {
		for b.Loop() {
			lowerAll(sents)
		}
	})
	b.Run("sentiment", func(b *testing.B) {
		for b.Loop() {
			sentiment(sents)
		}
	})
	b.Run("sections", func(b *testing.B) {
		a := analyseSentences(sents)
		for b.Loop() {
			a.sizes = make([]int, len(a.sizes))
			a.order, a.heads = nil, nil
			a.summaryText(summary.DefaultMaxLength, summary.FormatParagraph)
			a.keyPoints()
			actionItems(a.sents, a.lower, a.cues)
			resolution(a.sents, a.cues)
		}
	})
}
