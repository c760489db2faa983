package report

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/concbench/concbench/report/stats"
)

// Charts builds every chart the analysis supports, in page order: speedup
// per workload, mix, fanout, grain, overhead, convoy, the winner map, then
// the generic speedup charts.
func (a *Analysis) Charts() []*Chart {
	var out []*Chart
	for _, w := range a.Workloads {
		out = append(out, a.speedupChart(w))
	}
	if a.Mix != nil {
		out = append(out, a.mixChart())
	}
	for _, f := range a.Fanout {
		out = append(out, a.fanoutChart(f))
	}
	if a.Grain != nil {
		out = append(out, a.grainChart())
	}
	if a.Overhead != nil {
		out = append(out, a.dotChart("overhead", "Dispatch overhead: cost per empty task (ns/task = 1e9 / tasks/s)",
			"time per task (log scale)", a.Overhead, 0, tickDuration))
	}
	if a.Convoy != nil {
		out = append(out, a.dotChart("convoy", "Convoy: I/O task p99 latency under CPU load (ms)",
			"I/O task p99 latency, ms (log scale)", a.Convoy, a.convoyNoLoad(), func(v float64) string { return trimNum(v) + " ms" }))
	}
	if len(a.Workloads) > 0 {
		out = append(out, a.winnerChart())
	}
	for _, g := range a.Generic {
		out = append(out, a.genericCharts(g)...)
	}
	return out
}

const ciNote = "Error bars: 95% CI of the ratio of medians (bounds of both medians' CIs combined, conservative)."

func (a *Analysis) speedupChart(w *Workload) *Chart {
	kind := ""
	if w.Kind != "" {
		kind = " (" + w.Kind + ")"
	}
	c := newChart("speedup-"+w.Name, fmt.Sprintf("%s%s: speedup over seq at 1 core (×) vs cores", w.Name, kind),
		"cores (GOMAXPROCS, log scale)", "speedup over seq at 1 core (×, log scale)")
	c.Caption = fmt.Sprintf("BenchmarkCores/workload=%s: each model's batch makespan at 1 core divided into seq's, by core count, with the ideal linear speedup and fitted scaling laws: dashed where fitted, a shaded 95%% prediction band where extrapolated.", w.Name)
	if w.Base == nil {
		c.empty("no seq baseline at 1 core, so no speedups")
		return c
	}
	maxX := float64(a.Cores[len(a.Cores)-1])
	var series []*Series
	var fitted, unfit []string
	fitNote := ""
	for _, s := range w.Models {
		ser := &Series{Model: s.Model}
		for _, p := range s.Points {
			ser.Points = append(ser.Points, SeriesPoint{X: float64(p.Cores), Y: p.Speedup, Oversub: p.Oversub})
		}
		series = append(series, ser)
	}
	extra := []float64{1}
	// Fitted laws: drawn for models whose extra cores pay off, decided;
	// a flat model's fit is a flat line that adds clutter.
	drawFit := bestPerFamily(w, a.MaxCores)
	type curve struct {
		st Style
		f  *Fit
	}
	var curves []curve
	var rejected []string
	for _, s := range w.Models {
		f := s.Fit()
		if s.Rejected {
			rejected = append(rejected, s.Model)
			continue
		}
		if f == nil {
			if s.FitNote != "" && fitNote == "" && s.Family != "baseline" {
				fitNote = s.FitNote
			}
			continue
		}
		if s.USL == nil && s.FitNote != "" {
			fitNote = s.FitNote
		}
		if !scales(s) || !drawFit[s.Model] || s.Point(1) == nil {
			unfit = append(unfit, s.Model)
			continue
		}
		for _, b := range f.Bands {
			extra = append(extra, b.Mid)
		}
		curves = append(curves, curve{a.M.Style(s.Model, 0), f})
		fitted = append(fitted, fmt.Sprintf("%s %s", s.Model, f))
		if n := len(a.Predict); n > 0 {
			maxX = math.Max(maxX, a.Predict[n-1])
		}
	}
	lo, hi := yRange(series, extra...)
	c.plot.X.Scale = plot.LogScale{}
	c.plot.X.Tick.Marker = pow2Ticks{}
	c.plot.X.Min, c.plot.X.Max = 0.9, maxX*1.1
	c.autoY(math.Min(lo, 0.5), math.Max(hi, 2), true, nil)
	c.addRef("ideal (linear)", color.Gray{40}, []vg.Length{vg.Points(1), vg.Points(3)}, vg.Points(1.2),
		plotter.XYs{{X: 1, Y: 1}, {X: maxX, Y: maxX}})
	for _, cv := range curves {
		c.addFit(cv.f, cv.st.Color, float64(a.MaxCores))
	}
	for i, s := range series {
		c.addSeries(s.Model, a.M.Style(s.Model, i), s.Points, true)
	}
	if len(curves) > 0 {
		c.legend.Add("fitted law, 95% band", fitThumb{})
	}
	c.note("%s Dash-dot: CPython (py-*). Rings: oversubscribed, drawn but not fitted.", ciNote)
	switch {
	case len(fitted) > 0:
		c.note("Fitted: %s.%s", strings.Join(fitted, "; "), a.bandNote())
	case len(unfit) > 0:
		c.note("No fit drawn: no model's parallel gain is decided beyond the %s margin.", a.marginText())
	}
	if fitNote != "" {
		c.note("Fits: %s.", fitNote)
	}
	c.noteRejected(rejected)
	if len(a.Cores) == 1 {
		c.partial("one core count only: no scaling to show")
	}
	a.missingModels(c, BenchCores, w.Models)
	return c
}

