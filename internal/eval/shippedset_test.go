package eval

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

//go:generate go test -run TestShippedSet|TestDialogueSet|TestAWSDocumentSet -update .

var update = flag.Bool("update", false, "rewrite testdata/eval/calls.jsonl from testdata/eval/calls/*.txt and the long-call generator")

const (
	shippedSet     = "../../testdata/eval/calls.jsonl"
	shippedSources = "../../testdata/eval/calls"
)

// parseSource reads one hand-written call: "key: value" header lines
// (id, split, maxLength, format, sections, reference, must, mustNot; must and
// mustNot repeat, a must's wordings separated by " | "), a "---" line, then
// the transcript.
func parseSource(text string) (Item, error) {
	head, transcript, ok := strings.Cut(text, "\n---\n")
	if !ok {
		return Item{}, fmt.Errorf("no --- line between header and transcript")
	}
	it := Item{Transcript: strings.TrimSpace(transcript)}
	for line := range strings.SplitSeq(head, "\n") {
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			return Item{}, fmt.Errorf("header line %q: want key: value", line)
		}
		val = strings.TrimSpace(val)
		switch key {
		case "id":
			it.ID = val
		case "reference":
			it.Reference = val
		case "split":
			it.Split = val
		case "maxLength":
			n, err := strconv.Atoi(val)
			if err != nil {
				return Item{}, fmt.Errorf("maxLength %q: %w", val, err)
			}
			it.Options.MaxLength = n
		case "format":
			it.Options.Format = val
		case "sections":
			for s := range strings.SplitSeq(val, ",") {
				it.Options.Sections = append(it.Options.Sections, strings.TrimSpace(s))
			}
		case "must":
			var fact []string
			for alt := range strings.SplitSeq(val, "|") {
				fact = append(fact, strings.TrimSpace(alt))
			}
			it.Must = append(it.Must, fact)
		case "mustNot":
			it.MustNot = append(it.MustNot, val)
		default:
			return Item{}, fmt.Errorf("unknown header key %q", key)
		}
	}
	return it, nil
}

func buildShippedSet(tb testing.TB) []byte {
	tb.Helper()
	buf, enc := encodeSources(tb, shippedSources)
	if err := enc.Encode(longCall()); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// encodeSources parses the hand-written calls in dir/*.txt, in name order,
// into JSONL; more items can be encoded after them.
func encodeSources(tb testing.TB, dir string) (*bytes.Buffer, *json.Encoder) {
	tb.Helper()
	return encodeFrom(tb, dir, parseSource)
}

// encodeFrom is encodeSources with parse reading each source.
func encodeFrom(tb testing.TB, dir string, parse func(string) (Item, error)) (*bytes.Buffer, *json.Encoder) {
	tb.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(paths) == 0 {
		tb.Fatalf("glob sources: %v (%d files)", err, len(paths))
	}
	sort.Strings(paths)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		it, err := parse(string(b))
		if err != nil {
			tb.Fatalf("parse %s: %v", p, err)
		}
		if want := splitByNumber(filepath.Base(p)); it.Split != want {
			tb.Errorf("%s: split %q, want %q (odd numbers tune, even report)", p, it.Split, want)
		}
		if err := enc.Encode(it); err != nil {
			tb.Fatal(err)
		}
	}
	return &buf, enc
}

// splitByNumber returns the part of the split a source belongs to by the
// number its name starts with, as docs/evaluation.md's held-out discipline
// says: odd numbers tune, even report; "" for a name without a number.
func splitByNumber(name string) string {
	num, _, _ := strings.Cut(name, "-")
	n, err := strconv.Atoi(num)
	switch {
	case err != nil:
		return ""
	case n%2 == 1:
		return SplitTune
	default:
		return SplitReport
	}
}

// syncSet rewrites the set at path with want under -update, fails the test
// when the file differs from want, and returns the set's items.
func syncSet(t *testing.T, path string, want []byte) []Item {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is out of date with its sources: run go generate ./internal/eval", path)
	}
	items, err := LoadSet(path)
	if err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
	return items
}

// checkReference fails when an item's reference misses one of its facts or
// holds a forbidden phrase: every fact must be checkable against the
// reference, and if the person's own summary misses it, it is mis-worded.
func checkReference(t *testing.T, it Item) {
	t.Helper()
	if _, recall, missed := FactRecall(it.Reference, it.Must); recall != 1 {
		t.Errorf("reference misses facts %q", missed)
	}
	if hits := ForbiddenHits(it.Reference, it.MustNot); len(hits) > 0 {
		t.Errorf("reference contains forbidden %q", hits)
	}
}

// TestShippedSet keeps testdata/eval/calls.jsonl in step with its sources
// (run with -update to rewrite it) and checks what the issue asks of it.
func TestShippedSet(t *testing.T) {
	items := syncSet(t, shippedSet, buildShippedSet(t))
	if len(items) < 30 {
		t.Errorf("shipped set has %d items, want at least 30", len(items))
	}
	longest := 0
	for _, it := range items {
		t.Run(it.ID, func(t *testing.T) {
			if len(it.Must) == 0 {
				t.Error("no must facts")
			}
			if n := len(strings.Fields(it.Reference)); n < 30 || n > 130 {
				t.Errorf("reference has %d words, want about 40..120", n)
			}
			checkReference(t, it)
		})
		longest = max(longest, len(strings.Fields(it.Transcript)))
	}
	if longest <= 20000 {
		t.Errorf("longest transcript has %d words, want over 20,000", longest)
	}
}
