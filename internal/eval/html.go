package eval

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"
	"strings"
)

//go:embed report.html.tmpl
var htmlSource string

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"pct": func(v float64) string { return fmt.Sprintf("%.0f%%", 100*v) },
}).Parse(htmlSource))

// HTML writes report.html: one self-contained page (no network) with the
// aggregates and their intervals, a chart per metric across targets, the
// comparisons, and every item with each target's summary side by side,
// worst items first, filterable.
func (r Report) HTML(w io.Writer) error {
	if err := htmlTemplate.Execute(w, r.page()); err != nil {
		return fmt.Errorf("render report.html: %w", err)
	}
	return nil
}

// htmlPage is what the template renders.
type htmlPage struct {
	Report
	Targets []string
	Prompts []string
	Rows    []htmlRow
	Charts  []htmlChart
	Cards   []htmlItem
}

type htmlRow struct {
	Label string
	Cells []string
}

// htmlChart is one metric across targets as horizontal bars with interval
// whiskers, laid out here so the template only draws.
type htmlChart struct {
	Label  string
	Height int
	Bars   []htmlBar
}

type htmlBar struct {
	Target           string
	Y, Width, Lo, Hi float64
	Value            string
	Interval         bool
}

type htmlItem struct {
	ID      string
	Worst   float64
	Problem bool
	Search  string
	Cells   []htmlCell
}

type htmlCell struct {
	Target      string
	Error       string
	Summary     template.HTML
	Facts       []htmlFact
	Unsupported []string
	JudgeError  string
	Scores      string
}

type htmlFact struct {
	Text      string
	Found     bool
	JudgeSaid string // "stated", "missed" or ""
}

// chartWidth is the width, in SVG units, of a full bar.
const chartWidth = 300.0

func (r Report) page() htmlPage {
	p := htmlPage{Report: r}
	for _, run := range r.Runs {
		p.Targets = append(p.Targets, run.Target)
		p.Prompts = append(p.Prompts, orNA(run.PromptVersion))
	}
	for _, row := range r.rows() {
		hr := htmlRow{Label: row[0]}
		for _, run := range r.Runs {
			v, ok := run.Aggregate.Value(row[1])
			cell := formatValue(row[1], v, ok)
			if iv, has := run.Intervals[row[1]]; has && ok {
				cell += fmt.Sprintf(" [%s, %s]", formatValue(row[1], iv[0], true), formatValue(row[1], iv[1], true))
			}
			hr.Cells = append(hr.Cells, cell)
		}
		p.Rows = append(p.Rows, hr)
		if c, ok := r.chart(row); ok {
			p.Charts = append(p.Charts, c)
		}
	}
	p.Cards = r.htmlItems()
	return p
}

// chart draws a metric that has intervals, scaled to its largest upper
// bound (to 1 for a share).
func (r Report) chart(row [2]string) (htmlChart, bool) {
	top := 0.0
	for _, run := range r.Runs {
		if iv, ok := run.Intervals[row[1]]; ok {
			top = max(top, iv[1])
		}
	}
	if top == 0 && !slices.ContainsFunc(r.Runs, func(run Run) bool { _, ok := run.Intervals[row[1]]; return ok }) {
		return htmlChart{}, false
	}
	if top <= 1 {
		top = 1
	}
	c := htmlChart{Label: row[0], Height: 24*len(r.Runs) + 8}
	for i, run := range r.Runs {
		v, ok := run.Aggregate.Value(row[1])
		iv, has := run.Intervals[row[1]]
		b := htmlBar{Target: run.Target, Y: float64(24*i + 4), Value: formatValue(row[1], v, ok), Interval: has}
		if ok {
			b.Width = chartWidth * v / top
		}
		if has {
			b.Lo, b.Hi = chartWidth*iv[0]/top, chartWidth*iv[1]/top
		}
		c.Bars = append(c.Bars, b)
	}
	return c, true
}

