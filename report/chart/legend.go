package chart

import (
	"image/color"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// A Legend is a chart's key: an entry per series, its thumbnails beside
// its name. Where it goes and how large its text is are decided when the
// chart is drawn, from the names' widths in the font: as many columns as
// the room allows, the text shrunk down to minLegendFont, and only then a
// name wrapped.
type Legend struct {
	entries []legendEntry
}

type legendEntry struct {
	name   string
	thumbs []plot.Thumbnailer
}

// Add adds an entry named name, drawn by thumbs (on top of each other).
func (l *Legend) Add(name string, thumbs ...plot.Thumbnailer) {
	l.entries = append(l.entries, legendEntry{name, thumbs})
}

// Len is the number of entries.
func (l *Legend) Len() int { return len(l.entries) }

// The legend's sizes, in points.
const (
	legendFont    = 10  // the size asked for
	minLegendFont = 7.5 // the smallest it shrinks to before wrapping
	legendThumb   = 26  // thumbnail width
	legendGap     = 4   // between thumbnail and name
	legendColGap  = 12  // between columns
	lineSpacing   = 1.2 // line pitch, in font sizes
)

// sansFace is the report's sans serif at size.
func sansFace(size vg.Length) font.Face {
	fnt := plot.DefaultFont
	fnt.Variant = "Sans"
	return font.DefaultCache.Lookup(fnt, size)
}

// A legendLayout is where a legend's entries go: each entry's lines, in
// columns filled top to bottom, at one font size.
type legendLayout struct {
	size  vg.Length
	lines [][]string  // per entry
	cols  [][]int     // entry indices per column
	colW  []vg.Length // per column: thumbnail, gap and widest name
	w, h  vg.Length
}

// fit lays the legend out in at most maxW × maxH. It takes the largest
// font size, from legendFont down to minLegendFont, at which some number
// of columns fits, and the fewest columns at that size, or with wide the
// most (a legend under a plot is better short than narrow). When nothing
// fits, names are wrapped at minLegendFont to the column width and the
// legend may be taller than maxH: the caller gives it the room it needs.
func (l *Legend) fit(maxW, maxH vg.Length, wide bool) legendLayout {
	n := len(l.entries)
	if n == 0 {
		return legendLayout{}
	}
	for size := vg.Length(legendFont); size >= minLegendFont; size -= 0.5 {
		face := sansFace(size)
		lines := make([][]string, n)
		for i, e := range l.entries {
			lines[i] = strings.Split(e.name, "\n")
		}
		order := make([]int, 0, n)
		for c := 1; c <= n; c++ {
			order = append(order, c)
		}
		if wide {
			for i, j := 0, len(order)-1; i < j; i, j = i+1, j-1 {
				order[i], order[j] = order[j], order[i]
			}
		}
		for _, c := range order {
			lo := layoutCols(face, lines, c)
			if lo.w <= maxW && lo.h <= maxH {
				return lo
			}
		}
	}
	// Wrap at the floor size, in the number of columns that makes the
	// legend shortest.
	face := sansFace(minLegendFont)
	var best legendLayout
	for c := 1; c <= n; c++ {
		textW := (maxW-vg.Length(c-1)*legendColGap)/vg.Length(c) - legendThumb - legendGap
		if textW < 40 && c > 1 {
			break
		}
		lines := make([][]string, n)
		for i, e := range l.entries {
			for _, ln := range strings.Split(e.name, "\n") {
				lines[i] = append(lines[i], wrapName(face, ln, textW)...)
			}
		}
		if lo := layoutCols(face, lines, c); c == 1 || lo.h < best.h {
			best = lo
		}
	}
	return best
}

// layoutCols puts entries of lines into c columns filled top to bottom,
// each column holding about as many lines as the others.
func layoutCols(face font.Face, lines [][]string, c int) legendLayout {
	size := face.Font.Size
	lo := legendLayout{size: size, lines: lines}
	total := 0
	for _, ls := range lines {
		total += len(ls)
	}
	per := (total + c - 1) / c
	var col []int
	used := 0
	for i, ls := range lines {
		if len(col) > 0 && used+len(ls) > per && len(lo.cols) < c-1 {
			lo.cols = append(lo.cols, col)
			col, used = nil, 0
		}
		col = append(col, i)
		used += len(ls)
	}
	lo.cols = append(lo.cols, col)
	pitch := size * lineSpacing
	for ci, col := range lo.cols {
		var tw vg.Length
		nl := 0
		for _, i := range col {
			for _, ln := range lines[i] {
				tw = max(tw, face.Width(ln))
			}
			nl += len(lines[i])
		}
		lo.colW = append(lo.colW, legendThumb+legendGap+tw)
		lo.w += lo.colW[ci]
		lo.h = max(lo.h, pitch*vg.Length(nl))
	}
	lo.w += legendColGap * vg.Length(len(lo.cols)-1)
	return lo
}

// wrapName breaks a name into lines no wider than width: at spaces, else
// after a '@', '-', '/', '=' or '_', else between any two characters.
func wrapName(face font.Face, s string, width vg.Length) []string {
	if face.Width(s) <= width {
		return []string{s}
	}
	var lines []string
	for s != "" {
		if face.Width(s) <= width {
			lines = append(lines, s)
			break
		}
		// The longest prefix that fits, then the last good break in it.
		runes := []rune(s)
		fit := 1
		for fit < len(runes) && face.Width(string(runes[:fit+1])) <= width {
			fit++
		}
		cut := fit
		for i := fit; i > 0; i-- {
			if r := runes[i-1]; r == ' ' || strings.ContainsRune("@-/=_", r) {
				cut = i
				break
			}
		}
		lines = append(lines, strings.TrimRight(string(runes[:cut]), " "))
		s = strings.TrimLeft(string(runes[cut:]), " ")
	}
	return lines
}

// draw draws the laid-out legend with its top left corner at (x, top).
func (l *Legend) draw(dc draw.Canvas, lo legendLayout, x, top vg.Length) {
	face := sansFace(lo.size)
	ext := face.Extents()
	pitch := lo.size * lineSpacing
	for ci, col := range lo.cols {
		y := top
		for _, i := range col {
			// The thumbnails fill the entry's first line, as tall as the
			// text; the text's baseline centres the line's glyph box.
			thumb := draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
				Min: vg.Point{X: x, Y: y - pitch + (pitch-lo.size)/2},
				Max: vg.Point{X: x + legendThumb, Y: y - (pitch-lo.size)/2},
			}}
			for _, t := range l.entries[i].thumbs {
				t.Thumbnail(&thumb)
			}
			for _, ln := range lo.lines[i] {
				base := y - (pitch-(ext.Ascent+ext.Descent))/2 - ext.Ascent
				fillString(dc, face, color.Black, vg.Point{X: x + legendThumb + legendGap, Y: base}, ln)
				y -= pitch
			}
		}
		x += lo.colW[ci] + legendColGap
	}
}

// fillString draws s with its baseline starting at pt.
func fillString(dc draw.Canvas, face font.Face, col color.Color, pt vg.Point, s string) {
	dc.SetColor(col)
	dc.FillString(face, pt, s)
}

// fitText returns the size, from size down to floor, at which s fits
// width in the sans serif, and s broken into lines that fit at floor when
// none does.
func fitText(s string, size, floor, width vg.Length) (vg.Length, []string) {
	for ; size > floor; size -= 0.5 {
		if face := sansFace(size); face.Width(s) <= width {
			return size, []string{s}
		}
	}
	face := sansFace(floor)
	var out []string
	for _, ln := range wrapWords(s, width, face.Width) {
		out = append(out, wrapName(face, ln, width)...)
	}
	return floor, out
}
