package eval

import (
	"context"
	"testing"

	"github.com/llm-testing/llm-testing/internal/summary"
)

func TestLongest(t *testing.T) {
	transcript := "Agent: Hello there.\n" +
		"Customer: My order of two lamps arrived broken in the box.\n" +
		"Agent: Sorry.\n" +
		"Customer: Okay.\n" +
		"[00:01:02] Agent: I will ship two new lamps tomorrow at no cost to you.\n"
	tests := []struct {
		max  int
		want string
	}{
		{max: 10, want: "I will ship two new lamps tomorrow at no cost to you."},
		{max: 14, want: "My order of two lamps arrived broken in the box. I will ship two new lamps tomorrow at no cost to you."},
	}
	for _, tt := range tests {
		res, err := Longest{}.Summarize(context.Background(), summary.Request{Transcript: transcript, MaxLength: tt.max})
		if err != nil {
			t.Fatal(err)
		}
		if res.Summary != tt.want {
			t.Errorf("maxLength %d: summary %q, want %q", tt.max, res.Summary, tt.want)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (Longest{}).Summarize(ctx, summary.Request{Transcript: transcript}); err == nil {
		t.Error("a cancelled context gave no error")
	}
}
