// Package prompt is the template format of the instructions sent to an LLM:
// the summarizer's prompt (PROMPT_FILE, with an embedded default) and the
// evaluation judge's rubric. A template is plain text in named parts
// ("=== system ===", "=== user ===") with {{name}} placeholders; its
// version is a short hash of its text, so that a report or a log line can
// say which template produced an answer.
//
// Data slots (the transcript, a summary under judgement) are filled by the
// renderer, never by the template: each is wrapped in its own tags and any
// look-alike of those tags inside the data is neutralised, so that no
// template, however written, lets a transcript close its own data block.
package prompt

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"os"
	"regexp"
	"slices"
	"strings"
)

// Spec says what a kind of template may contain.
type Spec struct {
	// Parts are the part names, in the order Render returns them; each must
	// appear once, and the last one holds every data slot.
	Parts []string
	// Values are the placeholders filled with text as it is.
	Values []string
	// Data are the slots filled with delimited, neutralised data; each is
	// required, exactly once, in the last part.
	Data []string
}

// Template is a parsed, validated template. It is read-only, safe for
// concurrent use.
type Template struct {
	spec    Spec
	text    string
	version string
	parts   [][]segment // by spec.Parts
	tags    []*regexp.Regexp
}

// segment is literal text, or a placeholder when name is set.
type segment struct {
	text, name string
}

// VersionLen is how many hex digits of the SHA-256 of a template's text its
// version keeps.
const VersionLen = 12

var (
	partLine    = regexp.MustCompile(`(?m)^=== *([a-z]+) *===[ \t]*$`)
	placeholder = regexp.MustCompile(`\{\{\s*([^{}]*?)\s*\}\}`)
)

// Load reads and parses the template file at path.
func Load(path string, spec Spec) (*Template, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read prompt: %w", err)
	}
	return Parse(string(b), spec)
}

// Parse validates text against spec: every part present once and nothing
// before the first, only known placeholders, and each data slot exactly
// once in the last part.
func Parse(text string, spec Spec) (*Template, error) {
	if strings.TrimSpace(text) == "" {
		return nil, errors.New("the template is empty")
	}
	t := &Template{spec: spec, text: text, version: version(text), parts: make([][]segment, len(spec.Parts))}
	marks := partLine.FindAllStringSubmatchIndex(text, -1)
	if len(marks) == 0 || strings.TrimSpace(text[:marks[0][0]]) != "" {
		return nil, fmt.Errorf("the template must start with a part line such as %q", "=== "+spec.Parts[0]+" ===")
	}
	seen := make([]bool, len(spec.Parts))
	var errs []error
	for i, m := range marks {
		name := text[m[2]:m[3]]
		end := len(text)
		if i+1 < len(marks) {
			end = marks[i+1][0]
		}
		k := slices.Index(spec.Parts, name)
		switch {
		case k < 0:
			errs = append(errs, fmt.Errorf("unknown part %q, want %s", name, strings.Join(spec.Parts, ", ")))
			continue
		case seen[k]:
			errs = append(errs, fmt.Errorf("part %q appears twice", name))
			continue
		}
		seen[k] = true
		segs, err := t.segments(strings.Trim(text[m[1]:end], "\n"))
		errs = append(errs, err)
		t.parts[k] = segs
	}
	for k, ok := range seen {
		if !ok {
			errs = append(errs, fmt.Errorf("part %q is missing", spec.Parts[k]))
		}
	}
	errs = append(errs, t.checkData())
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for _, d := range spec.Data {
		t.tags = append(t.tags, tagPattern(d))
	}
	return t, nil
}

// segments splits a part's text at its placeholders, rejecting unknown ones.
func (t *Template) segments(text string) ([]segment, error) {
	var out []segment
	var errs []error
	last := 0
	for _, m := range placeholder.FindAllStringSubmatchIndex(text, -1) {
		name := text[m[2]:m[3]]
		if !slices.Contains(t.spec.Values, name) && !slices.Contains(t.spec.Data, name) {
			errs = append(errs, fmt.Errorf("unknown placeholder {{%s}}, want one of %s", name, t.names()))
		}
		out = append(out, segment{text: text[last:m[0]]}, segment{name: name})
		last = m[1]
	}
	return append(out, segment{text: text[last:]}), errors.Join(errs...)
}

// checkData requires each data slot once, in the last part.
func (t *Template) checkData() error {
	var errs []error
	lastPart := t.spec.Parts[len(t.spec.Parts)-1]
	for _, d := range t.spec.Data {
		n := 0
		for k, segs := range t.parts {
			for _, s := range segs {
				if s.name != d {
					continue
				}
				if k != len(t.spec.Parts)-1 {
					errs = append(errs, fmt.Errorf("the {{%s}} slot must be in the %q part", d, lastPart))
				}
				n++
			}
		}
		switch {
		case n == 0:
			errs = append(errs, fmt.Errorf("the {{%s}} slot is missing (it goes in the %q part)", d, lastPart))
		case n > 1:
			errs = append(errs, fmt.Errorf("the {{%s}} slot appears %d times, want once", d, n))
		}
	}
	return errors.Join(errs...)
}