// bestPerFamily picks, per model family and language, the model with the
// highest speedup at k: the ones whose fitted laws a chart draws.
func bestPerFamily(w *Workload, k int) map[string]bool {
	best := map[string]*Scaling{}
	for _, s := range w.Models {
		p := s.Point(k)
		if p == nil || s.Fit() == nil {
			continue
		}
		key := s.Family
		if s.Python {
			key += "-py"
		}
		if b := best[key]; b == nil || p.Speedup.Value > b.Point(k).Speedup.Value {
			best[key] = s
		}
	}
	out := map[string]bool{}
	for _, s := range best {
		out[s.Model] = true
	}
	return out
}

// fitThumb is the legend thumbnail of fitted curves.
type fitThumb struct{}

func (fitThumb) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(draw.LineStyle{Color: color.Gray{80}, Width: vg.Points(1.3), Dashes: fitDashes}, c.Min.X, y, c.Max.X, y)
}

// scales reports whether a model's parallel gain beats the margin, decided,
// at some core count: the fits' gating, in the verdicts' vocabulary.
func scales(s *Scaling) bool {
	for _, p := range s.Points {
		if p.VsOne != nil && p.VsOne.Outcome == stats.Faster {
			return true
		}
	}
	return false
}

// missingModels notes in a chart which Go models it lacks.
func (a *Analysis) missingModels(c *Chart, bench string, have []*Scaling) {
	var miss []string
	for _, m := range a.M.GoModels() {
		found := false
		for _, s := range have {
			found = found || s.Model == m
		}
		if !found {
			miss = append(miss, m)
		}
	}
	if len(miss) > 0 {
		c.partial("no %s", joinAnd(miss))
	}
}

func (a *Analysis) missingSeries(c *Chart, series []*Series) {
	var have []*Scaling
	for _, s := range series {
		have = append(have, &Scaling{Model: s.Model})
	}
	a.missingModels(c, "", have)
}

