// Package chart draws the report's figures with gonum.org/v1/plot: a plot
// with its legend beside it (never over the data) and footnotes under it,
// or a figure of panels, each with its legend under it, rendered to SVG
// or PNG. Every text is laid out from the font's real advance widths, so
// that none leaves the canvas or runs into another (package charttest
// measures the SVG to prove it). It knows points, intervals, fitted laws
// and styles, not benchmarks: package report decides what each chart
// shows, this package how it looks.
package chart

import (
	"bytes"
	"fmt"
	"image/color"
	"image/png"
	"math"
	"strings"
	"sync"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Chart size: PNGs are Width × Height pixels at DPI, unless a chart of
// panels needs more height (see Panel).
const (
	DPI    = 96
	Width  = 960
	Height = 560
)

var (
	chartW   = vg.Length(Width) * vg.Inch / DPI
	chartH   = vg.Length(Height) * vg.Inch / DPI
	noteLine = vg.Points(12)
)

// Size is a chart's size in points, as an SVG's viewBox gives it, for
// a chart without panels; [Chart.Size] gives any chart's.
func Size() (w, h float64) { return chartW.Points(), chartH.Points() }

// A Chart is one figure: a plot, its legend (drawn beside the plot so it
// never covers data) and footnotes; or, once Panel is called, a row or
// grid of panels, each a plot with its legend under it, sharing the
// chart's title, y label and footnotes.
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

	// Plot and Legend are the gonum plot and the legend the chart draws:
	// builders set axes, scales and ticks on the plot directly.
	Plot   *plot.Plot
	Legend Legend

	notes  []string
	xlabel string
	ylabel string      // drawn by the chart, not by gonum: see draw
	tiles  *tileLabels // AddTileLabels's, if any
	texts  *textLabels // AddText's, if any
	empty  string      // what Empty writes in the plot's middle

	parent *Chart   // the chart a panel belongs to
	panels []*Chart // Panel's, in order

	nominal bool    // the x axis is categorical (Nominal)
	turn    float64 // the least rotation of its labels, radians

	once   sync.Once // lays the chart out, once, for SVG and PNG alike
	lay    layout
	layErr error
}

// New returns an empty chart with the report's fonts, a light grid and a
// legend.
func New(file, title, xlabel, ylabel string) *Chart {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(titleFont)
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
	return &Chart{File: file, Title: title, Plot: p, xlabel: xlabel, ylabel: ylabel}
}

// Panel adds a panel titled title to the chart and returns it: a chart of
// its own, with the chart's x label, on which the builder draws as on any
// chart, and whose legend goes under its plot. The chart then draws its
// panels, in order, in rows of up to three, with its own title, y label
// and notes around them; it grows taller than Height when the panels'
// plots and legends need it. Panels share their axes only as the builder
// sets them: give each the same ranges.
func (c *Chart) Panel(title string) *Chart {
	p := New(fmt.Sprintf("%s-%d", c.File, len(c.panels)+1), title, c.xlabel, "")
	p.Plot.Title.TextStyle.Font.Size = vg.Points(panelTitleFont)
	p.Plot.Title.Padding = vg.Points(4)
	p.parent = c
	c.panels = append(c.panels, p)
	return p
}

// Panels returns the chart's panels, in order.
func (c *Chart) Panels() []*Chart { return c.panels }

// addSeries records a legend entry's name, in a panel's chart too.
func (c *Chart) addSeries(label string) {
	c.Series = append(c.Series, label)
	if c.parent != nil {
		c.parent.Series = append(c.parent.Series, label)
	}
}

// Note adds a footnote line under the plot.
func (c *Chart) Note(format string, args ...any) {
	c.notes = append(c.notes, fmt.Sprintf(format, args...))
}

// Lacks records what the chart lacks; it is printed in the chart, in red,
// and in the pages.
func (c *Chart) Lacks(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if c.Partial != "" {
		c.Partial += "; "
	}
	c.Partial += msg
}

// Empty marks a chart with nothing to draw, saying why in its middle.
func (c *Chart) Empty(why string) {
	c.Lacks("%s", why)
	c.Plot.X.Min, c.Plot.X.Max, c.Plot.Y.Min, c.Plot.Y.Max = 0, 1, 0, 1
	c.Plot.X.Scale, c.Plot.Y.Scale = plot.LinearScale{}, plot.LinearScale{}
	c.Plot.X.Tick.Marker, c.Plot.Y.Tick.Marker = plot.ConstantTicks(nil), plot.ConstantTicks(nil)
	c.empty = "no data: " + why
}

