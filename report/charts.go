package report

import (
	"cmp"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot/vg"

	"github.com/concbench/concbench/report/chart"
	"github.com/concbench/concbench/report/internal/prose"
)

// A chartKind is one kind of chart the report draws: its name, and how it
// is built from the analysis (none when the set lacks the data).
type chartKind struct {
	name  string
	build func(a *Analysis) []*chart.Chart
}

// chartKinds is the chart registry: every kind of chart, in the order
// the page shows them. A new chart is one entry here and its builder.
func chartKinds() []chartKind {
	return []chartKind{
		{"speedup", func(a *Analysis) []*chart.Chart { return each(a.Workloads, a.speedupChart) }},
		{"mix", func(a *Analysis) []*chart.Chart {
			return one(a.Mix != nil, func() *chart.Chart { return a.mixChart(a.Mix) })
		}},
		{"fanout", func(a *Analysis) []*chart.Chart { return each(a.Fanout, a.fanoutChart) }},
		{"grain", func(a *Analysis) []*chart.Chart {
			return one(a.Grain != nil, func() *chart.Chart { return a.grainChart(a.Grain) })
		}},
		{"overhead", func(a *Analysis) []*chart.Chart {
			return one(a.Overhead != nil, func() *chart.Chart {
				return a.dotChart("overhead", "Dispatch overhead: cost per empty task (ns/task = 1e9 / tasks/s)",
					"time per task (log scale)", a.Overhead, 0, chart.TickDuration)
			})
		}},
		{"convoy", func(a *Analysis) []*chart.Chart {
			return one(a.Convoy != nil, func() *chart.Chart {
				return a.dotChart("convoy", "Convoy: I/O task p99 latency under CPU load (ms)",
					"I/O task p99 latency, ms (log scale)", a.Convoy, a.convoyNoLoad(), func(v float64) string { return chart.TrimNum(v) + " ms" })
			})
		}},
		{"winner", func(a *Analysis) []*chart.Chart {
			if len(a.Workloads) == 0 {
				return nil
			}
			return each(a.Answers(), a.winnerChart)
		}},
		{"generic", func(a *Analysis) []*chart.Chart {
			var out []*chart.Chart
			for _, g := range a.Generic {
				out = append(out, a.genericCharts(g)...)
			}
			return out
		}},
	}
}

// each is build's chart of every element of xs.
func each[T any](xs []T, build func(T) *chart.Chart) []*chart.Chart {
	out := make([]*chart.Chart, 0, len(xs))
	for _, x := range xs {
		out = append(out, build(x))
	}
	return out
}

// one is build's chart when ok, else none.
func one(ok bool, build func() *chart.Chart) []*chart.Chart {
	if !ok {
		return nil
	}
	return []*chart.Chart{build()}
}

// Charts builds every chart the analysis supports, in the registry's
// order (chartKinds), which is the page's.
func (a *Analysis) Charts() []*chart.Chart {
	var out []*chart.Chart
	for _, k := range chartKinds() {
		out = append(out, k.build(a)...)
	}
	return out
}

const ciNote = "Error bars: 95% CI of the ratio of geometric means (Welch, the run's moderated noise), the estimator the verdicts decide on."

// estimatorNote is the footnote of a sweep's error bars: what its points
// estimate, from the sweep's own Estimator.
func estimatorNote(sw *Sweep) string {
	if sw.Estimator == Median {
		return fmt.Sprintf("Error bars: 95%% CI of the median %s (distribution-free: benchmath's AssumeNothing, the numbers benchstat prints).", sw.Unit)
	}
	return ciNote
}