func (a *Analysis) mixChart() *Chart {
	sw := a.Mix
	c := newChart("mix", fmt.Sprintf("Mix crossover at %d %s: speedup over seq at 1 core (×) vs compute share", sw.Cores, plural(sw.Cores, "core")),
		"compute share of each task (%)", "speedup over seq at 1 core (×)")
	c.Caption = fmt.Sprintf("BenchmarkMix: a batch of %s tasks, a share of each compute and the rest sleep; where the best process model crosses the best concurrency-only model (event loop, GIL threads) is marked.", a.batchSizes(BenchMix))
	if len(sw.Series) == 0 {
		c.empty("no BenchmarkMix cells with a seq baseline")
		return c
	}
	lo, hi := yRange(sw.Series)
	logY := c.autoY(lo, hi, false, nil)
	c.plot.X.Min, c.plot.X.Max = -2, 102
	for i, s := range sw.Series {
		c.addSeries(s.Model, a.M.Style(s.Model, i), s.Points, logY)
	}
	if !math.IsNaN(sw.Crossover) {
		c.addRef(fmt.Sprintf("crossover ≈ %.0f%%", sw.Crossover), color.Black, []vg.Length{vg.Points(5), vg.Points(3)}, vg.Points(1.5),
			plotter.XYs{{X: sw.Crossover, Y: c.plot.Y.Min}, {X: sw.Crossover, Y: c.plot.Y.Max}})
		if l, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: sw.Crossover, Y: c.plot.Y.Max}},
			Labels: []string{fmt.Sprintf(" crossover ≈ %.0f%% compute", sw.Crossover)}}); err == nil {
			l.TextStyle[0].YAlign = draw.YTop
			l.TextStyle[0].Font.Size = vg.Points(10)
			l.TextStyle[0].Font.Variant = "Sans"
			c.plot.Add(l)
		}
	}
	c.note("%s", ciNote)
	c.note("Crossover: %s.", sw.CrossoverNote)
	a.missingSeries(c, sw.Series)
	return c
}

func (a *Analysis) fanoutChart(sw *Sweep) *Chart {
	c := newChart("fanout-"+sw.Name, fmt.Sprintf("Fanout, %s, %d %s: throughput (tasks/s) vs concurrent tasks", sw.Name, sw.Cores, plural(sw.Cores, "core")),
		"tasks in the batch (log scale)", "throughput, tasks/s (log scale)")
	c.Caption = fmt.Sprintf("BenchmarkFanout/workload=%s: throughput as the batch of waiting tasks grows, against Little's law (throughput = tasks in flight / latency).", sw.Name)
	if len(sw.Series) == 0 {
		c.empty("no BenchmarkFanout cells for " + sw.Name)
		return c
	}
	var idealY []float64
	for _, p := range sw.Ideal {
		idealY = append(idealY, p.Y)
	}
	lo, hi := yRange(sw.Series, append(idealY, sw.Ceiling)...)
	c.autoY(lo, hi, true, nil)
	c.plot.X.Scale = plot.LogScale{}
	c.plot.X.Tick.Marker = logTicks{}
	c.plot.X.Min, c.plot.X.Max = 0.7, 15000
	var ideal plotter.XYs
	for _, p := range sw.Ideal {
		ideal = append(ideal, plotter.XY{X: p.X, Y: p.Y})
	}
	c.addRef("Little's law ideal", color.Black, []vg.Length{vg.Points(1), vg.Points(3)}, vg.Points(1.5), ideal)
	if sw.Ceiling > 0 {
		c.addRef(fmt.Sprintf("loopback connections/s (%s, measured)", trimNum(sw.Ceiling)), color.RGBA{170, 40, 30, 255}, []vg.Length{vg.Points(6), vg.Points(3)}, vg.Points(1.3),
			plotter.XYs{{X: c.plot.X.Min, Y: sw.Ceiling}, {X: c.plot.X.Max, Y: sw.Ceiling}})
	}
	for i, s := range sw.Series {
		c.addSeries(s.Model, a.M.Style(s.Model, i), s.Points, true)
	}
	c.note("%s", strings.Replace(ciNote, "ratio of medians (bounds of both medians' CIs combined, conservative)", "median tasks/s", 1))
	c.note("Ideal: %s.", sw.IdealNote)
	if sw.Ceiling > 0 {
		c.note("Ceiling: every task opens a loopback connection, and this machine sets up and closes %s a second (loopback-connect-rate, the median of the runs): no model can pass it.", trimNum(sw.Ceiling))
	}
	a.missingSeries(c, sw.Series)
	if n := a.skipsOf(BenchFanout, "workload="+sw.Name, sw.Cores); n > 0 {
		c.partial("%d cells skipped by the runner (see Missing for why)", n)
	}
	return c
}

