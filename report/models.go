package report

import (
	"image/color"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Style is how one model is drawn in every chart.
type Style struct {
	Color  color.RGBA
	Glyph  draw.GlyphDrawer
	Dashes []vg.Length // nil: solid
}

// palette is Tableau 10: distinguishable, and readable by most colour-blind
// readers when combined with the markers. The matrix's models take it in
// their order, the baseline first (grey).
var palette = []color.RGBA{
	{127, 127, 127, 255}, // grey
	{31, 119, 180, 255},  // blue
	{255, 127, 14, 255},  // orange
	{44, 160, 44, 255},   // green
	{214, 39, 40, 255},   // red
	{148, 103, 189, 255}, // purple
	{140, 86, 75, 255},   // brown
	{227, 119, 194, 255}, // pink
	{188, 189, 34, 255},  // olive
	{23, 190, 207, 255},  // cyan
}

var glyphs = []draw.GlyphDrawer{
	draw.CrossGlyph{}, draw.CircleGlyph{}, draw.BoxGlyph{}, draw.PyramidGlyph{},
	draw.RingGlyph{}, draw.TriangleGlyph{}, draw.SquareGlyph{}, draw.PlusGlyph{},
	draw.CircleGlyph{},
}

// pyDashes is the line style of every Python model: dash-dot, so it differs
// from the plain dashes of fitted predictions.
var pyDashes = []vg.Length{vg.Points(7), vg.Points(2.5), vg.Points(1.5), vg.Points(2.5)}

// fitDashes is the line style of fitted and extrapolated curves.
var fitDashes = []vg.Length{vg.Points(3), vg.Points(3)}

// Style returns the fixed colour, marker and line style of a model: the
// matrix's Go models in its order (the baseline first, grey); a CPython
// model takes its Go counterpart's hue, darkened, and a dash-dot line;
// models the matrix does not name get a colour by their position i among
// the unknown models of a chart.
func (m *Matrix) Style(model string, i int) Style {
	if g, ok := m.Counterpart(model); ok {
		s := m.Style(g, 0)
		s.Color = darken(s.Color, 0.7)
		s.Dashes = pyDashes
		return s
	}
	if r := m.Rank(model); r < len(m.Models) && r < len(palette)-1 {
		return Style{Color: palette[r], Glyph: glyphs[r%len(glyphs)]}
	}
	return Style{Color: genericColor(i), Glyph: glyphs[i%len(glyphs)]}
}

// genericColor is the i'th colour for series that are not concbench models
// (generic mode): the palette without grey, which means "baseline".
func genericColor(i int) color.RGBA {
	return palette[1+i%(len(palette)-1)]
}

func darken(c color.RGBA, f float64) color.RGBA {
	return color.RGBA{uint8(float64(c.R) * f), uint8(float64(c.G) * f), uint8(float64(c.B) * f), 255}
}
