package chart

import (
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/concbench/concbench/report/stats"
)

// A Point is one measurement: Y with its interval [Lo, Hi] at X.
type Point struct {
	X, Y, Lo, Hi float64
	// Oversub marks a point measured with more cores than the machine
	// has: drawn with a ring (where the look draws rings).
	Oversub bool
}

// A Look is how heavily a series is drawn.
type Look struct {
	Line   vg.Length // width of the line through the points; 0: markers only
	Marker vg.Length // marker radius
	Bar    vg.Length // error bar width
	Cap    vg.Length // error bar cap width
	Ring   vg.Length // radius of the ring around oversubscribed points; 0: none
}

// The looks the report uses.
var (
	// Lines: a model's series, its points joined.
	Lines = Look{Line: vg.Points(1.8), Marker: vg.Points(3.6), Bar: vg.Points(1.2), Cap: vg.Points(6), Ring: vg.Points(7)}
	// Dots: one marker per category, no line (overhead, convoy, overviews).
	Dots = Look{Marker: vg.Points(4.5), Bar: vg.Points(1.2), Cap: vg.Points(6)}
	// Overlay: many machines' curves on one chart, lighter.
	Overlay = Look{Line: vg.Points(1.6), Marker: vg.Points(3.2), Bar: vg.Points(0.8), Cap: vg.Points(4), Ring: vg.Points(6.5)}
)

// errXY is points with asymmetric error bars, for plotter.NewYErrorBars.
type errXY struct {
	plotter.XYs
	plotter.YErrors
}

// Add draws a series of points in st with look: its line, error bars,
// markers and rings, and, when label is not empty, its legend entry.
// Points whose value is not finite (or not positive, on a log y axis) are
// left out; an interval that is not finite, or reaches 0 on a log axis,
// gets no bar.
func (c *Chart) Add(label string, st Style, look Look, pts []Point) {
	_, logY := c.Plot.Y.Scale.(plot.LogScale)
	var xys, hollow plotter.XYs
	var errs plotter.YErrors
	for _, p := range pts {
		y := p.Y
		if math.IsNaN(y) || math.IsInf(y, 0) || logY && y <= 0 {
			continue
		}
		xys = append(xys, plotter.XY{X: p.X, Y: y})
		lo, hi := p.Lo, p.Hi
		if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) || logY && lo <= 0 {
			lo, hi = y, y // no usable interval: no bar
		}
		errs = append(errs, struct{ Low, High float64 }{y - lo, hi - y})
		if p.Oversub && look.Ring > 0 {
			hollow = append(hollow, plotter.XY{X: p.X, Y: y})
		}
	}
	if len(xys) == 0 {
		return
	}
	var thumbs []plot.Thumbnailer
	if look.Line > 0 {
		if line, err := plotter.NewLine(xys); err == nil {
			line.Color, line.Width, line.Dashes = st.Color, look.Line, st.Dashes
			c.Plot.Add(line)
			thumbs = append(thumbs, line)
		}
	}
	if eb, err := plotter.NewYErrorBars(errXY{xys, errs}); err == nil {
		eb.LineStyle.Color = st.Color
		eb.LineStyle.Width = look.Bar
		eb.CapWidth = look.Cap
		c.Plot.Add(eb)
	}
	if sc, err := plotter.NewScatter(xys); err == nil {
		sc.GlyphStyle = draw.GlyphStyle{Color: st.Color, Radius: look.Marker, Shape: st.Glyph}
		c.Plot.Add(sc)
		thumbs = append(thumbs, sc)
	}
	if len(hollow) > 0 {
		if hs, err := plotter.NewScatter(hollow); err == nil {
			hs.GlyphStyle = draw.GlyphStyle{Color: st.Color, Radius: look.Ring, Shape: draw.RingGlyph{}}
			c.Plot.Add(hs)
		}
	}
	if label != "" {
		c.Legend.Add(label, thumbs...)
		c.addSeries(label)
	}
}

