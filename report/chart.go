package report

import (
	"bytes"
	"fmt"
	"image/color"
	"image/png"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Chart size: PNGs are ChartWidth × ChartHeight pixels at ChartDPI.
const (
	ChartDPI    = 96
	ChartWidth  = 960
	ChartHeight = 560
)

var (
	chartW   = vg.Length(ChartWidth) * vg.Inch / ChartDPI
	chartH   = vg.Length(ChartHeight) * vg.Inch / ChartDPI
	legendW  = 2.2 * vg.Inch
	noteLine = vg.Points(12)
)

// A Chart is one figure of the report: a plot, its legend (drawn beside
// the plot so it never covers data) and footnotes.
type Chart struct {
	File    string // base name in charts/, without extension
	Title   string
	Caption string // one sentence under the figure in the pages
	Partial string // what the chart lacks, "" when complete
	Series  []string
	// SVGOnly says the pages link the SVG and no PNG is rendered: a
	// foreign file's GOMAXPROCS sweep can hold hundreds of benchmarks, and
	// their PNGs were most of a report's time.
	SVGOnly bool

	plot   *plot.Plot
	legend plot.Legend
	notes  []string
	ylabel string // drawn by the chart, not by gonum: see draw
}

func newChart(file, title, xlabel, ylabel string) *Chart {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(14)
	p.Title.Padding = vg.Points(10)
	p.X.Label.Text = xlabel
	p.X.Label.TextStyle.Font.Size = vg.Points(12)
	p.Y.Label.TextStyle.Font.Size = vg.Points(12)
	p.X.Tick.Label.Font.Size = vg.Points(10)
	p.Y.Tick.Label.Font.Size = vg.Points(10)
	grid := plotter.NewGrid()
	p.Add(grid)
	grid.Vertical.Color = color.Gray{225}
	grid.Horizontal.Color = color.Gray{225}
	for _, st := range []*text.Style{&p.Title.TextStyle, &p.X.Label.TextStyle, &p.Y.Label.TextStyle, &p.X.Tick.Label, &p.Y.Tick.Label} {
		st.Font.Variant = "Sans"
	}
	l := plot.NewLegend()
	l.Top, l.Left = true, true
	l.TextStyle.Font.Size = vg.Points(10)
	l.TextStyle.Font.Variant = "Sans"
	l.ThumbnailWidth = vg.Points(26)
	l.Padding = vg.Points(2.2)
	return &Chart{File: file, Title: title, plot: p, legend: l, ylabel: ylabel}
}

// note adds a footnote line under the plot.
func (c *Chart) note(format string, args ...any) {
	c.notes = append(c.notes, fmt.Sprintf(format, args...))
}

// partial records what the chart lacks; it is printed in the chart and the
// pages.
func (c *Chart) partial(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if c.Partial != "" {
		c.Partial += "; "
	}
	c.Partial += msg
}

// empty marks a chart with nothing to draw, saying why in its middle.
func (c *Chart) empty(why string) {
	c.partial("%s", why)
	c.plot.X.Min, c.plot.X.Max, c.plot.Y.Min, c.plot.Y.Max = 0, 1, 0, 1
	c.plot.X.Scale, c.plot.Y.Scale = plot.LinearScale{}, plot.LinearScale{}
	c.plot.X.Tick.Marker, c.plot.Y.Tick.Marker = plot.ConstantTicks(nil), plot.ConstantTicks(nil)
	l, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: 0.5, Y: 0.5}}, Labels: []string{"no data: " + why}})
	if err == nil {
		l.TextStyle[0].XAlign = draw.XCenter
		l.TextStyle[0].Font.Size = vg.Points(13)
		l.TextStyle[0].Font.Variant = "Sans"
		c.plot.Add(l)
	}
}