func (t *Template) names() string {
	var all []string
	for _, n := range append(slices.Clone(t.spec.Values), t.spec.Data...) {
		all = append(all, "{{"+n+"}}")
	}
	return strings.Join(all, " ")
}

// Version is the template's version: the first VersionLen hex digits of the
// SHA-256 of its text.
func (t *Template) Version() string { return t.version }

// Text is the template as written.
func (t *Template) Text() string { return t.text }

func version(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])[:VersionLen]
}

// tagPattern matches what could be tag name's opening or closing tag in
// data: the tag, closed by '>' or by the end of the data, or at the end of
// the data its start ("<", "</tran"). Data given in pieces (RenderBlocks)
// is neutralised piece by piece, and with the ends matched so a tag cut
// between two pieces loses its start.
func tagPattern(name string) *regexp.Regexp {
	prefix := "" // (?:t(?:r(?:a...)?)?)?: any start of the name, none included
	runes := []rune(strings.ToLower(name))
	for i := len(runes) - 1; i >= 0; i-- {
		prefix = "(?:" + regexp.QuoteMeta(string(runes[i])) + prefix + ")?"
	}
	return regexp.MustCompile(`(?i)<\s*/?\s*(?:` + regexp.QuoteMeta(name) + `\b[^>]*(?:>|\z)|` + prefix + `\z)`)
}

// Render fills the template and returns its parts in Spec.Parts order.
// Values fill value placeholders as they are; data slots get
// "<name>\n" + data + "\n</name>", with every data tag inside the data
// replaced by "[tag removed]". Missing entries render empty. Placeholder-like
// text inside a value or data is left alone: the template is filled in one
// pass.
func (t *Template) Render(values, data map[string]string) []string {
	pieces := make(map[string][]string, len(data))
	for k, v := range data {
		pieces[k] = []string{v}
	}
	parts, last := t.render(values, pieces, math.MaxInt)
	return append(parts, strings.Join(last, ""))
}

// BlockBytes is how long a piece of data must be for RenderBlocks to leave
// it a block of its own.
const BlockBytes = 4096

// RenderBlocks is Render for a message sent as several blocks of text, with
// data given in pieces: it returns the parts before the last, and the last
// part as blocks that, concatenated, are the part as Render writes it. A
// piece of at least BlockBytes that is not blank is a block of its own, the
// piece itself, so that long data is sent without being copied into the
// prompt; the template's text, the tags and shorter pieces are joined into
// the blocks between. Each piece is neutralised on its own.
func (t *Template) RenderBlocks(values map[string]string, data map[string][]string) (parts, blocks []string) {
	return t.render(values, data, BlockBytes)
}

// render fills the template; the last part comes in blocks, pieces of data
// of at least long bytes standing alone.
func (t *Template) render(values map[string]string, data map[string][]string, long int) (parts, blocks []string) {
	last := len(t.parts) - 1
	for _, segs := range t.parts[:last] {
		var b strings.Builder
		for _, s := range segs {
			if s.name == "" {
				b.WriteString(s.text)
			} else {
				b.WriteString(values[s.name])
			}
		}
		parts = append(parts, b.String())
	}
	var b strings.Builder
	for _, s := range t.parts[last] {
		switch {
		case s.name == "":
			b.WriteString(s.text)
		case slices.Contains(t.spec.Data, s.name):
			b.WriteString("<" + s.name + ">\n")
			for _, p := range data[s.name] {
				p = t.Neutralise(p)
				if len(p) < long || strings.TrimSpace(p) == "" {
					b.WriteString(p)
					continue
				}
				if b.Len() > 0 {
					blocks = append(blocks, b.String())
					b = strings.Builder{}
				}
				blocks = append(blocks, p)
			}
			b.WriteString("\n</" + s.name + ">")
		default:
			b.WriteString(values[s.name])
		}
	}
	if b.Len() > 0 || len(blocks) == 0 {
		blocks = append(blocks, b.String())
	}
	return parts, blocks
}

// Neutralise replaces anything in s that looks like one of the template's
// data tags, opening or closing (tagPattern), so that data cannot end its
// own block. Data with none is returned as it is, not copied.
func (t *Template) Neutralise(s string) string {
	if strings.IndexByte(s, '<') < 0 {
		return s
	}
	for _, re := range t.tags {
		if re.MatchString(s) {
			s = re.ReplaceAllString(s, "[tag removed]")
		}
	}
	return s
}