// skipsOf counts the runner's skips of a benchmark with a name part at k.
func (a *Analysis) skipsOf(bench, part string, k int) int {
	n := 0
	for _, s := range a.Set.Skips {
		if s.Cores == k && strings.HasPrefix(s.Name, bench+"/") && strings.Contains(s.Name, "/"+part) {
			n++
		}
	}
	return n
}

func (a *Analysis) grainChart() *Chart {
	sw := a.Grain
	c := newChart("grain", fmt.Sprintf("Grain at %d %s: parallel efficiency (speedup / cores) vs task size", sw.Cores, plural(sw.Cores, "core")),
		"compute per task (log scale)", "parallel efficiency = speedup over seq at 1 core / cores")
	c.Caption = fmt.Sprintf("BenchmarkGrain: a fixed amount of compute per batch cut into tasks of %s; efficiency 1 means every core busy with useful work, and per-task overhead pulls small grains down.", a.batchSizes(BenchGrain))
	if len(sw.Series) == 0 {
		c.empty("no BenchmarkGrain cells with a seq baseline")
		return c
	}
	_, hi := yRange(sw.Series)
	c.plot.Y.Min, c.plot.Y.Max = 0, math.Max(1.15, math.Min(hi*1.05, 3))
	c.plot.X.Scale = plot.LogScale{}
	c.plot.X.Tick.Marker = logTicks{unit: func(v float64) string { return tickDuration(v * 1e9) }}
	c.plot.X.Min, c.plot.X.Max = 0.7e-6, 14e-3
	c.addRef("ideal (efficiency 1)", color.Gray{40}, []vg.Length{vg.Points(1), vg.Points(3)}, vg.Points(1.2),
		plotter.XYs{{X: 0.7e-6, Y: 1}, {X: 14e-3, Y: 1}})
	for i, s := range sw.Series {
		c.addSeries(s.Model, a.M.Style(s.Model, i), s.Points, false)
	}
	c.note("%s", ciNote)
	a.missingSeries(c, sw.Series)
	if n := a.skipsOf(BenchGrain, "", sw.Cores); n > 0 {
		c.partial("%d cells skipped by the runner (see Missing)", n)
	}
	return c
}

// dotChart draws one marker per model and core count on a nominal x axis:
// overhead and convoy. ref, when > 0, is a labelled horizontal reference.
func (a *Analysis) dotChart(file, title, ylabel string, d *Dots, ref float64, unit func(float64) string) *Chart {
	c := newChart(file, title, "model (left to right in each group: "+coresList(d.Cores)+")", ylabel)
	switch file {
	case "overhead":
		c.Caption = "BenchmarkOverhead: a batch of tasks with no work; what remains is the cost of handing a task to the model and getting its result back."
	case "convoy":
		c.Caption = "BenchmarkConvoy: one long CPU task per core beside I/O tasks made of many short sleeps; the I/O tasks' p99 latency shows who makes waits queue behind compute (the GIL convoy)."
	}
	if len(d.Cores) == 0 {
		c.empty("no cells")
		return c
	}
	c.plot.NominalX(d.Models...)
	c.plot.X.Tick.Label.Rotation = 0.35
	c.plot.X.Tick.Label.XAlign = draw.XRight
	c.plot.X.Min, c.plot.X.Max = -0.6, float64(len(d.Models))-0.4
	lo, hi := math.Inf(1), 0.0
	for _, m := range d.Models {
		for _, e := range d.Values[m] {
			for _, v := range []float64{e.Value, e.Lo, e.Hi} {
				if v > 0 && !math.IsInf(v, 0) {
					lo, hi = math.Min(lo, v), math.Max(hi, v)
				}
			}
		}
	}
	if ref > 0 {
		lo, hi = math.Min(lo, ref), math.Max(hi, ref)
	}
	c.autoY(lo, hi, true, unit)
	if ref > 0 {
		c.addRef(fmt.Sprintf("no-load I/O time, %s ms", trimNum(ref)), color.Gray{40}, []vg.Length{vg.Points(4), vg.Points(3)}, vg.Points(1.2),
			plotter.XYs{{X: c.plot.X.Min, Y: ref}, {X: c.plot.X.Max, Y: ref}})
	}
	width := 0.5
	for i, m := range d.Models {
		var pts []SeriesPoint
		var labels plotter.XYLabels
		for j, k := range d.Cores {
			e, ok := d.Values[m][k]
			if !ok {
				continue
			}
			x := float64(i)
			if len(d.Cores) > 1 {
				x += width * (float64(j)/float64(len(d.Cores)-1) - 0.5)
			}
			pts = append(pts, SeriesPoint{X: x, Y: e, Oversub: a.Set.Oversubscribed(k)})
			labels.XYs = append(labels.XYs, plotter.XY{X: x, Y: e.Value})
			labels.Labels = append(labels.Labels, fmt.Sprint(k))
		}
		st := a.M.Style(m, i)
		c.addDots(m, st, pts)
		if l, err := plotter.NewLabels(labels); err == nil && len(d.Cores) > 1 {
			for t := range l.TextStyle {
				l.TextStyle[t].Font.Size = vg.Points(8)
				l.TextStyle[t].Font.Variant = "Sans"
				l.TextStyle[t].Color = color.Gray{90}
				l.TextStyle[t].XAlign = draw.XCenter
			}
			l.Offset = vg.Point{X: 0, Y: vg.Points(6)}
			c.plot.Add(l)
		}
	}
	c.note("Error bars: 95%% CI of the median. Small numbers above the markers: cores.")
	var miss []string
	for _, m := range a.M.GoModels() {
		if !contains(d.Models, m) {
			miss = append(miss, m)
		}
	}
	if len(miss) > 0 {
		c.partial("no %s", joinAnd(miss))
	}
	return c
}