// draw lays out plot, legend and footnotes on a canvas.
func (c *Chart) draw(dc draw.Canvas) {
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	sty := c.plot.X.Tick.Label
	sty.Font.Size = vg.Points(9.5)
	sty.XAlign, sty.YAlign = draw.XLeft, draw.YBottom
	sty.Rotation = 0
	sty.Color = color.Gray{60}
	var notes []string
	partial := 0 // lines of the Partial note, drawn in red
	if c.Partial != "" {
		notes = wrap(sty, "Partial: "+c.Partial, dc.Max.X-dc.Min.X-vg.Points(16))
		partial = len(notes)
	}
	for _, n := range c.notes {
		notes = append(notes, wrap(sty, n, dc.Max.X-dc.Min.X-vg.Points(16))...)
	}
	foot := noteLine*vg.Length(len(notes)) + vg.Points(6)
	right := vg.Length(0)
	if len(c.Series) > 0 {
		right = legendW
	}
	// gonum reserves room for the y label around the linear midpoint of
	// the axis range, which on a log axis is near the top and squashes the
	// plot; the chart draws the label itself.
	ysty := c.plot.Y.Label.TextStyle
	ysty.Rotation = math.Pi / 2
	ysty.XAlign, ysty.YAlign = draw.XCenter, draw.YTop
	left := ysty.Height(c.ylabel) + vg.Points(6)
	pc := draw.Crop(dc, left, -right, foot, -vg.Points(6))
	dc.FillText(ysty, vg.Point{X: dc.Min.X + vg.Points(4), Y: (pc.Min.Y + pc.Max.Y) / 2}, c.ylabel)
	c.plot.Draw(pc)
	if right > 0 {
		lc := draw.Crop(dc, dc.Max.X-dc.Min.X-right+vg.Points(8), 0, foot, -vg.Points(30))
		c.legend.Draw(lc)
	}
	for i, n := range notes {
		y := dc.Min.Y + vg.Points(4) + noteLine*vg.Length(len(notes)-1-i)
		if i < partial {
			s := sty
			s.Color = color.RGBA{170, 40, 30, 255}
			dc.FillText(s, vg.Point{X: dc.Min.X + vg.Points(8), Y: y}, n)
			continue
		}
		dc.FillText(sty, vg.Point{X: dc.Min.X + vg.Points(8), Y: y}, n)
	}
}

// wrap breaks text into lines no wider than width in sty, at spaces.
func wrap(sty text.Style, s string, width vg.Length) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		next := w
		if line != "" {
			next = line + " " + w
		}
		if line != "" && sty.Width(next) > width {
			lines = append(lines, line)
			next = w
		}
		line = next
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// render draws the chart on a canvas, turning a panic inside gonum/plot
// (it panics on some degenerate ranges) into an error.
func (c *Chart) render(dc draw.Canvas) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("drawing chart %s: %v", c.File, r)
		}
	}()
	c.draw(dc)
	return nil
}

// SVG renders the chart as an SVG document.
func (c *Chart) SVG() ([]byte, error) {
	cv := vgsvg.New(chartW, chartH)
	if err := c.render(draw.New(cv)); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := cv.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("rendering %s.svg: %w", c.File, err)
	}
	// Browsers without the Liberation fonts should fall back to a sans
	// serif of similar metrics rather than to Times.
	out := bytes.ReplaceAll(buf.Bytes(), []byte("font-family:Liberation Sans;"),
		[]byte("font-family:'Liberation Sans',Arimo,Arial,Helvetica,sans-serif;"))
	return out, nil
}

// PNG renders the chart as a ChartWidth × ChartHeight PNG.
func (c *Chart) PNG() ([]byte, error) {
	cv := vgimg.NewWith(vgimg.UseWH(chartW, chartH), vgimg.UseDPI(ChartDPI))
	if err := c.render(draw.New(cv)); err != nil {
		return nil, err
	}
	// Fastest compression: a chart's flat colours compress well anyway,
	// and encoding at the default level took half a report's time.
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, cv.Image()); err != nil {
		return nil, fmt.Errorf("rendering %s.png: %w", c.File, err)
	}
	return buf.Bytes(), nil
}

// ---- building blocks ----

// errXY is points with asymmetric error bars, for plotter.NewYErrorBars.
type errXY struct {
	plotter.XYs
	plotter.YErrors
}

