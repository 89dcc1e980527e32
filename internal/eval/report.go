package eval

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is everything one evaluation produced: report.json holds it whole.
type Report struct {
	Dataset   string    `json:"dataset"`
	CreatedAt time.Time `json:"createdAt"`
	Items     int       `json:"items"`
	Runs      []Run     `json:"runs"`
	// Comparisons compare each run after the first with the first, the
	// baseline (CompareAll).
	Comparisons []Comparison `json:"comparisons,omitempty"`
	Judge       *JudgeInfo   `json:"judge,omitempty"`
	Cache       *CacheStats  `json:"cache,omitempty"`
	Gate        *GateResult  `json:"gate,omitempty"`
}

// JudgeInfo names the judge of a report and what it cost.
type JudgeInfo struct {
	Name          string `json:"name"`
	RubricVersion string `json:"rubricVersion"`
	// CostUSD is the judge's estimated total over every run, nil when a
	// grade's cost was unknown.
	CostUSD *float64 `json:"estimatedCostUsd,omitempty"`
}

// Write saves report.json, report.md and report.html in dir, creating it,
// and returns the paths of the first two (report.html sits beside them).
func (r Report) Write(dir string) (jsonPath, mdPath string, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", fmt.Errorf("create report dir: %w", err)
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return "", "", fmt.Errorf("encode report: %w", err)
	}
	jsonPath = filepath.Join(dir, "report.json")
	if err := os.WriteFile(jsonPath, append(b, '\n'), 0o644); err != nil {
		return "", "", fmt.Errorf("write report: %w", err)
	}
	var md bytes.Buffer
	r.Markdown(&md)
	mdPath = filepath.Join(dir, "report.md")
	if err := os.WriteFile(mdPath, md.Bytes(), 0o644); err != nil {
		return "", "", fmt.Errorf("write report: %w", err)
	}
	var page bytes.Buffer
	if err := r.HTML(&page); err != nil {
		return "", "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "report.html"), page.Bytes(), 0o644); err != nil {
		return "", "", fmt.Errorf("write report: %w", err)
	}
	return jsonPath, mdPath, nil
}

// aggregateRows are the rows of the aggregate tables: label, JSON name.
var aggregateRows = [][2]string{
	{"ROUGE-1 F1", "rouge1"}, {"ROUGE-2 F1", "rouge2"}, {"ROUGE-L F1", "rougeL"},
	{"fact recall", "factRecall"}, {"forbidden hits / item", "forbidden"},
	{"maxLength compliance", "compliance"}, {"truncated", "truncated"},
	{"errors", "errors"}, {"latency mean ms", "latencyMeanMs"},
	{"latency p50 ms", "latencyP50Ms"}, {"latency p95 ms", "latencyP95Ms"},
	{"input tokens", "inputTokens"}, {"output tokens", "outputTokens"},
	{"est. cost USD", "estimatedCostUsd"}, {"cached", "cached"},
	{"citation validity", "citationValidity"}, {"items citing turns", "citingItems"},
	{"judge: faithfulness", "faithfulness"}, {"judge: coverage", "judgeCoverage"},
	{"judge: unsupported / item", "unsupported"}, {"judge: sections agree", "sectionsAgree"},
	{"judge: failed", "judgeFailed"}, {"judge: cost USD", "judgeCostUsd"},
}

func formatValue(name string, v float64, ok bool) string {
	switch {
	case !ok:
		return "n/a"
	case strings.HasSuffix(name, "CostUsd"):
		return fmt.Sprintf("%.4f", v)
	case strings.HasSuffix(name, "Ms"):
		return fmt.Sprintf("%.1f", v)
	case name == "errors" || name == "cached" || name == "citingItems" || name == "judgeFailed" || strings.HasSuffix(name, "Tokens"):
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.3f", v)
}

// Table writes the aggregates, the comparison and the gate for a terminal.
func (r Report) Table(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "metric")
	for _, run := range r.Runs {
		fmt.Fprintf(tw, "\t%s", run.Target)
	}
	fmt.Fprintln(tw)
	fmt.Fprint(tw, "prompt version")
	for _, run := range r.Runs {
		fmt.Fprintf(tw, "\t%s", orNA(run.PromptVersion))
	}
	fmt.Fprintln(tw)
	for _, row := range r.rows() {
		fmt.Fprint(tw, row[0])
		for _, run := range r.Runs {
			v, ok := run.Aggregate.Value(row[1])
			fmt.Fprintf(tw, "\t%s", formatValue(row[1], v, ok))
		}
		fmt.Fprintln(tw)
	}
	for _, c := range r.Comparisons {
		fmt.Fprintf(tw, "\ncompare\tA=%s\tB=%s\tA-B\tP(A>B)\tp adj.\tverdict\n", c.A, c.B)
		for _, m := range c.Metrics {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", compareCells(m)...)
		}
	}
	if j := r.Judge; j != nil {
		fmt.Fprintf(tw, "\njudge\t%s\trubric %s\n", j.Name, j.RubricVersion)
	}
	if c := r.Cache; c != nil {
		fmt.Fprintf(tw, "cache\t%d hits, %d misses\tsaved $%.4f\t%s\n", c.Hits, c.Misses, c.SavedUSD, c.Dir)
	}
	for _, run := range r.Runs {
		for _, it := range run.Items {
			if it.Failed() {
				fmt.Fprintf(tw, "\nerror\t%s\t%s\t%s", run.Target, it.ID, it.Error)
			}
		}
	}
	if g := r.Gate; g != nil {
		fmt.Fprintf(tw, "\ngate\t%s\n", passWord(g.Passed))
		for _, c := range g.Checks {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", strings.TrimSpace(c.Target+" "+c.Threshold), checkValue(c), passWord(c.Passed))
		}
	}
	return tw.Flush()
}

