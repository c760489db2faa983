package chart

import (
	"image/color"
	"slices"
	"strings"
	"sync"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// tilePad is the room kept between a tile's edge and its label.
const tilePad = 3 // points

// A TileFit is where one tile label landed: the text's extent and its
// tile's, in points, once the chart was drawn. Tests measure them.
type TileFit struct {
	Label      string    // the label as drawn, lines joined by "\n"
	Size       vg.Length // the font size it was drawn at
	TextW      vg.Length
	TextH      vg.Length
	TileW      vg.Length
	TileH      vg.Length
	Requested  vg.Length // the size asked for
	Shrunk     bool      // drawn smaller than asked, to fit
	Overflowed bool      // did not fit even at the smallest size
}

// minTileFont is the smallest size a tile label shrinks to; below it a
// label is wrapped further rather than made unreadable.
const minTileFont = 6.5 // points

// AddTileLabels writes each label centred on its point, inside the tile of
// half-width w and half-height h (data units) around it, at size or
// smaller: the tile's size on the page is known only when the chart is
// drawn, so the label is fitted then. A line too wide is first wrapped at
// its spaces (and after a " + "), then the font shrinks until the widest
// line and the lines together fit the tile less a small padding. What was
// drawn, and how it fitted, is in TileFits after the chart is rendered.
func (c *Chart) AddTileLabels(pts []Point, labels []string, w, h float64, size vg.Length, col color.Color) {
	if len(pts) == 0 {
		return
	}
	c.tiles = &tileLabels{pts: pts, labels: labels, w: w, h: h, size: size, col: col}
	c.Plot.Add(c.tiles)
}

// TileFits returns how each tile label of the last rendering fitted; nil
// before the chart was rendered.
func (c *Chart) TileFits() []TileFit {
	if c.tiles == nil {
		return nil
	}
	c.tiles.mu.Lock()
	defer c.tiles.mu.Unlock()
	return slices.Clone(c.tiles.fits)
}

// tileLabels is the plotter behind AddTileLabels.
type tileLabels struct {
	mu     sync.Mutex // the SVG and the PNG may render at once
	fits   []TileFit
	pts    []Point
	labels []string
	w, h   float64
	size   vg.Length
	col    color.Color
}

// Plot implements plot.Plotter: it fits and draws every label.
func (t *tileLabels) Plot(dc draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&dc)
	var fits []TileFit
	defer func() {
		t.mu.Lock()
		t.fits = fits
		t.mu.Unlock()
	}()
	for i, pt := range t.pts {
		if i >= len(t.labels) {
			break
		}
		tileW := trX(pt.X+t.w) - trX(pt.X-t.w)
		tileH := trY(pt.Y+t.h) - trY(pt.Y-t.h)
		lines, sty, fit := fitLabel(t.labels[i], t.size, tileW-2*vg.Points(tilePad), tileH-2*vg.Points(tilePad))
		sty.Color = t.col
		fit.TileW, fit.TileH = tileW, tileH
		fits = append(fits, fit)
		lh := sty.FontExtents().Height
		y0 := trY(pt.Y) + lh*vg.Length(len(lines)-1)/2
		for j, l := range lines {
			dc.FillText(sty, vg.Point{X: trX(pt.X), Y: y0 - lh*vg.Length(j)}, l)
		}
	}
}

// fitLabel chooses the lines and font size at which label fits width ×
// height: its own lines at size if they fit, else each line wrapped to the
// width, then smaller sizes down to minTileFont.
func fitLabel(label string, size, width, height vg.Length) ([]string, text.Style, TileFit) {
	sty := text.Style{Font: plot.DefaultFont, Handler: plot.DefaultTextHandler, XAlign: draw.XCenter, YAlign: draw.YCenter}
	sty.Font.Variant = "Sans"
	measure := func(lines []string, s vg.Length) (w, h vg.Length) {
		sty.Font.Size = s
		for _, l := range lines {
			w = max(w, sty.Width(l))
		}
		return w, sty.FontExtents().Height * vg.Length(len(lines))
	}
	fit := TileFit{Requested: size}
	var lines []string
	for s := size; ; s -= 0.5 {
		s = max(s, vg.Points(minTileFont))
		sty.Font.Size = s
		lines = nil
		for _, l := range strings.Split(label, "\n") {
			if sty.Width(l) <= width {
				lines = append(lines, l)
				continue
			}
			// "concurrency + parallelism" breaks after its "+": the "+"
			// is glued to the word before it while wrapping.
			for _, wl := range wrap(sty, strings.ReplaceAll(l, " + ", "\x01+ "), width) {
				lines = append(lines, strings.ReplaceAll(wl, "\x01", " "))
			}
		}
		w, h := measure(lines, s)
		fit.Size, fit.TextW, fit.TextH = s, w, h
		if w <= width && h <= height {
			break
		}
		if s <= vg.Points(minTileFont) {
			fit.Overflowed = true
			break
		}
	}
	fit.Shrunk = fit.Size < size
	fit.Label = strings.Join(lines, "\n")
	sty.Font.Size = fit.Size
	return lines, sty, fit
}