// addDots is addSeries without the connecting line.
func (c *Chart) addDots(label string, st Style, pts []SeriesPoint) {
	var xys plotter.XYs
	var errs plotter.YErrors
	for _, p := range pts {
		if p.Y.Value <= 0 || math.IsNaN(p.Y.Value) {
			continue
		}
		xys = append(xys, plotter.XY{X: p.X, Y: p.Y.Value})
		lo, hi := p.Y.Lo, p.Y.Hi
		if !p.Y.Finite() || lo <= 0 {
			lo, hi = p.Y.Value, p.Y.Value
		}
		errs = append(errs, struct{ Low, High float64 }{p.Y.Value - lo, hi - p.Y.Value})
	}
	if len(xys) == 0 {
		return
	}
	sc, err := plotter.NewScatter(xys)
	if err != nil {
		return
	}
	sc.GlyphStyle = draw.GlyphStyle{Color: st.Color, Radius: vg.Points(4.5), Shape: st.Glyph}
	if eb, err := plotter.NewYErrorBars(errXY{xys, errs}); err == nil {
		eb.LineStyle.Color = st.Color
		eb.LineStyle.Width = vg.Points(1.2)
		eb.CapWidth = vg.Points(6)
		c.plot.Add(eb)
	}
	c.plot.Add(sc)
	c.legend.Add(label, sc)
	c.Series = append(c.Series, label)
}

func coresList(cores []int) string {
	var s []string
	for _, k := range cores {
		s = append(s, fmt.Sprint(k))
	}
	return strings.Join(s, ", ") + " " + plural(cores[len(cores)-1], "core")
}

