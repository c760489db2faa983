package chart

import (
	"bytes"
	"fmt"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/concbench/concbench/report/chart/charttest"
)

// checkText renders c as SVG and fails for every text that leaves the
// canvas or overlaps another, measured in the fonts' real advances.
func checkText(t *testing.T, c *Chart) []charttest.Text {
	t.Helper()
	svg, err := c.SVG()
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("CHART_DUMP"); dir != "" {
		png, err := c.PNG()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, c.File+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	texts, probs, err := charttest.Check(svg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range probs {
		t.Errorf("%s: %v", c.File, p)
	}
	return texts
}

// speedups are a made-up speedup curve over cores, k, for the layout
// tests: only their place on the axes matters.
func speedups(k int, slope float64) []Point {
	var pts []Point
	for x := 1; x <= k; x *= 2 {
		y := math.Pow(float64(x), slope) * (0.8 + 0.05*slope)
		pts = append(pts, Point{X: float64(x), Y: y, Lo: y * 0.95, Hi: y * 1.05})
	}
	return pts
}

// pyModels are four interpreters' models with three start methods each:
// eleven lines per interpreter, 44 in all.
func pyModels(tag string) []string {
	out := []string{"py-seq@" + tag, "py-threading@" + tag, "py-asyncio@" + tag, "py-threadpool@" + tag, "py-interpreterpool@" + tag}
	for _, m := range []string{"fork", "forkserver", "spawn"} {
		out = append(out, "py-multiprocessing@"+tag+"-"+m, "py-processpool@"+tag+"-"+m)
	}
	return out
}

var goModels = []string{"seq", "goroutines", "pool", "errgroup", "eventloop", "procs", "procpool"}

// A single chart with 21 long names in its legend, the speedup chart of a
// 2-CPU set with two interpreters before panels: the legend takes the
// width its names need, and nothing leaves the canvas.
func TestLegendTakesItsRoom(t *testing.T) {
	c := New("one", "hash (CPU-bound): speedup over seq at 1 core (×) vs cores", "cores (GOMAXPROCS, log scale)", "speedup over seq at 1 core (×, log scale)")
	c.SpeedupAxes(4, 0.04, 2, "ideal (linear)", Ideal)
	names := append(append([]string{}, goModels...), "gil-threads", "gil-pool", "interp-pool")
	names = append(names, pyModels("3.11")[:4]...)
	names = append(names, "py-multiprocessing@3.11-fork", "py-processpool@3.11-fork")
	names = append(names, pyModels("3.14")[:5]...)
	names = append(names, "py-multiprocessing@3.14-forkserver", "py-processpool@3.14-forkserver")
	for i, n := range names {
		c.Add(n, Style{Color: SeriesColor(i), Glyph: Glyph(i)}, Lines, speedups(2, float64(i)/20))
	}
	c.Note("Error bars: 95%% CI of the ratio of geometric means (Welch, the run's moderated noise), the estimator the verdicts decide on. Dash-dot: CPython (py-*). Rings: oversubscribed, drawn but not fitted.")
	texts := checkText(t, c)
	if w, h := c.Size(); w != float64(chartW) || h != float64(chartH) {
		t.Errorf("size %v×%v, want %v×%v", w, h, chartW, chartH)
	}
	for _, n := range names {
		found := false
		for _, x := range texts {
			found = found || x.S == n
		}
		if !found {
			t.Errorf("legend entry %q not drawn whole", n)
		}
	}
}

// A legend too long for the plot's height shrinks, then splits into
// columns, then wraps its names, and at last makes the chart taller:
// nothing leaves the canvas.
func TestLegendShrinksAndWraps(t *testing.T) {
	for _, n := range []int{30, 60} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			c := New("many", "many series", "x", "y")
			c.SpeedupAxes(4, 0.5, 2, "", Ideal)
			for i := range n {
				c.AddKey(fmt.Sprintf("BenchmarkSomething/with-a-long-name=%d/and-more-parts", i), Style{Color: SeriesColor(i), Glyph: Glyph(i)}, Lines)
			}
			checkText(t, c)
			lay, err := c.layout()
			if err != nil {
				t.Fatal(err)
			}
			lo := lay.legend
			if lo.size < minLegendFont {
				t.Errorf("legend at %.1f pt, under the floor %v", lo.size, minLegendFont)
			}
			t.Logf("%d entries: %.1f pt, %d columns, %.0f×%.0f pt", n, lo.size, len(lo.cols), lo.w, lo.h)
		})
	}
}

