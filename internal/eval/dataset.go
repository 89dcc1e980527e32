package eval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// Item is one call of an evaluation set: a JSONL line.
type Item struct {
	// ID names the call in reports; unique within a set.
	ID string `json:"id"`
	// Transcript is the call as the API receives it as text. An item holds
	// exactly one of Transcript, Turns and Document, as a request does.
	Transcript string `json:"transcript,omitempty"`
	// Turns is the call as the API's turns.
	Turns []Turn `json:"turns,omitempty"`
	// Document is the call as the JSON an AWS service wrote (the API's
	// document; its format is detected).
	Document map[string]any `json:"document,omitempty"`
	// Reference is a summary written by a person, scored against with ROUGE.
	// It is optional: an item without one (a real call nobody summarised by
	// hand) is not scored with ROUGE, and the judge's metrics still are.
	Reference string `json:"reference,omitempty"`
	// Must lists the facts a good summary states; each fact is a list of
	// alternative wordings, any of which counts.
	Must [][]string `json:"must"`
	// MustNot lists text a summary must not contain: things that did not
	// happen, or personal data that has to be redacted.
	MustNot []string `json:"mustNot,omitempty"`
	// Options are the API's summarize options for this call.
	Options Options `json:"options,omitzero"`
	// Split is the part of the set the item belongs to: SplitTune (look at
	// it while changing a summarizer) or SplitReport (held out: only
	// report on it); "" in a set that is not split.
	Split string `json:"split,omitempty"`
}

// Options mirrors the API's SummarizeOptions.
type Options struct {
	MaxLength int      `json:"maxLength,omitempty"`
	Format    string   `json:"format,omitempty"`
	Sections  []string `json:"sections,omitempty"`
}

// MaxLength returns the item's word limit, or the API's default.
func (it Item) MaxLength() int {
	if it.Options.MaxLength > 0 {
		return it.Options.MaxLength
	}
	return summary.DefaultMaxLength
}

// Request returns the domain request the API would build for the item.
func (it Item) Request() summary.Request {
	format := summary.Format(it.Options.Format)
	if format == "" {
		format = summary.FormatParagraph
	}
	sections := make([]summary.Section, 0, len(it.Options.Sections))
	for _, s := range it.Options.Sections {
		sections = append(sections, summary.Section(s))
	}
	return summary.Request{ID: it.ID, Transcript: it.Transcript, Turns: it.CallTurns(), MaxLength: it.MaxLength(), Format: format, Sections: sections}
}

// LoadSet reads a JSONL evaluation set from path.
func LoadSet(path string) ([]Item, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open set: %w", err)
	}
	defer f.Close()
	items, err := ReadSet(f)
	if err != nil {
		return nil, fmt.Errorf("read set %s: %w", path, err)
	}
	return items, nil
}

// ReadSet parses a JSONL evaluation set, one Item a line (blank lines and
// lines starting with // are skipped), and validates it.
func ReadSet(r io.Reader) ([]Item, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
	var items []Item
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 || bytes.HasPrefix(b, []byte("//")) {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		var it Item
		if err := dec.Decode(&it); err != nil {
			return nil, fmt.Errorf("line %d: decode item: %w", line, err)
		}
		items = append(items, it)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("scan lines: %w", err)
	}
	if err := Validate(items); err != nil {
		return nil, err
	}
	return items, nil
}

// Validate checks what scoring relies on: ids present and unique, a
// transcript the API accepts, a reference that is not blank when given, facts without empty wordings, and
// options within the API's bounds.
func Validate(items []Item) error {
	if len(items) == 0 {
		return errors.New("set has no items")
	}
	seen := make(map[string]bool, len(items))
	var errs []error
	for i, it := range items {
		where := fmt.Sprintf("item %d (%s)", i+1, it.ID)
		switch {
		case it.ID == "":
			errs = append(errs, fmt.Errorf("item %d: missing id", i+1))
		case seen[it.ID]:
			errs = append(errs, fmt.Errorf("%s: duplicate id", where))
		}
		seen[it.ID] = true
		if err := it.validCall(); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", where, err))
		}
		if it.Reference != "" && strings.TrimSpace(it.Reference) == "" {
			errs = append(errs, fmt.Errorf("%s: reference is blank (leave it out instead)", where))
		}
		for j, fact := range it.Must {
			if len(fact) == 0 || slicesHasBlank(fact) {
				errs = append(errs, fmt.Errorf("%s: must fact %d has an empty wording", where, j+1))
			}
		}
		if slicesHasBlank(it.MustNot) {
			errs = append(errs, fmt.Errorf("%s: mustNot has an empty entry", where))
		}
		if m := it.Options.MaxLength; m != 0 && (m < summary.MinMaxLength || m > summary.MaxMaxLength) {
			errs = append(errs, fmt.Errorf("%s: maxLength %d, want %d..%d", where, m, summary.MinMaxLength, summary.MaxMaxLength))
		}
		if f := it.Options.Format; f != "" && f != string(summary.FormatParagraph) && f != string(summary.FormatBullets) {
			errs = append(errs, fmt.Errorf("%s: format %q, want paragraph or bullets", where, f))
		}
		if it.Split != "" && !validSplit(it.Split) {
			errs = append(errs, fmt.Errorf("%s: split %q, want %s", where, it.Split, splitsWanted))
		}
	}
	return errors.Join(errs...)
}

func slicesHasBlank(ss []string) bool {
	for _, s := range ss {
		if strings.TrimSpace(s) == "" {
			return true
		}
	}
	return false
}
