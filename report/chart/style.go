package chart

import (
	"image/color"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Style is how one series is drawn in every chart.
type Style struct {
	Color  color.RGBA
	Glyph  draw.GlyphDrawer
	Dashes []vg.Length // nil: solid
}

// tableau10 is Tableau 10 in its own order: distinguishable, and readable
// by most colour-blind readers when combined with the markers.
var tableau10 = [10]color.RGBA{
	{31, 119, 180, 255},  // blue
	{255, 127, 14, 255},  // orange
	{44, 160, 44, 255},   // green
	{214, 39, 40, 255},   // red
	{148, 103, 189, 255}, // purple
	{140, 86, 75, 255},   // brown
	{227, 119, 194, 255}, // pink
	{127, 127, 127, 255}, // grey
	{188, 189, 34, 255},  // olive
	{23, 190, 207, 255},  // cyan
}

// Baseline is the colour of a baseline series (seq): Tableau's grey, which
// no other series takes.
var Baseline = tableau10[7]

// SeriesColors is the number of colours SeriesColor cycles through.
const SeriesColors = len(tableau10) - 1

// SeriesColor is the i'th colour of the series that are not a baseline:
// Tableau 10 without its grey, cycling.
func SeriesColor(i int) color.RGBA {
	i %= SeriesColors
	if i >= 7 {
		i++ // skip the grey
	}
	return tableau10[i]
}

// Glyph is the i'th marker of a chart's series, cycling.
func Glyph(i int) draw.GlyphDrawer { return glyphs[i%len(glyphs)] }

var glyphs = []draw.GlyphDrawer{
	draw.CrossGlyph{}, draw.CircleGlyph{}, draw.BoxGlyph{}, draw.PyramidGlyph{},
	draw.RingGlyph{}, draw.TriangleGlyph{}, draw.SquareGlyph{}, draw.PlusGlyph{},
	draw.CircleGlyph{},
}

// machineColors extends Tableau 10 (its grey darkened, so that no machine
// reads as a baseline) with darker or more saturated hues, to 20 colours
// that stay apart on white; light tints, which vanish on white, are left
// out.
var machineColors = append(append([]color.RGBA{}, tableau10[:7]...),
	color.RGBA{90, 90, 90, 255}, // dark grey
	tableau10[8], tableau10[9],
	color.RGBA{0, 0, 117, 255},     // navy
	color.RGBA{128, 0, 0, 255},     // maroon
	color.RGBA{0, 128, 128, 255},   // teal
	color.RGBA{240, 50, 230, 255},  // magenta
	color.RGBA{0, 0, 0, 255},       // black
	color.RGBA{205, 160, 0, 255},   // gold
	color.RGBA{100, 180, 255, 255}, // sky
	color.RGBA{128, 128, 0, 255},   // dark olive
	color.RGBA{255, 70, 150, 255},  // rose
	color.RGBA{80, 200, 120, 255},  // emerald
)

// MachineColors is the number of distinct machine colours.
var MachineColors = len(machineColors)

var machineGlyphs = []draw.GlyphDrawer{
	draw.CircleGlyph{}, draw.BoxGlyph{}, draw.PyramidGlyph{}, draw.RingGlyph{},
	draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.CrossGlyph{}, draw.PlusGlyph{},
}

// MachineStyle returns the colour and marker of the i'th machine of a
// comparison, the same in every chart. Colours repeat after MachineColors
// machines; with the markers, pairs stay distinct well beyond that.
func MachineStyle(i int) Style {
	return Style{Color: machineColors[i%len(machineColors)], Glyph: machineGlyphs[i%len(machineGlyphs)]}
}

// Line styles.
var (
	// PyDashes is the line style of every CPython model: dash-dot, so it
	// differs from the plain dashes of fitted predictions.
	PyDashes = []vg.Length{vg.Points(7), vg.Points(2.5), vg.Points(1.5), vg.Points(2.5)}
	// PyDashesAlt tells a set's second CPython interpreter from its first:
	// dash-dot-dot.
	PyDashesAlt = []vg.Length{vg.Points(7), vg.Points(2), vg.Points(1.5), vg.Points(2), vg.Points(1.5), vg.Points(2)}
	// FitDashes is the line style of fitted and extrapolated curves.
	FitDashes = []vg.Length{vg.Points(3), vg.Points(3)}
	// Dotted is the style of ideal lines (linear speedup, Little's law).
	Dotted = []vg.Length{vg.Points(1), vg.Points(3)}
	// Dashed is the style of a level to compare with (no load, parity).
	Dashed = []vg.Length{vg.Points(4), vg.Points(3)}
)

// Darken scales a colour towards black by f (0.7 keeps 70%).
func Darken(c color.RGBA, f float64) color.RGBA {
	return color.RGBA{uint8(float64(c.R) * f), uint8(float64(c.G) * f), uint8(float64(c.B) * f), 255}
}

// Lighten moves a colour towards white by f (0.55: 55% of the way).
func Lighten(c color.RGBA, f float64) color.RGBA {
	l := func(v uint8) uint8 { return uint8(float64(v) + (255-float64(v))*f) }
	return color.RGBA{l(c.R), l(c.G), l(c.B), 255}
}

// LineThumb is a legend thumbnail of a line style alone.
type LineThumb draw.LineStyle

// Thumbnail implements plot.Thumbnailer.
func (l LineThumb) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(draw.LineStyle(l), c.Min.X, y, c.Max.X, y)
}

// Swatch is a filled square legend thumbnail.
type Swatch struct{ Color color.Color }

// Thumbnail implements plot.Thumbnailer.
func (s Swatch) Thumbnail(c *draw.Canvas) {
	r := c.Rectangle
	h := r.Max.Y - r.Min.Y
	c.SetColor(s.Color)
	c.Fill(vg.Rectangle{Min: vg.Point{X: r.Min.X, Y: r.Min.Y}, Max: vg.Point{X: r.Min.X + h*1.6, Y: r.Max.Y}}.Path())
}