// Twenty categories with long names on a nominal axis: the labels turn
// until they clear each other; the small labels over each pair of markers
// shrink until they clear each other too.
func TestNominalLabelsTurn(t *testing.T) {
	c := New("dots", "Dispatch overhead", "model", "time per task (log scale)")
	cats := append(append([]string{}, goModels...), pyModels("3.14")...)
	cats = append(cats, pyModels("3.11")[:3]...)
	off := c.Nominal(cats, 0.35, 2, 0.5)
	c.AutoY(1e2, 1e7, true, TickDuration)
	for i, m := range cats {
		pts := []Point{{X: float64(i) + off(0), Y: 1e3 * float64(i+1)}, {X: float64(i) + off(1), Y: 1.2e3 * float64(i+1)}}
		c.Add(m, Style{Color: SeriesColor(i), Glyph: Glyph(i)}, Dots, pts)
		c.AddText(pts, []string{"1", "16"}, vg.Points(8), Baseline, draw.XCenter, draw.YBottom, vg.Point{Y: vg.Points(6)})
	}
	texts := checkText(t, c)
	small := 0
	for _, x := range texts {
		if x.S == "1" || x.S == "16" {
			small++
		}
	}
	if small < len(cats) {
		t.Errorf("%d of %d core labels drawn", small, 2*len(cats))
	}
	if r := c.Plot.X.Tick.Label.Rotation; r <= 0.35 {
		t.Errorf("labels turned %.2f rad, no more than asked (0.35): they cannot clear each other", r)
	}
}

// An empty chart with a long reason says it whole, inside the plot.
func TestEmptyFits(t *testing.T) {
	c := New("empty", "fanout", "x", "y")
	c.Empty(strings.Repeat("no BenchmarkFanout cells for a workload with a very long name ", 3))
	checkText(t, c)
}

// A figure of five panels, Go and four interpreters with three start
// methods each (44 CPython lines in all): no panel holds more than twelve
// lines, every text is inside the canvas and clear of the others, and the
// figure grows taller rather than squash its panels.
func TestPanelsFourInterpreters(t *testing.T) {
	c := New("speedup-hash", "hash (CPU-bound): speedup over seq at 1 core (×) vs cores", "cores (GOMAXPROCS, log scale)", "speedup over seq at 1 core (×, log scale)")
	runtimes := []string{"Go", "CPython 3.11", "CPython 3.12", "CPython 3.13", "CPython 3.14"}
	for ri, rt := range runtimes {
		p := c.Panel(rt)
		p.SpeedupAxes(64, 0.04, 20, "ideal (linear)", Ideal)
		models := goModels
		if ri > 0 {
			models = pyModels(strings.TrimPrefix(rt, "CPython "))
		}
		for i, m := range models {
			p.Add(m, Style{Color: SeriesColor(i), Glyph: Glyph(i), Dashes: PyDashes}, Lines, speedups(16, float64(i)/12))
		}
		p.Legend.Add("fitted law, 95% band", LineThumb{Width: vg.Points(1.3), Dashes: FitDashes})
	}
	c.Note("Error bars: 95%% CI of the ratio of geometric means (Welch, the run's moderated noise), the estimator the verdicts decide on.")
	checkText(t, c)
	for _, p := range c.Panels() {
		if lines := len(p.Series); lines > 12 {
			t.Errorf("panel %q holds %d lines, more than 12", p.Plot.Title.Text, lines)
		}
	}
	// Go's seven models and each interpreter's eleven, with the ideal in
	// each panel.
	if got, want := len(c.Series), 8+4*12; got != want {
		t.Errorf("the figure names %d series, want %d", got, want)
	}
	w, h := c.Size()
	if w != float64(chartW) || h <= float64(chartH) {
		t.Errorf("size %v×%v: want %v wide and taller than %v", w, h, chartW, chartH)
	}
	lay, err := c.layout()
	if err != nil {
		t.Fatal(err)
	}
	for _, cl := range lay.cells {
		if ph := cl.plot.Max.Y - cl.plot.Min.Y; ph < minPanelPlot {
			t.Errorf("a panel's plot is %.0f pt tall, under %v", ph, minPanelPlot)
		}
	}
	png, err := c.PNG()
	if err != nil {
		t.Fatal(err)
	}
	if wantH := int(math.Round(h * DPI / 72)); len(png) == 0 || wantH <= Height {
		t.Errorf("PNG height %d px", wantH)
	}
}

// The SVG and the PNG of one chart render at once (the pages do): the
// layout, which sets the plot's title and turned labels, is decided once
// for both, and both come out the same size.
func TestRenderConcurrently(t *testing.T) {
	c := New("both", "a title", "model", "y")
	off := c.Nominal(append(append([]string{}, goModels...), pyModels("3.14")...), 0.35, 1, 0)
	c.AutoY(1, 100, true, nil)
	c.Add("seq", Style{Color: Baseline, Glyph: Glyph(0)}, Dots, []Point{{X: off(0), Y: 10}})
	p := c.Panel("Go")
	p.SpeedupAxes(4, 0.5, 2, "ideal", Ideal)
	var svg, img []byte
	var svgErr, pngErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		svg, svgErr = c.SVG()
	}()
	img, pngErr = c.PNG()
	<-done
	if svgErr != nil || pngErr != nil {
		t.Fatalf("SVG: %v; PNG: %v", svgErr, pngErr)
	}
	canvas, _, err := charttest.Texts(svg)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := png.DecodeConfig(bytes.NewReader(img))
	if err != nil {
		t.Fatal(err)
	}
	if w, h := canvas.Dx()*DPI/72, canvas.Dy()*DPI/72; math.Abs(w-float64(dec.Width)) > 0.5 || math.Abs(h-float64(dec.Height)) > 0.5 {
		t.Errorf("SVG %.1f×%.1f px, PNG %d×%d", w, h, dec.Width, dec.Height)
	}
}