func (a *Analysis) speedupChart(w *Workload) *chart.Chart {
	c := chart.New("speedup-"+w.Name, prose.Kinded(w.Name, w.Kind.String())+": speedup over seq at 1 core (×) vs cores",
		"cores (GOMAXPROCS, log scale)", "speedup over seq at 1 core (×, log scale)")
	c.Caption = fmt.Sprintf("BenchmarkCores/workload=%s: each model's batch makespan at 1 core divided into seq's, by core count, with the ideal linear speedup and fitted scaling laws: dashed where fitted, a shaded 95%% prediction band where extrapolated.", w.Name)
	if !w.hasBase() {
		c.Empty("no seq baseline at 1 core, so no speedups")
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
	drawFit := a.bestPerFamily(w, a.MaxCores)
	curves := map[string]*Fit{}
	var rejected []string
	for _, s := range w.Models {
		l := a.Fits.Model(s)
		f := l.Fit()
		if l.Rejected {
			rejected = append(rejected, s.Model)
			continue
		}
		if f == nil {
			if l.FitNote != "" && fitNote == "" && s.Family != FamilyBaseline {
				fitNote = l.FitNote
			}
			continue
		}
		if l.USL == nil && l.FitNote != "" {
			fitNote = l.FitNote
		}
		if !scales(a.Claims, s) || !drawFit[s.Model] || s.Point(1) == nil {
			unfit = append(unfit, s.Model)
			continue
		}
		for _, b := range f.Bands {
			extra = append(extra, b.Mid)
		}
		curves[s.Model] = f
		fitted = append(fitted, fmt.Sprintf("%s %s", s.Model, f))
		if n := len(a.Predict); n > 0 {
			maxX = math.Max(maxX, a.Predict[n-1])
		}
	}
	lo, hi := yRange(series, extra...)
	a.drawSpeedups(c, w, series, curves, maxX, lo, hi)
	switch {
	case len(fitted) > 0:
		c.Note("Fitted: %s.%s", strings.Join(fitted, "; "), a.bandNote())
	case len(unfit) > 0:
		c.Note("No fit drawn: no model's parallel gain is decided beyond the %s margin.", a.marginText())
	}
	if fitNote != "" {
		c.Note("Fits: %s.", fitNote)
	}
	noteRejected(c, rejected)
	if len(a.Cores) == 1 {
		c.Lacks("one core count only: no scaling to show")
	}
	a.missingModels(c, BenchCores, w.Models)
	return c
}

// drawSpeedups draws a workload's speedup series and fitted laws on c, all
// on the same axes: one panel per runtime (Go, then each CPython
// interpreter), so that no panel holds more than a runtime's models, or,
// in a set without CPython, one plot.
func (a *Analysis) drawSpeedups(c *chart.Chart, w *Workload, series []*Series, fits map[string]*Fit, maxX, lo, hi float64) {
	langs := a.runtimes()
	var byLang [][]*Series
	for _, l := range langs {
		var in []*Series
		for i, s := range series {
			if l.has(w.Models[i]) {
				in = append(in, s)
			}
		}
		byLang = append(byLang, in)
	}
	marked, markNote := a.sharedCores()
	if markNote != "" {
		c.Note("%s", markNote)
	}
	for li, l := range langs {
		p := c
		if len(langs) > 1 {
			p = c.Panel(l.name())
		}
		p.SpeedupAxes(maxX, lo, hi, "ideal (linear)", chart.Ideal)
		if len(marked) > 0 {
			p.Plot.X.Tick.Marker = chart.Pow2Ticks{Marked: marked}
		}
		styles := a.panelStyles(byLang[li])
		fitted := false
		for i, s := range byLang[li] {
			if f := fits[s.Model]; f != nil {
				p.AddFit(f, styles[i].Color, float64(a.MaxCores))
				fitted = true
			}
		}
		for i, s := range byLang[li] {
			p.Add(s.Model, styles[i], chart.Lines, points(s.Points))
		}
		if fitted {
			p.Legend.Add("fitted law, 95% band", chart.LineThumb{Color: color.Gray{80}, Width: vg.Points(1.3), Dashes: chart.FitDashes})
		}
	}
	if len(langs) > 1 {
		c.Caption += " One panel per runtime, Go's models then each CPython interpreter's, on the same axes."
		c.Note("%s Panels share their axes: a CPython model takes the colour of the Go model that emulates it. Rings: oversubscribed, drawn but not fitted.", ciNote)
	} else {
		c.Note("%s Rings: oversubscribed, drawn but not fitted.", ciNote)
	}
}

// runtimes lists the runtimes a chart's panels show, in the panels'
// order: Go, then the interpreters oldest first, whatever order they ran
// in.
func (a *Analysis) runtimes() []lang {
	langs := a.langs()
	slices.SortStableFunc(langs, func(x, y lang) int {
		switch {
		case x.py == y.py:
			return compareVersions(x.interp, y.interp)
		case y.py:
			return -1 // Go first; a function's set has no Go panel
		}
		return 1
	})
	return langs
}

// runtimeOf is the runtime a model runs on: Go, or its CPython
// interpreter.
func (a *Analysis) runtimeOf(model string) lang {
	return lang{py: a.M.IsPython(model), interp: a.M.Interp(model)}
}

// A runtimePanel is one runtime's share of a chart's models: the indices,
// in order, of the models that run on it.
type runtimePanel struct {
	lang lang
	idx  []int
}

// byRuntime splits models by the runtime they run on, in runtimes' order,
// leaving out runtimes with none of them: a chart with more than one gets
// a panel for each, so that no plot holds every runtime's models at once.
func (a *Analysis) byRuntime(models []string) []runtimePanel {
	var out []runtimePanel
	for _, l := range a.runtimes() {
		rp := runtimePanel{lang: l}
		for i, m := range models {
			if a.runtimeOf(m) == l {
				rp.idx = append(rp.idx, i)
			}
		}
		if len(rp.idx) > 0 {
			out = append(out, rp)
		}
	}
	return out
}

// panels returns the plots to draw rps on: c itself when there is one
// runtime, else a panel of c per runtime, titled with its name.
func panels(c *chart.Chart, rps []runtimePanel) []*chart.Chart {
	if len(rps) < 2 {
		return []*chart.Chart{c}
	}
	out := make([]*chart.Chart, len(rps))
	for i, rp := range rps {
		out[i] = c.Panel(rp.lang.name())
	}
	return out
}

// panelNote is the footnote of a chart drawn a panel per runtime.
const panelNote = "One panel per runtime, on the same axes: a CPython model takes the colour of the Go model that emulates it."

// compareVersions orders interpreter tags by their numbers: 3.9 before
// 3.11, 3.14 before 3.14t.
func compareVersions(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		na, ra := leadingInt(pa[i])
		nb, rb := leadingInt(pb[i])
		if c := cmp.Or(cmp.Compare(na, nb), strings.Compare(ra, rb)); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(pa), len(pb))
}