// compareCells are a comparison row: metric, A, B, A-B, P(A>B), adjusted
// p, verdict; "n/a" for the numbers of a metric a target does not report.
func compareCells(m MetricDelta) []any {
	if !m.Reported() {
		return []any{m.Metric, "n/a", "n/a", "n/a", "n/a", "n/a", m.Verdict + " by " + m.NotReportedBy}
	}
	return []any{m.Metric, formatValue(m.Metric, m.A, true), formatValue(m.Metric, m.B, true),
		fmt.Sprintf("%+.3f", m.Delta), fmt.Sprintf("%.3f", m.PAGreater), fmt.Sprintf("%.3f", m.PAdjusted), m.Verdict}
}

// rows are the aggregate rows some run reports: the judge's only with a
// judge, ROUGE only with references.
func (r Report) rows() [][2]string {
	var out [][2]string
	for _, row := range aggregateRows {
		for _, run := range r.Runs {
			if _, ok := run.Aggregate.Value(row[1]); ok {
				out = append(out, row)
				break
			}
		}
	}
	return out
}

func orNA(s string) string {
	if s == "" {
		return "n/a"
	}
	return s
}

func passWord(ok bool) string {
	if ok {
		return "PASS"
	}
	return "FAIL"
}

func checkValue(c Check) string {
	if c.Reason != "" {
		return c.Reason
	}
	return fmt.Sprintf("%.4g", c.Value)
}

// markdownItems writes one row per item of the run: scores, and what it
// missed, failed or claimed without support.
func (run Run) markdownItems(w io.Writer) {
	fmt.Fprintf(w, "\n## Items: `%s`\n\n", run.Target)
	fmt.Fprint(w, "| id | R-1 | R-2 | R-L | facts | forbidden | words/max | ms | note |\n|---|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, it := range run.Items {
		s := it.Scores
		note := ""
		switch {
		case it.Failed():
			note = "error: " + strings.ReplaceAll(it.Error, "|", "/")
		case len(s.MissedFacts) > 0:
			note = "missed: " + strings.ReplaceAll(strings.Join(s.MissedFacts, "; "), "|", "/")
		}
		if j := it.Judge; j.Failed() {
			note += " " + strings.ReplaceAll(j.Error, "|", "/")
		} else if j != nil && len(j.Unsupported) > 0 {
			note += " unsupported: " + strings.ReplaceAll(strings.Join(j.Unsupported, "; "), "|", "/")
		}
		fmt.Fprintf(w, "| %s | %.3f | %.3f | %.3f | %d/%d | %d | %d/%d | %.1f | %s |\n", it.ID,
			s.Rouge1.F1, s.Rouge2.F1, s.RougeL.F1, s.FactsFound, s.FactsTotal, len(s.Forbidden),
			s.Words, s.MaxLength, it.LatencyMs, note)
	}
}

// Markdown writes the report as Markdown tables: aggregates, comparison,
// gate, then one row per item.
func (r Report) Markdown(w io.Writer) {
	fmt.Fprintf(w, "# Evaluation report\n\nSet `%s`, %d items, %s.\n\n", r.Dataset, r.Items, r.CreatedAt.UTC().Format(time.RFC3339))
	fmt.Fprint(w, "| metric |")
	for _, run := range r.Runs {
		fmt.Fprintf(w, " `%s` |", run.Target)
	}
	fmt.Fprint(w, "\n|---|"+strings.Repeat("---:|", len(r.Runs))+"\n")
	fmt.Fprint(w, "| prompt version |")
	for _, run := range r.Runs {
		fmt.Fprintf(w, " %s |", orNA(run.PromptVersion))
	}
	fmt.Fprintln(w)
	for _, row := range r.rows() {
		fmt.Fprintf(w, "| %s |", row[0])
		for _, run := range r.Runs {
			v, ok := run.Aggregate.Value(row[1])
			fmt.Fprintf(w, " %s |", formatValue(row[1], v, ok))
		}
		fmt.Fprintln(w)
	}
	for _, c := range r.Comparisons {
		fmt.Fprintf(w, "\n## Comparison\n\nA = `%s`, B = `%s` (the baseline), %d paired items, paired bootstrap with %d resamples; "+
			"p-values adjusted by Holm's method over %d comparisons.\n\n", c.A, c.B, c.Paired, Resamples, len(r.Comparisons))
		fmt.Fprint(w, "| metric | A | B | A−B | P(A>B) | p adj. | verdict |\n|---|---:|---:|---:|---:|---:|---|\n")
		for _, m := range c.Metrics {
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s |\n", compareCells(m)...)
		}
	}
	if j := r.Judge; j != nil {
		fmt.Fprintf(w, "\nJudge `%s`, rubric version `%s`.\n", j.Name, j.RubricVersion)
	}
	if c := r.Cache; c != nil {
		fmt.Fprintf(w, "\nCache `%s`: %d hits, %d misses, $%.4f saved.\n", c.Dir, c.Hits, c.Misses, c.SavedUSD)
	}
	if g := r.Gate; g != nil {
		fmt.Fprintf(w, "\n## Gate: %s\n\n| target | threshold | value | result |\n|---|---|---:|---|\n", passWord(g.Passed))
		for _, c := range g.Checks {
			fmt.Fprintf(w, "| %s | `%s` | %s | %s |\n", orNA(c.Target), c.Threshold, checkValue(c), passWord(c.Passed))
		}
	}
	for _, run := range r.Runs {
		run.markdownItems(w)
	}
}
