package report

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/concbench/concbench/report/chart"
	"github.com/concbench/concbench/report/internal/prose"
)

// sweepChart draws a sweep on c: when it has data, each model's series as
// a line, on one plot or, when the sweep holds more than one runtime's
// models, a panel per runtime (see byRuntime), axes setting up each plot
// alike (ranges, scales, reference lines) before its series are drawn and
// notes adding the chart's footnotes once; then the chart says which
// models are missing and how many of bench's cells with the name part part
// the runner skipped. Without data, c says it is empty, and why.
func (a *Analysis) sweepChart(c *chart.Chart, sw *Sweep, bench, part, empty string, axes func(p *chart.Chart), notes func()) *chart.Chart {
	if len(sw.Series) == 0 {
		c.Empty(empty)
		return c
	}
	models := make([]string, len(sw.Series))
	for i, s := range sw.Series {
		models[i] = s.Model
	}
	rps := a.byRuntime(models)
	ps := panels(c, rps)
	for pi, rp := range rps {
		p := ps[pi]
		axes(p)
		var in []*Series
		for _, i := range rp.idx {
			in = append(in, sw.Series[i])
		}
		styles := a.panelStyles(in)
		for i, s := range in {
			p.Add(s.Model, styles[i], chart.Lines, points(s.Points))
		}
	}
	notes()
	if len(rps) > 1 {
		c.Note("%s", panelNote)
	}
	a.missingSeries(c, sw.Series)
	if n := a.skipsOf(bench, part, sw.Cores); n > 0 {
		c.Lacks("%d %s skipped by the runner (see Missing for why)", n, prose.Plural(n, "cell"))
	}
	return c
}

// atCores is a new chart of what a sweep shows at k cores, titled "name at
// k cores: what".
func atCores(file, name string, k int, what, xlabel, ylabel string) *chart.Chart {
	return chart.New(file, fmt.Sprintf("%s at %d %s: %s", name, k, prose.Plural(k, "core"), what), xlabel, ylabel)
}

func (a *Analysis) mixChart(sw *Sweep) *chart.Chart {
	c := atCores("mix", "Mix crossover", sw.Cores, "speedup over seq at 1 core (×) vs compute share", "compute share of each task (%)", "speedup over seq at 1 core (×)")
	c.Caption = fmt.Sprintf("BenchmarkMix: a batch of tasks of %s, a share of each compute and the rest sleep; where the best process model crosses the best concurrency-only model (event loop, GIL threads) is marked.", a.batchSizes(BenchMix))
	lo, hi := yRange(sw.Series)
	return a.sweepChart(c, sw, BenchMix, "", "no BenchmarkMix cells with a seq baseline", func(p *chart.Chart) {
		p.AutoY(lo, hi, false, nil)
		p.Plot.X.Min, p.Plot.X.Max = -2, 102
		if !math.IsNaN(sw.Crossover) {
			p.AddRef(fmt.Sprintf("crossover ≈ %.0f%%", sw.Crossover), chart.Ref{Color: color.Black, Dashes: []vg.Length{vg.Points(5), vg.Points(3)}, Width: vg.Points(1.5)},
				chart.Point{X: sw.Crossover, Y: p.Plot.Y.Min}, chart.Point{X: sw.Crossover, Y: p.Plot.Y.Max})
			p.AddText([]chart.Point{{X: sw.Crossover, Y: p.Plot.Y.Max}}, []string{fmt.Sprintf(" crossover ≈ %.0f%% compute", sw.Crossover)},
				vg.Points(10), color.Black, draw.XLeft, draw.YTop, vg.Point{})
		}
	}, func() {
		c.Note("%s", estimatorNote(sw))
		c.Note("Crossover: %s.", crossoverNote(sw))
	})
}

