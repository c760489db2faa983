// Package chart draws the report's figures with gonum.org/v1/plot: a plot
// with its legend beside it (never over the data) and footnotes under it,
// rendered to SVG or PNG. It knows points, intervals, fitted laws and
// styles, not benchmarks: package report decides what each chart shows,
// this package how it looks.
package chart

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

// Chart size: PNGs are Width × Height pixels at DPI.
const (
	DPI    = 96
	Width  = 960
	Height = 560
)

var (
	chartW   = vg.Length(Width) * vg.Inch / DPI
	chartH   = vg.Length(Height) * vg.Inch / DPI
	legendW  = 2.2 * vg.Inch
	noteLine = vg.Points(12)
)

// Size is a chart's size in points, as an SVG's viewBox gives it.
func Size() (w, h float64) { return chartW.Points(), chartH.Points() }

// A Chart is one figure: a plot, its legend (drawn beside the plot so it
// never covers data) and footnotes.
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

	// Plot and Legend are the gonum plot and legend the chart draws:
	// builders set axes, scales and ticks on them directly.
	Plot   *plot.Plot
	Legend plot.Legend

	notes  []string
	ylabel string      // drawn by the chart, not by gonum: see draw
	tiles  *tileLabels // AddTileLabels's, if any
}

// New returns an empty chart with the report's fonts, a light grid and a
// legend column.
func New(file, title, xlabel, ylabel string) *Chart {
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
	return &Chart{File: file, Title: title, Plot: p, Legend: l, ylabel: ylabel}
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
	l, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: 0.5, Y: 0.5}}, Labels: []string{"no data: " + why}})
	if err == nil {
		l.TextStyle[0].XAlign = draw.XCenter
		l.TextStyle[0].Font.Size = vg.Points(13)
		l.TextStyle[0].Font.Variant = "Sans"
		c.Plot.Add(l)
	}
}

// draw lays out plot, legend and footnotes on a canvas.
func (c *Chart) draw(dc draw.Canvas) {
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	sty := c.Plot.X.Tick.Label
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
	ysty := c.Plot.Y.Label.TextStyle
	ysty.Rotation = math.Pi / 2
	ysty.XAlign, ysty.YAlign = draw.XCenter, draw.YTop
	left := ysty.Height(c.ylabel) + vg.Points(6)
	pc := draw.Crop(dc, left, -right, foot, -vg.Points(6))
	dc.FillText(ysty, vg.Point{X: dc.Min.X + vg.Points(4), Y: (pc.Min.Y + pc.Max.Y) / 2}, c.ylabel)
	c.Plot.Draw(pc)
	if right > 0 {
		lc := draw.Crop(dc, dc.Max.X-dc.Min.X-right+vg.Points(8), 0, foot, -vg.Points(30))
		c.Legend.Draw(lc)
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

// PNG renders the chart as a Width × Height PNG.
func (c *Chart) PNG() ([]byte, error) {
	cv := vgimg.NewWith(vgimg.UseWH(chartW, chartH), vgimg.UseDPI(DPI))
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