// winnerChart draws the winner map: a cell per workload and core count,
// coloured by the winning model, labelled with where its gain came from.
func (a *Analysis) winnerChart() *Chart {
	c := newChart("winner", "Winner map: fastest model per workload and core count, and the source of its gain",
		"cores", "workload")
	c.Caption = "For each workload and core count, the verdict: the fastest model that beats seq at 1 core by more than the margin, and whether its speedup came from overlapping waits (concurrency), from more cores (parallelism), or both; or that no model beats seq by more than the margin; or undecided."
	var names []string
	for _, w := range a.Workloads {
		names = append(names, w.Name)
	}
	// Workloads top to bottom in the matrix's order.
	rev := make([]string, len(names))
	for i, n := range names {
		rev[len(names)-1-i] = n
	}
	var cols []string
	for _, k := range a.Cores {
		l := fmt.Sprint(k)
		if a.Set.Oversubscribed(k) {
			l += " (over)"
		}
		cols = append(cols, l)
	}
	c.plot.NominalX(cols...)
	c.plot.NominalY(rev...)
	c.plot.X.Min, c.plot.X.Max = -0.5, float64(len(cols))-0.5
	c.plot.Y.Min, c.plot.Y.Max = -0.5, float64(len(rev))-0.5
	for _, ax := range []*plot.Axis{&c.plot.X, &c.plot.Y} {
		ax.LineStyle.Width = 0
		ax.Tick.LineStyle.Width = 0
	}
	c.plot.X.Tick.Label.Font.Size = vg.Points(11)
	c.plot.Y.Tick.Label.Font.Size = vg.Points(11)
	verdict := map[string]*Verdict{}
	for _, v := range a.Verdicts {
		verdict[fmt.Sprintf("%s|%d", v.Workload, v.Cores)] = v
	}
	inLegend := map[string]bool{}
	var legendModels []string
	var lbl plotter.XYLabels
	for wi, w := range rev {
		y := float64(wi)
		for ki, k := range a.Cores {
			x := float64(ki)
			v := verdict[fmt.Sprintf("%s|%d", w, k)]
			fill := color.RGBA{235, 235, 235, 255}
			text := "no data"
			if v != nil {
				text = "no model\n> " + a.marginText()
				if v.Gain == "undecided" && v.Winner == "" {
					text = "undecided"
				}
				if v.Winner != "" {
					fill = lighten(a.M.Style(v.Winner, 0).Color, 0.55)
					text = fmt.Sprintf("%s %s\n%s", v.Winner, short(v.Speedup), gainWord(v.Gain))
					if !inLegend[v.Winner] {
						inLegend[v.Winner] = true
						legendModels = append(legendModels, v.Winner)
					}
				}
			}
			poly, err := plotter.NewPolygon(plotter.XYs{{X: x - 0.48, Y: y - 0.46}, {X: x + 0.48, Y: y - 0.46}, {X: x + 0.48, Y: y + 0.46}, {X: x - 0.48, Y: y + 0.46}})
			if err != nil {
				continue
			}
			poly.Color = fill
			poly.LineStyle.Color = color.White
			c.plot.Add(poly)
			lbl.XYs = append(lbl.XYs, plotter.XY{X: x, Y: y})
			lbl.Labels = append(lbl.Labels, text)
		}
	}
	if l, err := plotter.NewLabels(lbl); err == nil {
		for i := range l.TextStyle {
			l.TextStyle[i].XAlign, l.TextStyle[i].YAlign = draw.XCenter, -0.5
			l.TextStyle[i].Font.Size = vg.Points(11)
			l.TextStyle[i].Font.Variant = "Sans"
		}
		c.plot.Add(l)
	}
	a.M.SortModels(legendModels)
	for _, m := range legendModels {
		c.legend.Add(m, swatch{lighten(a.M.Style(m, 0).Color, 0.55)})
		c.Series = append(c.Series, m)
	}
	c.note("concurrency: the gain at 1 core, from overlapping waits; parallelism: the gain from more cores; each decided beyond the %s margin (see Method).", a.marginText())
	if len(a.Verdicts) == 0 {
		c.partial("no verdicts: every workload lacks its seq baseline")
	}
	return c
}

func gainWord(g string) string {
	switch g {
	case "concurrency":
		return "concurrency"
	case "parallelism":
		return "parallelism"
	case "both":
		return "concurrency + parallelism"
	case "undecided":
		return "source undecided"
	}
	return ""
}

// swatch is a filled square legend thumbnail.
type swatch struct{ c color.Color }

func (s swatch) Thumbnail(c *draw.Canvas) {
	r := c.Rectangle
	h := r.Max.Y - r.Min.Y
	c.SetColor(s.c)
	c.Fill(vg.Rectangle{Min: vg.Point{X: r.Min.X, Y: r.Min.Y}, Max: vg.Point{X: r.Min.X + h*1.6, Y: r.Max.Y}}.Path())
}

func lighten(c color.RGBA, f float64) color.RGBA {
	l := func(v uint8) uint8 { return uint8(float64(v) + (255-float64(v))*f) }
	return color.RGBA{l(c.R), l(c.G), l(c.B), 255}
}