func (a *Analysis) fanoutChart(sw *Sweep) *chart.Chart {
	c := chart.New("fanout-"+sw.Name, fmt.Sprintf("Fanout, %s, %d %s: throughput (tasks/s) vs concurrent tasks", sw.Name, sw.Cores, prose.Plural(sw.Cores, "core")),
		"tasks in the batch (log scale)", "throughput, tasks/s (log scale)")
	c.Caption = fmt.Sprintf("BenchmarkFanout/workload=%s: throughput as the batch of waiting tasks grows, against Little's law (throughput = tasks in flight / latency).", sw.Name)
	var ideal []chart.Point
	var idealY []float64
	for _, p := range sw.Ideal {
		ideal = append(ideal, chart.Point{X: p.X, Y: p.Y})
		idealY = append(idealY, p.Y)
	}
	lo, hi := yRange(sw.Series, append(idealY, sw.Ceiling)...)
	// The throughput no model can pass is a shaded zone, not one more
	// line among the models'.
	beyond := color.NRGBA{170, 40, 30, 48}
	return a.sweepChart(c, sw, BenchFanout, "workload="+sw.Name, "no BenchmarkFanout cells for "+sw.Name, func(p *chart.Chart) {
		p.AutoY(lo, hi, true, nil)
		p.LogX(0.7, 15000, chart.LogTicks{})
		p.AddRef("Little's law ideal", chart.Ref{Color: color.Black, Dashes: chart.Dotted, Width: vg.Points(1.5)}, ideal...)
		if sw.Ceiling > 0 {
			x0, x1, y1 := p.Plot.X.Min, p.Plot.X.Max, p.Plot.Y.Max
			p.AddTile((x0+x1)/2, (sw.Ceiling+y1)/2, (x1-x0)/2, (y1-sw.Ceiling)/2, beyond)
			p.Legend.Add(fmt.Sprintf("out of reach: over %s connections/s", chart.TrimNum(sw.Ceiling)), chart.Swatch{Color: beyond})
		}
	}, func() {
		c.Note("%s", estimatorNote(sw))
		c.Note("Ideal: %s.", idealNote(sw))
		if sw.Ceiling > 0 {
			c.Note("Ceiling: every task opens a loopback connection, and this machine sets up and closes %s a second (loopback-connect-rate, the median of the runs): no model can pass it (the shaded zone).", chart.TrimNum(sw.Ceiling))
		}
	})
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

func (a *Analysis) grainChart(sw *Sweep) *chart.Chart {
	c := atCores("grain", "Grain", sw.Cores, "parallel efficiency (speedup / cores) vs task size", "compute per task (log scale)", "parallel efficiency = speedup over seq at 1 core / cores")
	c.Caption = fmt.Sprintf("BenchmarkGrain: a fixed amount of compute per batch cut into tasks of %s; efficiency 1 means every core busy with useful work, and per-task overhead pulls small grains down.", a.batchSizes(BenchGrain))
	_, hi := yRange(sw.Series)
	return a.sweepChart(c, sw, BenchGrain, "", "no BenchmarkGrain cells with a seq baseline", func(p *chart.Chart) {
		p.Plot.Y.Min, p.Plot.Y.Max = 0, math.Max(1.15, math.Min(hi*1.05, 3))
		p.LogX(0.7e-6, 14e-3, chart.LogTicks{Unit: func(v float64) string { return chart.TickDuration(v * 1e9) }})
		p.AddLevel("ideal (efficiency 1)", chart.Ideal, 1)
	}, func() { c.Note("%s", estimatorNote(sw)) })
}

// dotChart draws one marker per model and core count on a nominal x axis:
// overhead and convoy. ref, when > 0, is a labelled horizontal reference.
func (a *Analysis) dotChart(file, title, ylabel string, d *Dots, ref float64, unit func(float64) string) *chart.Chart {
	c := chart.New(file, title, "model (left to right in each group: "+prose.Cores(d.Cores)+")", ylabel)
	switch file {
	case "overhead":
		c.Caption = "BenchmarkOverhead: a batch of tasks with no work; what remains is the cost of handing a task to the model and getting its result back."
	case "convoy":
		c.Caption = "BenchmarkConvoy: one long CPU task per core beside I/O tasks made of many short sleeps; the I/O tasks' p99 latency shows who makes waits queue behind compute (the GIL convoy)."
	}
	if len(d.Cores) == 0 || len(d.Models) == 0 {
		c.Empty("no cells")
		return c
	}
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
	rps := a.byRuntime(d.Models)
	ps := panels(c, rps)
	for pi, rp := range rps {
		var models []string
		for _, i := range rp.idx {
			models = append(models, d.Models[i])
		}
		a.drawDots(ps[pi], len(rps) > 1, d, models, lo, hi, ref, unit)
		if len(rps) > 1 {
			ps[pi].Plot.X.Label.Text = "model"
		}
	}
	if len(rps) > 1 {
		c.Note("%s In each model's group, left to right: %s.", panelNote, prose.Cores(d.Cores))
		c.Note("Error bars: 95%% CI of the median.")
	} else {
		c.Note("Error bars: 95%% CI of the median. Small numbers above the markers: cores.")
	}
	var miss []string
	for _, m := range a.M.GoModels() {
		if !slices.Contains(d.Models, m) {
			miss = append(miss, m)
		}
	}
	if len(miss) > 0 {
		c.Lacks("no %s", prose.JoinAnd(miss))
	}
	return c
}

// drawDots draws models' dots on p, on a y axis over [lo, hi] labelled
// with unit: a category per model (labelled shorter when p is one
// runtime's panel), a marker per core count, and a level at ref when
// ref > 0.
func (a *Analysis) drawDots(p *chart.Chart, panel bool, d *Dots, models []string, lo, hi, ref float64, unit func(float64) string) {
	cats := models
	if panel {
		// A panel is a third of the chart wide: its labels are shorter
		// and smaller, so that, turned, they take less of its height.
		cats = make([]string, len(models))
		for i, m := range models {
			cats[i] = a.panelLabel(m)
		}
		p.Plot.X.Tick.Label.Font.Size = vg.Points(8)
	}
	off := p.Nominal(cats, 0.35, len(d.Cores), 0.5)
	p.AutoY(lo, hi, true, unit)
	if ref > 0 {
		p.AddLevel(fmt.Sprintf("no-load I/O time, %s ms", chart.TrimNum(ref)), chart.Level, ref)
	}
	series := make([]*Series, len(models))
	for i, m := range models {
		series[i] = &Series{Model: m}
	}
	styles := a.panelStyles(series)
	for i, m := range models {
		var pts []SeriesPoint
		var at []chart.Point
		var labels []string
		for j, k := range d.Cores {
			e, ok := d.Values[m][k]
			if !ok {
				continue
			}
			x := float64(i) + off(j)
			pts = append(pts, SeriesPoint{X: x, Y: e, Oversub: a.Set.Oversubscribed(k)})
			at = append(at, chart.Point{X: x, Y: e.Value})
			labels = append(labels, fmt.Sprint(k))
		}
		p.Add(m, styles[i], chart.Dots, points(pts))
		// In a panel, too small for them, the note says the cores instead.
		if len(d.Cores) > 1 && !panel {
			p.AddText(at, labels, vg.Points(8), color.Gray{90}, draw.XCenter, draw.YBottom, vg.Point{Y: vg.Points(6)})
		}
	}
}

// panelLabel is a model's name on a panel's category axis, shorter than
// the legend's: without the "py-" and the interpreter tag that the
// panel's title gives ("py-processpool@3.14-forkserver" is
// "processpool-forkserver").
func (a *Analysis) panelLabel(model string) string {
	in := a.M.Interp(model)
	if in == "" {
		return model
	}
	return strings.TrimPrefix(strings.Replace(model, "@"+in, "", 1), "py-")
}