// A Ref is how a reference line is drawn.
type Ref struct {
	Color  color.Color
	Dashes []vg.Length
	Width  vg.Length
}

// Thumb is the legend thumbnail of lines drawn in r.
func (r Ref) Thumb() LineThumb { return LineThumb{Color: r.Color, Dashes: r.Dashes, Width: r.Width} }

// The reference lines the report uses.
var (
	// Ideal is an ideal the data is measured against: linear speedup,
	// Little's law, efficiency 1.
	Ideal = Ref{Color: color.Gray{40}, Dashes: Dotted, Width: vg.Points(1.2)}
	// Level is a level to compare with: parity, the no-load time.
	Level = Ref{Color: color.Gray{40}, Dashes: Dashed, Width: vg.Points(1.2)}
)

// AddRef draws a reference line through pts (their X and Y), with a legend
// entry when label is not empty.
func (c *Chart) AddRef(label string, r Ref, pts ...Point) {
	if len(pts) < 2 {
		return
	}
	c.line(label, r, xysOf(pts))
}

// line draws xys in r, with a legend entry when label is not empty.
func (c *Chart) line(label string, r Ref, xys plotter.XYs) {
	l, err := plotter.NewLine(xys)
	if err != nil {
		return
	}
	l.Color, l.Dashes, l.Width = r.Color, r.Dashes, r.Width
	c.Plot.Add(l)
	if label != "" {
		c.Legend.Add(label, l)
		c.addSeries(label)
	}
}

func xysOf(pts []Point) plotter.XYs {
	xys := make(plotter.XYs, len(pts))
	for i, p := range pts {
		xys[i] = plotter.XY{X: p.X, Y: p.Y}
	}
	return xys
}

// AddLevel draws a horizontal reference line at y across the x axis's
// range, which must be set.
func (c *Chart) AddLevel(label string, r Ref, y float64) {
	c.AddRef(label, r, Point{X: c.Plot.X.Min, Y: y}, Point{X: c.Plot.X.Max, Y: y})
}

// SpeedupAxes sets up a speedup chart: a log₂ axis of core counts out to
// maxX, a log y axis over [lo, hi] widened to hold 0.5 to 2, and the
// ideal linear speedup in r (labelled when label is not empty).
func (c *Chart) SpeedupAxes(maxX, lo, hi float64, label string, r Ref) {
	c.Plot.X.Scale = plot.LogScale{}
	c.Plot.X.Tick.Marker = Pow2Ticks{}
	c.Plot.X.Min, c.Plot.X.Max = 0.9, maxX*1.1
	c.AutoY(math.Min(lo, 0.5), math.Max(hi, 2), true, nil)
	c.AddRef(label, r, Point{X: 1, Y: 1}, Point{X: maxX, Y: maxX})
}

// LogX sets a log x axis over [min, max] with ticks.
func (c *Chart) LogX(min, max float64, ticks plot.Ticker) {
	c.Plot.X.Scale = plot.LogScale{}
	c.Plot.X.Tick.Marker = ticks
	c.Plot.X.Min, c.Plot.X.Max = min, max
}

// AddKey adds a legend entry for a series drawn in st with look, without
// drawing data: a legend that names machines, say, rather than each line.
func (c *Chart) AddKey(label string, st Style, look Look) {
	var thumbs []plot.Thumbnailer
	if look.Line > 0 {
		thumbs = append(thumbs, LineThumb{Color: st.Color, Width: look.Line, Dashes: st.Dashes})
	}
	thumbs = append(thumbs, glyphThumb{Color: st.Color, Radius: look.Marker, Shape: st.Glyph})
	c.Legend.Add(label, thumbs...)
	c.addSeries(label)
}

// glyphThumb is a legend thumbnail of a marker.
type glyphThumb draw.GlyphStyle

func (g glyphThumb) Thumbnail(c *draw.Canvas) {
	c.DrawGlyph(draw.GlyphStyle(g), c.Center())
}