// addSeries draws one model's points: a line, markers and error bars, and
// its legend entry. Points flagged hollow (oversubscribed) get a ring.
func (c *Chart) addSeries(label string, st Style, pts []SeriesPoint, logY bool) {
	if len(pts) == 0 {
		return
	}
	var xys plotter.XYs
	var errs plotter.YErrors
	var hollow plotter.XYs
	for _, p := range pts {
		y := p.Y.Value
		if math.IsNaN(y) || math.IsInf(y, 0) || logY && y <= 0 {
			continue
		}
		xys = append(xys, plotter.XY{X: p.X, Y: y})
		lo, hi := p.Y.Lo, p.Y.Hi
		if !p.Y.Finite() || math.IsNaN(lo) || math.IsNaN(hi) || logY && lo <= 0 {
			lo, hi = y, y // no usable interval: no bar
		}
		errs = append(errs, struct{ Low, High float64 }{y - lo, hi - y})
		if p.Oversub {
			hollow = append(hollow, plotter.XY{X: p.X, Y: y})
		}
	}
	if len(xys) == 0 {
		return
	}
	line, err := plotter.NewLine(xys)
	if err != nil {
		return
	}
	line.Color = st.Color
	line.Width = vg.Points(1.8)
	line.Dashes = st.Dashes
	sc, err := plotter.NewScatter(xys)
	if err != nil {
		return
	}
	sc.GlyphStyle = draw.GlyphStyle{Color: st.Color, Radius: vg.Points(3.6), Shape: st.Glyph}
	c.plot.Add(line)
	if eb, err := plotter.NewYErrorBars(errXY{xys, errs}); err == nil {
		eb.LineStyle.Color = st.Color
		eb.LineStyle.Width = vg.Points(1.2)
		eb.CapWidth = vg.Points(6)
		c.plot.Add(eb)
	}
	c.plot.Add(sc)
	if len(hollow) > 0 {
		if hs, err := plotter.NewScatter(hollow); err == nil {
			hs.GlyphStyle = draw.GlyphStyle{Color: st.Color, Radius: vg.Points(7), Shape: draw.RingGlyph{}}
			c.plot.Add(hs)
		}
	}
	c.legend.Add(label, line, sc)
	c.Series = append(c.Series, label)
}

// addRef draws a reference line (ideal, Little's law, fit) with a legend
// entry when label is not empty.
func (c *Chart) addRef(label string, col color.Color, dashes []vg.Length, width vg.Length, xys plotter.XYs) {
	if len(xys) < 2 {
		return
	}
	l, err := plotter.NewLine(xys)
	if err != nil {
		return
	}
	l.Color, l.Dashes, l.Width = col, dashes, width
	c.plot.Add(l)
	if label != "" {
		c.legend.Add(label, l)
		c.Series = append(c.Series, label)
	}
}

// addFit draws a fitted law in col: dashed through the core counts it was
// fitted to (1 to maxFit), then its prediction band, shaded, with the
// band's middle dashed, out to the last prediction. The band is clipped to
// the y axis, which the data set, so a wide band never rescales the chart.
func (c *Chart) addFit(f *Fit, col color.RGBA, maxFit float64) {
	var law plotter.XYs
	for x := 1.0; x <= maxFit*1.0001; x *= math.Pow(2, 0.125) {
		law = append(law, plotter.XY{X: x, Y: f.Speedup(x)})
	}
	c.addRef("", col, fitDashes, vg.Points(1.3), law)
	if len(f.Bands) < 2 {
		return
	}
	clip := func(y float64) float64 { return math.Min(c.plot.Y.Max, math.Max(c.plot.Y.Min, y)) }
	var poly, mid plotter.XYs
	for _, b := range f.Bands {
		poly = append(poly, plotter.XY{X: b.Cores, Y: clip(b.Lo)})
		mid = append(mid, plotter.XY{X: b.Cores, Y: clip(b.Mid)})
	}
	for i := len(f.Bands) - 1; i >= 0; i-- {
		poly = append(poly, plotter.XY{X: f.Bands[i].Cores, Y: clip(f.Bands[i].Hi)})
	}
	if pg, err := plotter.NewPolygon(poly); err == nil {
		pg.Color = color.NRGBA{col.R, col.G, col.B, 56}
		pg.LineStyle.Width = 0
		c.plot.Add(pg)
	}
	c.addRef("", col, fitDashes, vg.Points(1.3), mid)
}

