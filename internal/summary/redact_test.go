package summary

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		// True positives.
		{"visa contiguous", "card 4111111111111111 please", "card [CARD] please"},
		{"visa spaced", "it's 4111 1111 1111 1111.", "it's [CARD]."},
		{"mastercard dashed", "5555-5555-5555-4444 on file", "[CARD] on file"},
		{"amex 4-6-5", "amex 3782 822463 10005 ok", "amex [CARD] ok"},
		{"ssn", "my SSN is 123-45-6789, thanks", "my SSN is [SSN], thanks"},
		{"email", "write to jane.doe+billing@example.co.uk today", "write to [EMAIL] today"},
		{"us phone parens", "call (555) 123-4567 now", "call [PHONE] now"},
		{"us phone dots", "call 555.123.4567", "call [PHONE]"},
		{"us phone dashes +1", "call +1 555-123-4567.", "call [PHONE]."},
		{"us phone 1-", "call 1-800-555-0199", "call [PHONE]"},
		{"uk phone", "ring +44 20 7946 0958 today", "ring [PHONE] today"},
		{"several", "email a@b.io or 555-123-4567", "email [EMAIL] or [PHONE]"},

		// False positives that must survive.
		{"order number", "order 123456789 shipped", "order 123456789 shipped"},
		{"long order number", "order #12345678901234 shipped", "order #12345678901234 shipped"},
		{"amount", "refund of $1,234.56 and $99.00", "refund of $1,234.56 and $99.00"},
		{"iso date", "on 2026-11-26 at 10:30", "on 2026-11-26 at 10:30"},
		{"us date", "due 11/26/2026 by 5:45 pm", "due 11/26/2026 by 5:45 pm"},
		{"ticket id", "ticket INC-555-123-4567 and TCK-123-45-6789", "ticket INC-555-123-4567 and TCK-123-45-6789"},
		{"non-luhn 16 digits", "ref 4111111111111112 ok", "ref 4111111111111112 ok"},
		{"non-luhn grouped", "ref 1234 5678 9012 3456 ok", "ref 1234 5678 9012 3456 ok"},
		{"invalid ssn 000", "id 000-12-3456", "id 000-12-3456"},
		{"invalid ssn 666", "id 666-12-3456", "id 666-12-3456"},
		{"invalid ssn 9xx", "id 912-12-3456", "id 912-12-3456"},
		{"local number without area", "extension 555-1234", "extension 555-1234"},
		{"version", "app version 10.2.3 build 4471", "app version 10.2.3 build 4471"},
		{"short intl", "+12 34", "+12 34"},
		{"no digits", "Agent: hello there", "Agent: hello there"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Redact(tt.in); got != tt.want {
				t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestRedactIdempotent(t *testing.T) {
	in := "card 4111 1111 1111 1111, ssn 123-45-6789, a@b.com, (555) 123-4567"
	once := Redact(in)
	if got := Redact(once); got != once {
		t.Errorf("Redact(Redact(x)) = %q, want %q", got, once)
	}
}

// fakeSummarizer is a Summarizer and Streamer whose behaviour tests set.
type fakeSummarizer struct {
	SummarizeFunc func(ctx context.Context, req Request) (Result, error)
	StreamFunc    func(ctx context.Context, req Request) (Stream, error)
}

var (
	_ Summarizer = (*fakeSummarizer)(nil)
	_ Streamer   = (*fakeSummarizer)(nil)
)

func (f *fakeSummarizer) Summarize(ctx context.Context, req Request) (Result, error) {
	return f.SummarizeFunc(ctx, req)
}

func (f *fakeSummarizer) SummarizeStream(ctx context.Context, req Request) (Stream, error) {
	return f.StreamFunc(ctx, req)
}

// sliceStream yields fixed deltas, then err (io.EOF when nil).
type sliceStream struct {
	deltas []string
	err    error
	res    Result
}

func (s *sliceStream) Recv() (string, error) {
	if len(s.deltas) == 0 {
		if s.err != nil {
			return "", s.err
		}
		return "", io.EOF
	}
	d := s.deltas[0]
	s.deltas = s.deltas[1:]
	return d, nil
}
func (s *sliceStream) Result() Result { return s.res }
func (s *sliceStream) Close() error   { return nil }

func TestRedactingSummarize(t *testing.T) {
	var seen string
	f := &fakeSummarizer{SummarizeFunc: func(_ context.Context, req Request) (Result, error) {
		seen = req.Transcript
		return Result{
			Summary:     "Customer at a@b.com gave card 4111111111111111.",
			KeyPoints:   []string{"phone (555) 123-4567"},
			ActionItems: []ActionItem{{Owner: OwnerAgent, Description: "email x@y.org"}},
		}, nil
	}}
	res, err := Redacting(f).Summarize(context.Background(), Request{Transcript: "Customer: my SSN is 123-45-6789"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := seen, "Customer: my SSN is [SSN]"; got != want {
		t.Errorf("summarizer saw %q, want %q", got, want)
	}
	if got, want := res.Summary, "Customer at [EMAIL] gave card [CARD]."; got != want {
		t.Errorf("summary = %q, want %q", got, want)
	}
	if got, want := res.KeyPoints[0], "phone [PHONE]"; got != want {
		t.Errorf("key point = %q, want %q", got, want)
	}
	if got, want := res.ActionItems[0].Description, "email [EMAIL]"; got != want {
		t.Errorf("action item = %q, want %q", got, want)
	}
}

func TestRedactingStream(t *testing.T) {
	tests := []struct {
		name   string
		deltas []string
		err    error
		want   string
	}{
		{"card split across deltas", []string{"Card 4111 11", "11 1111 ", "1111 was charged twice for the order."}, nil,
			"Card [CARD] was charged twice for the order."},
		{"phone at the very end", []string{"Call back on (555) ", "123-4567"}, nil, "Call back on [PHONE]"},
		{"email in one delta", []string{"Sent to ", "a@b.com", " and done with many more words here"}, nil,
			"Sent to [EMAIL] and done with many more words here"},
		{"midstream error", []string{"one two three four five six seven eight"}, errors.New("boom"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeSummarizer{StreamFunc: func(context.Context, Request) (Stream, error) {
				return &sliceStream{deltas: tt.deltas, err: tt.err}, nil
			}}
			st, err := Redacting(f).SummarizeStream(context.Background(), Request{})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			var b strings.Builder
			for {
				d, err := st.Recv()
				if err == io.EOF {
					break
				}
				if err != nil {
					if tt.err == nil {
						t.Fatalf("Recv: %v", err)
					}
					return
				}
				b.WriteString(d)
			}
			if tt.err != nil {
				t.Fatal("want an error from Recv, got EOF")
			}
			if got := b.String(); got != tt.want {
				t.Errorf("streamed %q, want %q", got, tt.want)
			}
		})
	}
}

func BenchmarkRedact200k(b *testing.B) {
	line := "Customer: my card is 4111 1111 1111 1111, call me on (555) 123-4567 or a@b.com, order 123456789 on 2026-11-26 for $1,234.56.\n"
	text := strings.Repeat(line, 200000/len(line)+1)[:200000]
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Redact(text)
	}
}

func BenchmarkRedact200kDigits(b *testing.B) {
	// Adversarial: all digits and separators, the worst case for the patterns.
	text := strings.Repeat("1234-5678 90.", 200000/13+1)[:200000]
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Redact(text)
	}
}

func BenchmarkRedact200kTypical(b *testing.B) {
	// A realistic call: mostly words, some numbers, one phone number a page.
	line := "Agent: Thanks for calling, I can see order 123456789 placed on 2026-11-26 for $84.20. Customer: Yes, it never arrived and I was charged twice.\n"
	page := strings.Repeat(line, 10) + "Customer: you can reach me on (555) 123-4567.\n"
	text := strings.Repeat(page, 200000/len(page)+1)[:200000]
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Redact(text)
	}
}

// TestRedactingTurns: a call with turns is redacted once, in its turns; the
// text they were read from does not reach the provider unredacted.
func TestRedactingTurns(t *testing.T) {
	var seen Request
	f := &fakeSummarizer{SummarizeFunc: func(_ context.Context, req Request) (Result, error) {
		seen = req
		return Result{}, nil
	}}
	req := Request{Transcript: "Customer: my SSN is 123-45-6789",
		Turns: []Turn{{Speaker: "Customer", Role: RoleCustomer, Text: "my SSN is 123-45-6789"}}}
	if _, err := Redacting(f).Summarize(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if seen.Transcript != "" {
		t.Errorf("provider saw transcript %q, want none: the turns are the call", seen.Transcript)
	}
	if got, want := seen.Turns[0].Text, "my SSN is [SSN]"; got != want {
		t.Errorf("provider saw turn %q, want %q", got, want)
	}
	if got, want := seen.Text(), "Customer: my SSN is [SSN]\n"; got != want {
		t.Errorf("Text() = %q, want %q", got, want)
	}
}