// maxGenericLines is the most sub-benchmarks one generic chart draws; more
// go to further charts of the same benchmark.
const maxGenericLines = 8

func (a *Analysis) genericCharts(g *GenericGroup) []*Chart {
	var out []*Chart
	benches := g.Benches
	for part := 0; len(benches) > 0; part++ {
		n := min(len(benches), maxGenericLines)
		chunk := benches[:n]
		benches = benches[n:]
		file := "speedup-" + sanitize(g.Bench)
		title := g.Bench + ": speedup (×) vs GOMAXPROCS"
		if part > 0 || len(benches) > 0 {
			file += fmt.Sprintf("-%d", part+1)
			title += fmt.Sprintf(" (part %d)", part+1)
		}
		c := newChart(file, title, "GOMAXPROCS (log scale)", "speedup over the lowest GOMAXPROCS (×, log scale)")
		c.SVGOnly = true
		c.Caption = fmt.Sprintf("%s swept with -cpu: each sub-benchmark's ns/op at its lowest GOMAXPROCS divided by its ns/op at each GOMAXPROCS, with the ideal and fitted laws: dashed where fitted, a shaded 95%% prediction band where extrapolated.", g.Bench)
		var series []*Series
		maxX := float64(a.Cores[len(a.Cores)-1])
		var extra []float64
		var fitted []string
		var fits []*Fit
		var rejected []string
		fitNote := ""
		for _, b := range chunk {
			s := &Series{Model: strings.TrimPrefix(b.Name, g.Bench+"/")}
			for _, p := range b.Points {
				s.Points = append(s.Points, SeriesPoint{X: float64(p.Cores), Y: p.Par, Oversub: p.Oversub})
			}
			series = append(series, s)
			f := fitOf(b.Amdahl, b.USL)
			fits = append(fits, f)
			if b.Rejected {
				rejected = append(rejected, s.Model)
			} else if b.FitNote != "" && (f == nil || b.USL == nil) {
				fitNote = b.FitNote
			}
			if f == nil {
				continue
			}
			for _, bd := range f.Bands {
				extra = append(extra, bd.Mid)
			}
			fitted = append(fitted, fmt.Sprintf("%s %s", s.Model, f))
			if n := len(a.Predict); n > 0 {
				maxX = math.Max(maxX, a.Predict[n-1])
			}
		}
		lo, hi := yRange(series, append(extra, 1)...)
		c.plot.X.Scale = plot.LogScale{}
		c.plot.X.Tick.Marker = pow2Ticks{}
		c.plot.X.Min, c.plot.X.Max = 0.9, maxX*1.1
		c.autoY(math.Min(lo, 0.5), math.Max(hi, 2), true, nil)
		c.addRef("ideal (linear)", color.Gray{40}, []vg.Length{vg.Points(1), vg.Points(3)}, vg.Points(1.2),
			plotter.XYs{{X: 1, Y: 1}, {X: maxX, Y: maxX}})
		for i, s := range series {
			if fits[i] != nil {
				c.addFit(fits[i], genericColor(i), float64(a.MaxCores))
			}
			st := Style{Color: genericColor(i), Glyph: glyphs[(i+1)%len(glyphs)]}
			c.addSeries(s.Model, st, s.Points, true)
		}
		c.note("%s", ciNote)
		if len(fitted) > 0 {
			c.note("Fitted: %s.%s", list(fitted, 3), a.bandNote())
		}
		if fitNote != "" {
			c.note("Fits: %s.", fitNote)
		}
		c.noteRejected(rejected)
		out = append(out, c)
	}
	return out
}

// sanitize makes a benchmark name a file name.
func sanitize(s string) string {
	s = strings.TrimPrefix(s, "Benchmark")
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return strings.ToLower(b.String())
}

// noteRejected names the series whose laws the lack-of-fit test rejected.
func (c *Chart) noteRejected(names []string) {
	if len(names) > 0 {
		c.note("No law drawn for %s: %s no scaling law's shape (the lack-of-fit test rejects Amdahl's and the USL; the fits table says by how much).",
			list(names, 4), verb(len(names), "its gain is", "their gains are"))
	}
}