// logTicks are 1-2-5 ticks for a log axis, labelled plainly.
type logTicks struct{ unit func(float64) string }

func (t logTicks) Ticks(min, max float64) []plot.Tick {
	var ticks []plot.Tick
	if min <= 0 {
		min = max / 1e6
	}
	start := math.Floor(math.Log10(min))
	end := math.Ceil(math.Log10(max))
	span := end - start
	steps := []float64{1, 2, 5}
	if span > 4 {
		steps = []float64{1}
	}
	for e := start; e <= end; e++ {
		for _, s := range steps {
			v := s * math.Pow(10, e)
			if v < min*0.999 || v > max*1.001 {
				continue
			}
			label := trimNum(v)
			if t.unit != nil {
				label = t.unit(v)
			}
			ticks = append(ticks, plot.Tick{Value: v, Label: label})
		}
	}
	if len(ticks) < 2 {
		return plot.DefaultTicks{}.Ticks(min, max)
	}
	return ticks
}

// trimNum formats a tick value plainly: 0.2, 5, 100, 10k, 1M.
func trimNum(v float64) string {
	switch a := math.Abs(v); {
	case a >= 1e6:
		return strings.TrimSuffix(fmt.Sprintf("%.6g", v/1e6), ".0") + "M"
	case a >= 1e4:
		return strings.TrimSuffix(fmt.Sprintf("%.6g", v/1e3), ".0") + "k"
	}
	s := fmt.Sprintf("%.6g", v)
	if strings.Contains(s, "e") {
		s = fmt.Sprintf("%.0e", v)
	}
	return s
}

// tickDuration labels a tick in nanoseconds with a unit: 500 ns, 1 µs.
func tickDuration(ns float64) string { return withTimeUnit(ns, trimNum) }

// withTimeUnit formats nanoseconds in the largest unit that keeps the
// number at least 1, the number by f.
func withTimeUnit(ns float64, f func(float64) string) string {
	switch {
	case ns >= 1e9:
		return f(ns/1e9) + " s"
	case ns >= 1e6:
		return f(ns/1e6) + " ms"
	case ns >= 1e3:
		return f(ns/1e3) + " µs"
	}
	return f(ns) + " ns"
}

// pow2Ticks label a log2 axis of core counts.
type pow2Ticks struct{}

func (pow2Ticks) Ticks(min, max float64) []plot.Tick {
	var t []plot.Tick
	for v := 1.0; v <= max*1.001; v *= 2 {
		if v >= min*0.999 {
			t = append(t, plot.Tick{Value: v, Label: fmt.Sprint(v)})
		}
	}
	return t
}

// logY switches the y axis to a log scale when the values span more than
// a decade, and returns whether it did. It pads the range a little.
func (c *Chart) autoY(lo, hi float64, forceLog bool, unit func(float64) string) bool {
	if lo <= 0 || math.IsInf(lo, 0) || math.IsNaN(lo) || hi <= 0 {
		c.plot.Y.Min = 0
		return false
	}
	if forceLog || hi/lo > 10 {
		c.plot.Y.Scale = plot.LogScale{}
		c.plot.Y.Tick.Marker = logTicks{unit: unit}
		c.plot.Y.Min, c.plot.Y.Max = lo/1.25, hi*1.25
		return true
	}
	c.plot.Y.Min = 0
	c.plot.Y.Max = hi * 1.08
	return false
}

// yRange gives the smallest and largest finite positive value of series.
func yRange(series []*Series, extra ...float64) (lo, hi float64) {
	lo, hi = math.Inf(1), 0
	add := func(v float64) {
		if v > 0 && !math.IsInf(v, 0) && !math.IsNaN(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	for _, s := range series {
		for _, p := range s.Points {
			add(p.Y.Value)
			if p.Y.Finite() {
				add(p.Y.Lo)
				add(p.Y.Hi)
			}
		}
	}
	for _, v := range extra {
		add(v)
	}
	return lo, hi
}
