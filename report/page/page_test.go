package page

import (
	"bytes"
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/concbench/concbench/report/chart"
)

func sample() (*Page, *chart.Chart, *chart.Chart) {
	a := chart.New("speedup-hash", "hash: speedup <vs> cores", "cores", "speedup")
	a.Caption = "A caption with *stars* & <tags>."
	b := chart.New("speedup-many", "many", "x", "y")
	b.SVGOnly = true
	b.Lacks("no seq")
	pg := &Page{Title: "concbench report: ci & co"}
	pg.P("From %d files.", 2)
	pg.H(2, "Verdicts")
	pg.Add(Bullets{Items: []string{"hash: parallelism wins <b>", "a_b"}})
	pg.H(3, "Details")
	pg.Add(Table{Head: []string{"model", "speedup"}, Rows: [][]string{{"pool", "1.96×"}, {"a|b", "2"}}, Numeric: []bool{false, true}, Fold: "2 rows"})
	pg.H(2, "Charts")
	pg.Add(Figure{Chart: a}, Figure{Chart: b})
	return pg, a, b
}

func ExampleWriteMarkdown() {
	pg, _, _ := sample()
	_ = WriteMarkdown(os.Stdout, pg)
	// Output:
	// # concbench report: ci & co
	//
	// From 2 files.
	//
	// ## Verdicts
	//
	// - hash: parallelism wins &lt;b>
	// - a\_b
	//
	// ### Details
	//
	// <details><summary>2 rows</summary>
	//
	// | model | speedup |
	// |---|---:|
	// | pool | 1.96× |
	// | a\|b | 2 |
	//
	// </details>
	//
	// ## Charts
	//
	// ![hash: speedup &lt;vs> cores](charts/speedup-hash.png)
	//
	// A caption with \*stars\* & &lt;tags>. ([SVG](charts/speedup-hash.svg))
	//
	// ![many](charts/speedup-many.svg)
	//
	//  **Partial: no seq.** ([SVG](charts/speedup-many.svg))
}

// TestWrite renders a page with its charts: HTML escapes text, inlines
// each chart's SVG with a viewBox and ids of its own, navigates by the
// level-2 headings, and links PNGs only where they were rendered.
func TestWrite(t *testing.T) {
	pg, a, b := sample()
	dir := t.TempDir()
	if err := Write(dir, pg, "index.html", "summary.md"); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]bool{
		"speedup-hash.svg": true, "speedup-hash.png": true,
		"speedup-many.svg": true, "speedup-many.png": false,
	} {
		if _, err := os.Stat(filepath.Join(dir, "charts", name)); (err == nil) != want {
			t.Errorf("charts/%s exists: %v, want %v", name, err == nil, want)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	h := string(data)
	for _, want := range []string{
		"<title>concbench report: ci &amp; co</title>",
		"<li>hash: parallelism wins &lt;b&gt;</li>",
		`<nav><a href="#verdicts">Verdicts</a><a href="#charts">Charts</a></nav>`,
		`<h3 id="details">Details</h3>`,
		`<td class="n">1.96×</td>`,
		`<details><summary>2 rows</summary>`,
		`<figure id="chart-speedup-hash" class="chart">`,
		`<title id="title-speedup-hash">hash: speedup &lt;vs&gt; cores</title>`,
		`viewBox="0 0 `,
		`<a href="charts/speedup-hash.png">PNG</a>`,
		`<span class="partial">Partial: no seq.</span> <a href="charts/speedup-many.svg">SVG</a>`,
	} {
		if !strings.Contains(h, want) {
			t.Errorf("index.html lacks %s", want)
		}
	}
	for _, bad := range []string{"<b>", "<tags>", "<script", "<?xml", `href="charts/speedup-many.png"`} {
		if strings.Contains(h, bad) {
			t.Errorf("index.html contains %s", bad)
		}
	}
	// Every id on the page is unique, the inline charts' included.
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(` id="([^"]*)"`).FindAllStringSubmatch(h, -1) {
		if seen[m[1]] {
			t.Errorf("id %q appears twice", m[1])
		}
		seen[m[1]] = true
	}
	for _, c := range []*chart.Chart{a, b} {
		if !seen["title-"+c.File] {
			t.Errorf("chart %s has no title for screen readers", c.File)
		}
	}
}

// TestWriteHTMLNeedsRenderedCharts: a figure whose chart was not rendered
// is an error, not a page with a hole.
func TestWriteHTMLNeedsRenderedCharts(t *testing.T) {
	pg, _, _ := sample()
	var buf bytes.Buffer
	if err := WriteHTML(&buf, pg, nil); err == nil || !strings.Contains(err.Error(), "speedup-hash was not rendered") {
		t.Errorf("WriteHTML without SVGs: %v", err)
	}
}

// TestInlineSVGTallChart: a chart of panels taller than most is inlined
// with one viewBox, of its own size, not vgsvg's beside one of the usual
// size.
func TestInlineSVGTallChart(t *testing.T) {
	c := chart.New("speedup-tall", "six runtimes", "cores", "speedup")
	for i := range 6 {
		p := c.Panel(fmt.Sprintf("runtime %d", i))
		p.Plot.X.Min, p.Plot.X.Max, p.Plot.Y.Min, p.Plot.Y.Max = 0, 2, 0, 2
		for j := range 10 {
			p.Add(fmt.Sprintf("model-%d-with-a-long-name", j), chart.Style{Color: color.RGBA{uint8(20 * j), 0, 0, 255}}, chart.Lines,
				[]chart.Point{{X: 0, Y: 1, Lo: 1, Hi: 1}, {X: 2, Y: 1, Lo: 1, Hi: 1}})
		}
	}
	w, h := c.Size()
	if _, usual := chart.Size(); h <= usual {
		t.Fatalf("the chart is %g points tall, no taller than the usual %g: not the case under test", h, usual)
	}
	svg, err := c.SVG()
	if err != nil {
		t.Fatal(err)
	}
	s := inlineSVG(svg, c)
	if n := strings.Count(s, "viewBox="); n != 1 {
		t.Errorf("%d viewBox attributes, want 1", n)
	}
	if want := fmt.Sprintf(`viewBox="0 0 %g %g"`, w, h); !strings.Contains(s, want) {
		t.Errorf("inlined SVG lacks %s: %.200s", want, s)
	}
	if regexp.MustCompile(`<svg\b[^>]*\s(width|height)=`).MatchString(s) {
		t.Errorf("inlined SVG keeps a fixed width or height: %.200s", s)
	}
}