// AddText writes labels at points, in the chart's sans serif at size and
// in col, aligned to each point by xalign and yalign and shifted by
// offset. Every call's labels are placed together when the chart is
// drawn: when any two would overlap, all shrink alike, down to
// minTextFont; a label that still runs into one placed before it is left
// out, and one that would leave the plot is moved back inside it.
func (c *Chart) AddText(pts []Point, labels []string, size vg.Length, col color.Color, xalign draw.XAlignment, yalign draw.YAlignment, offset vg.Point) {
	if len(pts) == 0 {
		return
	}
	if c.texts == nil {
		c.texts = &textLabels{}
		c.Plot.Add(c.texts)
	}
	c.texts.groups = append(c.texts.groups, textGroup{pts, labels, size, col, xalign, yalign, offset})
}

// minTextFont is the smallest size AddText's labels shrink to.
const minTextFont = 5.5 // points

// textLabels is the plotter behind AddText.
type textLabels struct{ groups []textGroup }

type textGroup struct {
	pts    []Point
	labels []string
	size   vg.Length
	col    color.Color
	xalign draw.XAlignment
	yalign draw.YAlignment
	offset vg.Point
}

// A placed label is where one label goes at a scale.
type placed struct {
	s    string
	face font.Face
	col  color.Color
	box  vg.Rectangle
	base vg.Point // the baseline's start
}

// Plot implements plot.Plotter.
func (t *textLabels) Plot(dc draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&dc)
	place := func(scale vg.Length) []placed {
		var out []placed
		for _, g := range t.groups {
			face := sansFace(max(g.size*scale, min(g.size, minTextFont)))
			ext := face.Extents()
			for i, pt := range g.pts {
				if i >= len(g.labels) || g.labels[i] == "" {
					continue
				}
				w, h := face.Width(g.labels[i]), ext.Ascent+ext.Descent
				x := trX(pt.X) + g.offset.X + vg.Length(g.xalign)*w
				y := trY(pt.Y) + g.offset.Y + vg.Length(g.yalign)*h
				// Back inside the plot, sideways.
				x = max(dc.Min.X, min(x, dc.Max.X-w))
				out = append(out, placed{g.labels[i], face, g.col,
					vg.Rectangle{Min: vg.Point{X: x, Y: y}, Max: vg.Point{X: x + w, Y: y + h}},
					vg.Point{X: x, Y: y + ext.Descent}})
			}
		}
		return out
	}
	overlaps := func(a, b vg.Rectangle) bool {
		return a.Min.X < b.Max.X && b.Min.X < a.Max.X && a.Min.Y < b.Max.Y && b.Min.Y < a.Max.Y
	}
	var labels []placed
	for scale := vg.Length(1); ; scale -= 0.05 {
		labels = place(scale)
		clear := true
		for i := range labels {
			for j := i + 1; j < len(labels) && clear; j++ {
				clear = !overlaps(labels[i].box, labels[j].box)
			}
		}
		if clear || scale <= 0.05 || labels[0].face.Font.Size <= minTextFont {
			break
		}
	}
	var drawn []vg.Rectangle
	for _, l := range labels {
		if slices.ContainsFunc(drawn, func(r vg.Rectangle) bool { return overlaps(r, l.box) }) {
			continue
		}
		drawn = append(drawn, l.box)
		fillString(dc, l.face, l.col, l.base, l.s)
	}
}

// AddLegend adds a legend entry drawn by thumb, with no data.
func (c *Chart) AddLegend(label string, thumb plot.Thumbnailer) {
	c.Legend.Add(label, thumb)
	c.addSeries(label)
}