// Text sizes, in points.
const (
	titleFont      = 14
	panelTitleFont = 12
	minTitleFont   = 10
	noteFont       = 9.5
	minTickFont    = 6 // the smallest a crowded axis's labels shrink to
	emptyFont      = 13
	margin         = 6 // around the canvas's edge
)

// The least height of a panel's plot, axes and title included, in points:
// a figure of many panels grows rather than squash them.
const minPanelPlot = 190

// A layout is where everything of a chart goes on its canvas, decided
// once from the text's measured widths: the SVG and the PNG draw the same.
type layout struct {
	w, h    vg.Length
	notes   []string
	partial int // the first notes, from Partial, drawn in red

	ylabel     []string
	ylabelSize vg.Length
	yMid       vg.Length // the y label's centre, from the bottom

	title     []string // a chart of panels' title, drawn by the chart
	titleSize vg.Length

	plot     vg.Rectangle // a chart without panels: the plot's area
	legend   legendLayout // its legend, right of the plot
	legendAt vg.Point     // the legend's top left corner

	cells []cell // a chart of panels: each panel's place
}

// A cell is one panel's place in a chart of panels.
type cell struct {
	plot     vg.Rectangle
	legend   legendLayout
	legendAt vg.Point
}

// Size returns the chart's size in points: Width × Height at DPI, or
// taller for a chart that needs it (see Panel).
func (c *Chart) Size() (w, h float64) {
	lay, err := c.layout()
	if err != nil {
		return Size()
	}
	return lay.w.Points(), lay.h.Points()
}

// layout lays the chart out, once, turning a panic inside gonum/plot (it
// panics on some degenerate ranges) into an error.
func (c *Chart) layout() (*layout, error) {
	c.once.Do(func() {
		defer func() {
			if r := recover(); r != nil {
				c.layErr = fmt.Errorf("laying out chart %s: %v", c.File, r)
			}
		}()
		c.lay = c.plan()
	})
	return &c.lay, c.layErr
}

// plan decides the layout. It sets what gonum draws from the plot itself
// (the title's size and lines, turned tick labels), which is why it runs
// once, before any rendering.
func (c *Chart) plan() layout {
	lay := layout{w: chartW, h: chartH}
	inner := lay.w - 2*margin
	noteSize := vg.Points(noteFont)
	if c.Partial != "" {
		_, lay.notes = fitText("Partial: "+c.Partial, noteSize, noteSize, inner-4)
		lay.partial = len(lay.notes)
	}
	for _, n := range c.notes {
		_, lines := fitText(n, noteSize, noteSize, inner-4)
		lay.notes = append(lay.notes, lines...)
	}
	foot := noteLine*vg.Length(len(lay.notes)) + margin
	ysize := c.Plot.Y.Label.TextStyle.Font.Size
	left := vg.Length(margin)
	if c.ylabel != "" {
		left += ysize*lineSpacing + 2
	}
	if len(c.panels) == 0 {
		c.planSingle(&lay, left, foot)
	} else {
		c.planPanels(&lay, left, foot)
	}
	if c.ylabel != "" {
		top := lay.h - margin
		if len(lay.title) > 0 {
			top -= vg.Length(len(lay.title)) * lay.titleSize * lineSpacing
		}
		lay.yMid = (foot + top) / 2
		lay.ylabelSize, lay.ylabel = fitText(c.ylabel, ysize, 8, top-foot)
	}
	return lay
}

// planSingle lays out a chart without panels: the legend right of the
// plot, as wide as its names need (up to 42% of the chart), its text
// shrunk and then wrapped to fit the plot's height.
func (c *Chart) planSingle(lay *layout, left, foot vg.Length) {
	right := vg.Length(margin)
	top := lay.h - margin
	if c.Legend.Len() > 0 {
		// The legend starts level with the plot's data, under the title.
		legTop := top - 24
		lay.legend = c.Legend.fit(0.42*lay.w, legTop-foot, false)
		if need := foot + lay.legend.h + (lay.h - legTop); need > lay.h {
			// The legend takes the height it needs.
			lay.h = pixels(need)
			top, legTop = lay.h-margin, lay.h-margin-24
		}
		lay.legendAt = vg.Point{X: lay.w - margin - lay.legend.w, Y: legTop}
		right += lay.legend.w + 8
	}
	lay.plot = vg.Rectangle{Min: vg.Point{X: left, Y: foot}, Max: vg.Point{X: lay.w - right, Y: top}}
	fitTitle(c.Plot, lay.plot.Max.X-lay.plot.Min.X, titleFont)
	c.turnLabels(lay.plot.Max.X - lay.plot.Min.X)
}

