package local

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/llm-testing/llm-testing/internal/summary"
)

func TestSummarizeStreamDeliversTheSummary(t *testing.T) {
	req := summary.Request{Transcript: readSample(t, "billing_dispute.txt"), MaxLength: 80,
		Format: summary.FormatBullets, Sections: allSections}
	want, err := New().Summarize(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	st, err := New().SummarizeStream(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var b strings.Builder
	for {
		p, err := st.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(p)
	}
	if b.String() != want.Summary {
		t.Errorf("streamed text differs from Summarize:\n%q\n%q", b.String(), want.Summary)
	}
	if res := st.Result(); res.Model != Model || res.Resolution != want.Resolution || res.Usage != want.Usage && res.Usage.OutputTokens != want.Usage.OutputTokens {
		t.Errorf("Result() = %+v, want the Summarize result without text", res)
	}
}