// htmlItems are the items with every run's answer, worst first: by the
// lowest quality any target got on them.
func (r Report) htmlItems() []htmlItem {
	if len(r.Runs) == 0 {
		return nil
	}
	var out []htmlItem
	for i, first := range r.Runs[0].Items {
		it := htmlItem{ID: first.ID, Worst: math.Inf(1)}
		search := []string{first.ID}
		for _, run := range r.Runs {
			if i >= len(run.Items) {
				continue
			}
			res := run.Items[i]
			q := quality(res)
			it.Worst = min(it.Worst, q)
			cell := htmlCellOf(run.Target, res)
			it.Problem = it.Problem || res.Failed() || len(cell.Unsupported) > 0 || len(res.Scores.MissedFacts) > 0 ||
				res.Judge.Failed() || len(res.Scores.Forbidden) > 0
			it.Cells = append(it.Cells, cell)
			search = append(search, res.Summary)
		}
		it.Search = strings.ToLower(strings.Join(search, " "))
		out = append(out, it)
	}
	slices.SortStableFunc(out, func(a, b htmlItem) int {
		switch {
		case a.Worst < b.Worst:
			return -1
		case a.Worst > b.Worst:
			return 1
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// quality is an item's score for ordering: the mean of fact recall and,
// when graded, the judge's coverage and faithfulness; 0 when it failed.
func quality(r ItemResult) float64 {
	if r.Failed() {
		return 0
	}
	xs := []float64{r.Scores.FactRecall}
	if graded(r) {
		xs = append(xs, r.Judge.Coverage, r.Judge.Faithfulness)
	}
	return mean(xs)
}

func htmlCellOf(target string, r ItemResult) htmlCell {
	c := htmlCell{Target: target, Error: r.Error}
	if j := r.Judge; j.Failed() {
		c.JudgeError = j.Error
	} else if j != nil {
		c.Unsupported = j.Unsupported
	}
	c.Summary = markClaims(r.Summary, c.Unsupported)
	for k, f := range r.Scores.Facts {
		hf := htmlFact{Text: f, Found: !r.Failed() && !slices.Contains(r.Scores.MissedFacts, f)}
		if graded(r) && k < len(r.Judge.Stated) {
			hf.JudgeSaid = map[bool]string{true: "stated", false: "missed"}[r.Judge.Stated[k]]
		}
		c.Facts = append(c.Facts, hf)
	}
	s := r.Scores
	c.Scores = fmt.Sprintf("facts %d/%d · words %d/%d", s.FactsFound, s.FactsTotal, s.Words, s.MaxLength)
	if !s.NoReference {
		c.Scores += fmt.Sprintf(" · R-L %.2f", s.RougeL.F1)
	}
	if cites(r) {
		c.Scores += fmt.Sprintf(" · citations %d/%d hold up", r.Citations.Supported, r.Citations.Cited)
	}
	if graded(r) {
		c.Scores += fmt.Sprintf(" · faithful %.2f · coverage %.2f", r.Judge.Faithfulness, r.Judge.Coverage)
	}
	if r.Cached {
		c.Scores += " · cached"
	}
	return c
}

// markClaims escapes text and wraps each unsupported claim found in it
// verbatim (case-insensitively) in <mark class="unsupported">.
func markClaims(text string, claims []string) template.HTML {
	lower := strings.ToLower(text)
	type span struct{ lo, hi int }
	var spans []span
	for _, c := range claims {
		c = strings.ToLower(strings.TrimSpace(c))
		if c == "" {
			continue
		}
		if i := strings.Index(lower, c); i >= 0 && len(lower) == len(text) {
			spans = append(spans, span{i, i + len(c)})
		}
	}
	slices.SortFunc(spans, func(a, b span) int { return a.lo - b.lo })
	var b strings.Builder
	at := 0
	for _, s := range spans {
		if s.lo < at {
			continue // overlaps the previous mark
		}
		b.WriteString(template.HTMLEscapeString(text[at:s.lo]))
		b.WriteString(`<mark class="unsupported">` + template.HTMLEscapeString(text[s.lo:s.hi]) + `</mark>`)
		at = s.hi
	}
	b.WriteString(template.HTMLEscapeString(text[at:]))
	return template.HTML(b.String())
}