// planPanels lays out a chart of panels: rows of up to three panels (two
// when there are four), each panel's legend under its plot in as many
// columns as fit, the plots as tall as the chart's height leaves them but
// never under minPanelPlot.
func (c *Chart) planPanels(lay *layout, left, foot vg.Length) {
	n := len(c.panels)
	cols := min(n, 3)
	if n == 4 {
		cols = 2
	}
	rows := (n + cols - 1) / cols
	inner := lay.w - margin - left
	lay.titleSize, lay.title = fitText(c.Plot.Title.Text, vg.Points(titleFont), vg.Points(minTitleFont), lay.w-2*margin)
	titleH := vg.Length(len(lay.title))*lay.titleSize*lineSpacing + 4
	cellW := inner / vg.Length(cols)
	legH := make([]vg.Length, rows)
	lay.cells = make([]cell, n)
	for i, p := range c.panels {
		lay.cells[i].legend = p.Legend.fit(cellW-12, vg.Length(math.Inf(1)), true)
		if h := lay.cells[i].legend.h; h > 0 {
			legH[i/cols] = max(legH[i/cols], h+4)
		}
	}
	sumLeg := vg.Length(0)
	for _, h := range legH {
		sumLeg += h
	}
	plotH := max(vg.Points(minPanelPlot), (lay.h-margin-titleH-foot-sumLeg-vg.Length(rows-1)*8)/vg.Length(rows))
	lay.h = max(lay.h, margin+titleH+vg.Length(rows)*plotH+sumLeg+vg.Length(rows-1)*8+foot)
	lay.h = pixels(lay.h)
	top := lay.h - margin - titleH
	for r := range rows {
		for j := range cols {
			i := r*cols + j
			if i >= n {
				break
			}
			x0 := left + vg.Length(j)*cellW
			cl := &lay.cells[i]
			cl.plot = vg.Rectangle{Min: vg.Point{X: x0, Y: top - plotH}, Max: vg.Point{X: x0 + cellW - 8, Y: top}}
			cl.legendAt = vg.Point{X: x0 + 8, Y: top - plotH - 2}
			p := c.panels[i]
			fitTitle(p.Plot, cellW-8, panelTitleFont)
			p.turnLabels(cellW - 8)
		}
		top -= plotH + legH[r] + 8
	}
}

// pixels rounds a height up to a whole number of pixels, so that the PNG
// is the SVG's size.
func pixels(h vg.Length) vg.Length {
	px := vg.Inch / DPI
	return vg.Length(math.Ceil(float64(h/px))) * px
}

// fitTitle sets the plot's title to a size from size down to
// minTitleFont at which it fits width, wrapped if it fits at none.
func fitTitle(p *plot.Plot, width vg.Length, size float64) {
	if p.Title.Text == "" {
		return
	}
	sz, lines := fitText(p.Title.Text, vg.Points(size), vg.Points(min(size, minTitleFont)), width)
	p.Title.TextStyle.Font.Size = sz
	p.Title.Text = strings.Join(lines, "\n")
}

// turnLabels turns a categorical axis's labels, in a plot width wide,
// enough that neighbours clear each other: two parallel lines of text at
// angle θ, d apart along the axis, are d·sin θ apart across it.
func (c *Chart) turnLabels(width vg.Length) {
	if !c.nominal {
		return
	}
	ax := &c.Plot.X
	sty := ax.Tick.Label
	ticks := ax.Tick.Marker.Ticks(ax.Min, ax.Max)
	var widest vg.Length
	for _, t := range ticks {
		widest = max(widest, sty.Width(t.Label))
	}
	// The data area is the plot less the y axis: its tick labels and
	// marks.
	yw := vg.Length(0)
	if y := c.Plot.Y; y.Min < y.Max && !math.IsInf(y.Max-y.Min, 0) {
		for _, t := range y.Tick.Marker.Ticks(y.Min, y.Max) {
			yw = max(yw, y.Tick.Label.Width(t.Label))
		}
	}
	d := (width - yw - 16) / vg.Length(ax.Max-ax.Min)
	// Categories closer than a line of text, even upright: smaller text.
	ext := sty.FontExtents()
	for ext.Ascent+ext.Descent+1 > d && sty.Font.Size > minTickFont {
		sty.Font.Size -= 0.5
		ext = sty.FontExtents()
	}
	ax.Tick.Label.Font.Size = sty.Font.Size
	h := ext.Ascent + ext.Descent + 1
	turn := c.turn
	if widest+2 > d || turn != 0 {
		turn = math.Max(turn, math.Asin(math.Min(1, float64(h/d))))
	}
	if turn != 0 {
		ax.Tick.Label.Rotation = turn
		ax.Tick.Label.XAlign = draw.XRight
	}
}

