package eval

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/llm-testing/llm-testing/internal/summary"
)

var screenshot = flag.String("screenshot", "", "save the screenshot of report.html that TestReportHTMLInChromium takes to this PNG path")

// claimJudge is a hand-written judge: a sentence naming Invented's refund is
// unsupported, every other sentence supported; a fact is stated when its
// first wording is in the summary.
type claimJudge struct{}

func (claimJudge) Name() string          { return "fake-judge" }
func (claimJudge) RubricVersion() string { return DefaultRubric().Version() }
func (claimJudge) Grade(_ context.Context, it Item, out Output) (Grade, error) {
	var g Grade
	for _, s := range strings.SplitAfter(out.Summary, ". ") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		support := Supported
		if strings.Contains(s, "$250") {
			support = Unsupported
		}
		g.Claims = append(g.Claims, Claim{Text: s, Support: support})
	}
	for _, f := range it.Must {
		g.Stated = append(g.Stated, contains(out.Summary, f[0]))
	}
	return g, nil
}

// shippedReport evaluates the shipped set's references, their corrupted
// copies and a lead baseline, judged by claimJudge.
func shippedReport(tb testing.TB) Report {
	tb.Helper()
	items, err := LoadSet("../../testdata/eval/calls.jsonl")
	if err != nil {
		tb.Fatal(err)
	}
	rep := Report{Dataset: "testdata/eval/calls.jsonl", CreatedAt: time.Now().UTC(), Items: len(items),
		Judge: &JudgeInfo{Name: "fake-judge", RubricVersion: DefaultRubric().Version()}}
	for _, t := range []Target{ReferenceTarget{}, CorruptTarget{}, NewSummarizerTarget("lead:40", Lead{N: 40}, summary.Policy{})} {
		r, err := Evaluate(context.Background(), t, items, RunOptions{Concurrency: 4, Judge: claimJudge{}})
		if err != nil {
			tb.Fatal(err)
		}
		rep.Runs = append(rep.Runs, r)
	}
	if rep.Comparisons, err = CompareAll(rep.Runs); err != nil {
		tb.Fatal(err)
	}
	return rep
}

// TestReportHTML checks the page without a browser: self-contained, every
// item once, worst first, facts and unsupported claims marked.
func TestReportHTML(t *testing.T) {
	rep := shippedReport(t)
	var buf bytes.Buffer
	if err := rep.HTML(&buf); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	if m := regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?(https?:)?//`).FindString(page); m != "" {
		t.Errorf("report.html loads something from the network: %s", m)
	}
	for _, r := range rep.Runs[0].Items {
		if n := strings.Count(page, `data-id="`+r.ID+`"`); n != 1 {
			t.Errorf("item %s appears %d times, want once", r.ID, n)
		}
	}
	for _, want := range []string{fmt.Sprintf("%d items,", rep.Items), `<mark class="unsupported">` + Invented + `</mark>`, `class="missed"`, `class="found"`,
		"<svg", "p adj. (Holm)", "corrupt vs reference (baseline)", "lead:40 vs reference (baseline)", "judge: faithfulness"} {
		if !strings.Contains(page, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	items := rep.htmlItems()
	for i := 1; i < len(items); i++ {
		if items[i].Worst < items[i-1].Worst {
			t.Fatalf("items not worst first: %s (%.2f) after %s (%.2f)", items[i].ID, items[i].Worst, items[i-1].ID, items[i-1].Worst)
		}
	}
}

// chromium finds Debian's chromium (or another name for it) on PATH.
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestReportHTMLInChromium opens report.html in headless Chromium, checks
// that the page's script ran and rendered every item, and saves a
// screenshot (-screenshot to keep it).
func TestReportHTMLInChromium(t *testing.T) {
	bin := chromium()
	if bin == "" {
		t.Skip("chromium is not installed (apt-get install -y chromium): report.html not rendered")
	}
	dir := t.TempDir()
	rep := shippedReport(t)
	if _, _, err := rep.Write(dir); err != nil {
		t.Fatal(err)
	}
	url := "file://" + filepath.Join(dir, "report.html")
	browse := func(args ...string) []byte {
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
			"--user-data-dir=" + t.TempDir()}
		out, err := exec.CommandContext(ctx, bin, append(append(base, args...), url)...).Output()
		if err != nil {
			t.Fatalf("chromium %v: %v\n%s", args, err, out)
		}
		return out
	}
	dom := string(browse("--dump-dom", "--window-size=1400,2200"))
	n := len(rep.Runs[0].Items)
	if want := fmt.Sprintf("%d of %d items shown", n, n); !strings.Contains(dom, want) {
		t.Errorf("rendered page lacks %q: the script did not run over every item", want)
	}
	for _, r := range rep.Runs[0].Items {
		if !strings.Contains(dom, `data-id="`+r.ID+`"`) {
			t.Errorf("rendered page lacks item %s", r.ID)
		}
	}
	png := *screenshot
	if png == "" {
		png = filepath.Join(dir, "report.png")
	}
	browse("--screenshot="+png, "--window-size=1400,4200")
	b, err := os.ReadFile(png)
	if err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) || len(b) < 10000 {
		t.Fatalf("screenshot %s: %d bytes, %v", png, len(b), err)
	}
	t.Logf("report.html rendered with %d items; screenshot %s (%d bytes)", n, png, len(b))
}