// leadingInt splits "14t" into 14 and "t".
func leadingInt(s string) (int, string) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	n, _ := strconv.Atoi(s[:i])
	return n, s[i:]
}

// panelStyles are the styles of one panel's series: each model's own,
// except that models sharing a Go counterpart (one approach under several
// start methods: py-processpool@3.14-fork, -forkserver, -spawn) take
// their own markers and lighter shades of its colour, so that they stay
// apart in a panel.
func (a *Analysis) panelStyles(series []*Series) []chart.Style {
	out := make([]chart.Style, len(series))
	seen := map[string]int{}
	for i, s := range series {
		out[i] = a.M.Style(s.Model, i)
		g, ok := a.M.Counterpart(s.Model)
		if !ok {
			continue
		}
		if n := seen[g]; n > 0 {
			out[i].Color = chart.Lighten(out[i].Color, 0.3*float64(n))
			out[i].Glyph = chart.Glyph(a.M.Rank(g) + 3*n)
		}
		seen[g]++
	}
	return out
}

// bestPerFamily picks, per model family and language, the model with the
// highest speedup at k: the ones whose fitted laws a chart draws.
func (a *Analysis) bestPerFamily(w *Workload, k int) map[string]bool {
	best := map[string]*Scaling{}
	for _, s := range w.Models {
		p := s.Point(k)
		if p == nil || a.Fits.Model(s).Fit() == nil {
			continue
		}
		key := s.Family.String()
		if s.Python {
			key += "-py" + s.Interp
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

// missingModels notes in a chart which Go models it lacks.
func (a *Analysis) missingModels(c *chart.Chart, bench string, have []*Scaling) {
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
		c.Lacks("no %s", prose.JoinAnd(miss))
	}
}

func (a *Analysis) missingSeries(c *chart.Chart, series []*Series) {
	var have []*Scaling
	for _, s := range series {
		have = append(have, &Scaling{Model: s.Model})
	}
	a.missingModels(c, "", have)
}

// noteRejected names the series whose laws the lack-of-fit test rejected.
func noteRejected(c *chart.Chart, names []string) {
	if len(names) > 0 {
		c.Note("No law drawn for %s: %s no scaling law's shape (the lack-of-fit test rejects every law fitted; the fits table says by how much).",
			prose.List(names, 4), prose.Verb(len(names), "its gain is", "their gains are"))
	}
}

// points are a series' points as the chart draws them.
func points(ps []SeriesPoint) []chart.Point {
	out := make([]chart.Point, len(ps))
	for i, p := range ps {
		out[i] = chart.Point{X: p.X, Y: p.Y.Value, Lo: p.Y.Lo, Hi: p.Y.Hi, Oversub: p.Oversub}
	}
	return out
}

// yRange is chart.YRange over series and extra.
func yRange(series []*Series, extra ...float64) (lo, hi float64) {
	pts := make([][]chart.Point, len(series))
	for i, s := range series {
		pts[i] = points(s.Points)
	}
	return chart.YRange(pts, extra...)
}