// draw draws the chart on a canvas of its Size.
func (c *Chart) draw(dc draw.Canvas, lay *layout) {
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	at := func(r vg.Rectangle) draw.Canvas {
		return draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{Min: dc.Min.Add(r.Min), Max: dc.Min.Add(r.Max)}}
	}
	if len(c.panels) == 0 {
		c.Plot.Draw(at(lay.plot))
		c.Legend.draw(dc, lay.legend, dc.Min.X+lay.legendAt.X, dc.Min.Y+lay.legendAt.Y)
		if c.empty != "" {
			pc := c.Plot.DataCanvas(at(lay.plot))
			size, lines := fitText(c.empty, emptyFont, 9, pc.Max.X-pc.Min.X-20)
			face := sansFace(size)
			for i, l := range lines {
				w := face.Width(l)
				y := pc.Center().Y - size*lineSpacing*vg.Length(i)
				fillString(dc, face, color.Black, vg.Point{X: pc.Center().X - w/2, Y: y}, l)
			}
		}
	} else {
		face := sansFace(lay.titleSize)
		ext := face.Extents()
		y := dc.Max.Y - margin - ext.Ascent
		for _, l := range lay.title {
			fillString(dc, face, color.Black, vg.Point{X: dc.Min.X + (lay.w-face.Width(l))/2, Y: y}, l)
			y -= lay.titleSize * lineSpacing
		}
		for i, p := range c.panels {
			cl := lay.cells[i]
			p.Plot.Draw(at(cl.plot))
			p.Legend.draw(dc, cl.legend, dc.Min.X+cl.legendAt.X, dc.Min.Y+cl.legendAt.Y)
		}
	}
	if len(lay.ylabel) > 0 {
		// Drawn by the chart, not by gonum: gonum reserves room for the y
		// label around the linear midpoint of the axis range, which on a
		// log axis is near the top and squashes the plot.
		ysty := c.Plot.Y.Label.TextStyle
		ysty.Font.Size = lay.ylabelSize
		ysty.Rotation = math.Pi / 2
		ysty.XAlign, ysty.YAlign = draw.XCenter, draw.YTop
		dc.FillText(ysty, vg.Point{X: dc.Min.X + margin, Y: dc.Min.Y + lay.yMid}, strings.Join(lay.ylabel, "\n"))
	}
	face := sansFace(noteFont)
	for i, n := range lay.notes {
		col := color.Color(color.Gray{60})
		if i < lay.partial {
			col = color.RGBA{170, 40, 30, 255}
		}
		y := dc.Min.Y + margin + face.Extents().Descent + noteLine*vg.Length(len(lay.notes)-1-i)
		fillString(dc, face, col, vg.Point{X: dc.Min.X + margin + 2, Y: y}, n)
	}
}

// wrap breaks text into lines no wider than width in sty, at spaces.
func wrap(sty text.Style, s string, width vg.Length) []string {
	return wrapWords(s, width, sty.Width)
}

// wrapWords breaks s into lines no wider than width, as widthOf measures
// them, at spaces; a word wider than width stands on a line of its own.
func wrapWords(s string, width vg.Length, widthOf func(string) vg.Length) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		next := w
		if line != "" {
			next = line + " " + w
		}
		if line != "" && widthOf(next) > width {
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

// render draws the chart on a canvas of its size, turning a panic inside
// gonum/plot into an error.
func (c *Chart) render(cv func(w, h vg.Length) vg.CanvasSizer) (err error) {
	lay, err := c.layout()
	if err != nil {
		return err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("drawing chart %s: %v", c.File, r)
		}
	}()
	c.draw(draw.New(cv(lay.w, lay.h)), lay)
	return nil
}

// SVG renders the chart as an SVG document.
func (c *Chart) SVG() ([]byte, error) {
	var cv *vgsvg.Canvas
	if err := c.render(func(w, h vg.Length) vg.CanvasSizer { cv = vgsvg.New(w, h); return cv }); err != nil {
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

// PNG renders the chart as a PNG of its Size at DPI: Width × Height
// pixels, or taller for a chart of panels that needs it.
func (c *Chart) PNG() ([]byte, error) {
	var cv *vgimg.Canvas
	if err := c.render(func(w, h vg.Length) vg.CanvasSizer {
		cv = vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(DPI))
		return cv
	}); err != nil {
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