// AddFit draws a fitted law in col: dashed through the core counts it was
// fitted to (1 to maxFit), then its prediction band, shaded, with the
// band's middle dashed, out to the last prediction. The band is clipped to
// the y axis, which the data set, so a wide band never rescales the chart.
func (c *Chart) AddFit(f *stats.Fit, col color.RGBA, maxFit float64) {
	var law plotter.XYs
	for x := 1.0; x <= maxFit*1.0001; x *= math.Pow(2, 0.125) {
		law = append(law, plotter.XY{X: x, Y: f.Speedup(x)})
	}
	fit := Ref{Color: col, Dashes: FitDashes, Width: vg.Points(1.3)}
	if len(law) >= 2 {
		c.line("", fit, law)
	}
	if len(f.Bands) < 2 {
		return
	}
	clip := func(y float64) float64 { return math.Min(c.Plot.Y.Max, math.Max(c.Plot.Y.Min, y)) }
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
		c.Plot.Add(pg)
	}
	c.line("", fit, mid)
}

// AutoY switches the y axis to a log scale when the values span more than
// a decade (or forceLog), labelling ticks with unit if not nil, and
// returns whether it did. It pads the range a little.
func (c *Chart) AutoY(lo, hi float64, forceLog bool, unit func(float64) string) bool {
	if lo <= 0 || math.IsInf(lo, 0) || math.IsNaN(lo) || hi <= 0 {
		c.Plot.Y.Min = 0
		return false
	}
	if forceLog || hi/lo > 10 {
		c.Plot.Y.Scale = plot.LogScale{}
		c.Plot.Y.Tick.Marker = LogTicks{Unit: unit}
		c.Plot.Y.Min, c.Plot.Y.Max = lo/1.25, hi*1.25
		return true
	}
	c.Plot.Y.Min = 0
	c.Plot.Y.Max = hi * 1.08
	return false
}

// Nominal sets up a categorical x axis, its labels turned by rotate
// radians or more (right-aligned, when turned): when the chart is drawn,
// labels that would run into their neighbours are turned until they clear
// them. It returns the x offset of member j of n that share a category,
// spread over width, so that their markers sit side by side.
func (c *Chart) Nominal(cats []string, rotate float64, n int, width float64) func(j int) float64 {
	c.Plot.NominalX(cats...)
	c.nominal, c.turn = true, rotate
	c.Plot.X.Min, c.Plot.X.Max = -0.6, float64(len(cats))-0.4
	return func(j int) float64 {
		if n < 2 {
			return 0
		}
		return width * (float64(j)/float64(n-1) - 0.5)
	}
}

// YRange gives the smallest and largest finite positive value of the
// points, their finite intervals' bounds and extra.
func YRange(series [][]Point, extra ...float64) (lo, hi float64) {
	lo, hi = math.Inf(1), 0
	add := func(v float64) {
		if v > 0 && !math.IsInf(v, 0) && !math.IsNaN(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	for _, s := range series {
		for _, p := range s {
			add(p.Y)
			if finite(p) {
				add(p.Lo)
				add(p.Hi)
			}
		}
	}
	for _, v := range extra {
		add(v)
	}
	return lo, hi
}

func finite(p Point) bool {
	return !math.IsInf(p.Hi, 0) && !math.IsInf(p.Lo, 0) && !math.IsNaN(p.Y)
}

// AddTile fills the rectangle of half-width w and half-height h around
// (x, y) with fill, edged in white: a cell of a categorical map.
func (c *Chart) AddTile(x, y, w, h float64, fill color.Color) {
	poly, err := plotter.NewPolygon(plotter.XYs{{X: x - w, Y: y - h}, {X: x + w, Y: y - h}, {X: x + w, Y: y + h}, {X: x - w, Y: y + h}})
	if err != nil {
		return
	}
	poly.Color = fill
	poly.LineStyle.Color = color.White
	c.Plot.Add(poly)
}

// HideAxisLines draws the axes without their lines and tick marks, for a
// map of labelled tiles.
func (c *Chart) HideAxisLines() {
	for _, ax := range []*plot.Axis{&c.Plot.X, &c.Plot.Y} {
		ax.LineStyle.Width = 0
		ax.Tick.LineStyle.Width = 0
	}
}
