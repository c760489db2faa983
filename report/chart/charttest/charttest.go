// Package charttest measures the text of an SVG that package chart wrote,
// as a browser would lay it out: each <text> element's string is measured
// with the advance widths and extents of the font the element names (the
// Liberation fonts gonum/plot draws with), placed by its x, y and every
// transform above it, and checked against the canvas and the other texts.
// Tests of the report's charts use it; it draws nothing.
package charttest

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
)

// A Rect is a box in the SVG's user units (points for package chart), y
// growing downwards as in the SVG.
type Rect struct{ MinX, MinY, MaxX, MaxY float64 }

// Dx is the box's width.
func (r Rect) Dx() float64 { return r.MaxX - r.MinX }

// Dy is the box's height.
func (r Rect) Dy() float64 { return r.MaxY - r.MinY }

// Intersection is the overlap of r and s; it is empty (Dx or Dy ≤ 0) when
// they do not overlap.
func (r Rect) Intersection(s Rect) Rect {
	return Rect{math.Max(r.MinX, s.MinX), math.Max(r.MinY, s.MinY), math.Min(r.MaxX, s.MaxX), math.Min(r.MaxY, s.MaxY)}
}

func (r Rect) String() string {
	return fmt.Sprintf("[%.1f, %.1f]×[%.1f, %.1f]", r.MinX, r.MaxX, r.MinY, r.MaxY)
}

// A Text is one <text> element as drawn.
type Text struct {
	S      string  // the string drawn
	Family string  // the first family of its font-family
	Size   float64 // font size, in user units
	// Box is the text's extent on the canvas: its advance width (kerning
	// included) by the font's ascent and descent around the baseline,
	// through every transform above the element.
	Box Rect
	// Quad is the same extent's corners, in order around it: for a
	// rotated text, Box is the upright box around Quad.
	Quad [4]Point
	// Horizontal says the text is drawn left to right, unrotated.
	Horizontal bool
	Line       int // the line of the SVG the element starts on
}

func (t Text) String() string {
	return fmt.Sprintf("%q (%s %.3gpt, line %d) at %v", t.S, t.Family, t.Size, t.Line, t.Box)
}

// A Point is a point on the canvas.
type Point struct{ X, Y float64 }

// affine is the SVG matrix(a b c d e f): x' = a x + c y + e, y' = b x + d y + f.
type affine [6]float64

var identity = affine{1, 0, 0, 1, 0, 0}

// mul is m·n: n applied first.
func (m affine) mul(n affine) affine {
	return affine{
		m[0]*n[0] + m[2]*n[1], m[1]*n[0] + m[3]*n[1],
		m[0]*n[2] + m[2]*n[3], m[1]*n[2] + m[3]*n[3],
		m[0]*n[4] + m[2]*n[5] + m[4], m[1]*n[4] + m[3]*n[5] + m[5],
	}
}

func (m affine) apply(x, y float64) (float64, float64) {
	return m[0]*x + m[2]*y + m[4], m[1]*x + m[3]*y + m[5]
}

var transformRe = regexp.MustCompile(`\s*(matrix|translate|scale|rotate)\s*\(([^)]*)\)`)

// parseTransform reads an SVG transform list.
func parseTransform(s string) (affine, error) {
	m := identity
	rest := strings.TrimSpace(s)
	for rest != "" {
		loc := transformRe.FindStringSubmatchIndex(rest)
		if loc == nil || loc[0] != 0 {
			return m, fmt.Errorf("bad transform %q", s)
		}
		name := rest[loc[2]:loc[3]]
		var args []float64
		for _, f := range strings.FieldsFunc(rest[loc[4]:loc[5]], func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
			v, err := strconv.ParseFloat(f, 64)
			if err != nil {
				return m, fmt.Errorf("bad transform %q: %v", s, err)
			}
			args = append(args, v)
		}
		var t affine
		switch {
		case name == "matrix" && len(args) == 6:
			copy(t[:], args)
		case name == "translate" && len(args) == 1:
			t = affine{1, 0, 0, 1, args[0], 0}
		case name == "translate" && len(args) == 2:
			t = affine{1, 0, 0, 1, args[0], args[1]}
		case name == "scale" && len(args) == 1:
			t = affine{args[0], 0, 0, args[0], 0, 0}
		case name == "scale" && len(args) == 2:
			t = affine{args[0], 0, 0, args[1], 0, 0}
		case name == "rotate" && len(args) == 1:
			sin, cos := math.Sincos(args[0] * math.Pi / 180)
			t = affine{cos, sin, -sin, cos, 0, 0}
		default:
			return m, fmt.Errorf("bad transform %q: %s with %d arguments", s, name, len(args))
		}
		m = m.mul(t)
		rest = strings.TrimSpace(rest[loc[1]:])
		rest = strings.TrimPrefix(rest, ",")
	}
	return m, nil
}

// faces are the Liberation fonts gonum/plot draws with, by the family
// name an SVG gives them.
var faces = sync.OnceValue(func() *font.Cache { return font.NewCache(liberation.Collection()) })

var variants = map[string]font.Variant{
	"Liberation Sans":  "Sans",
	"Liberation Serif": "Serif",
	"Liberation Mono":  "Mono",
}

// face returns the font an element's style names, at its size. Package
// chart draws in the regular weight and style only, so those are the ones
// measured.
func face(family, weight, style string, size float64) (font.Face, error) {
	v, ok := variants[family]
	if !ok {
		return font.Face{}, fmt.Errorf("font family %q is not one of the Liberation fonts", family)
	}
	if weight != "normal" || style != "normal" {
		return font.Face{}, fmt.Errorf("font-weight %q, font-style %q: only the regular face is measured", weight, style)
	}
	fnt := font.Font{Typeface: "Liberation", Variant: v}
	// The cache falls back to its default typeface: make sure the face
	// measured is the family drawn.
	if !faces().Has(fnt) {
		return font.Face{}, fmt.Errorf("no face for %s", family)
	}
	return faces().Lookup(fnt, font.Points(size)), nil
}

// styleProps splits a style attribute into its properties.
func styleProps(s string) map[string]string {
	out := map[string]string{}
	for _, p := range strings.Split(s, ";") {
		k, v, ok := strings.Cut(p, ":")
		if ok {
			out[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return out
}

func attr(e xml.StartElement, name string) (string, bool) {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

func num(e xml.StartElement, name string) (float64, error) {
	s, ok := attr(e, name)
	if !ok {
		return 0, nil
	}
	return strconv.ParseFloat(strings.TrimSuffix(s, "px"), 64)
}

// Texts reads an SVG and returns its canvas (the root's viewBox) and every
// text element's extent on it. Text anchors other than the start, and
// font sizes not in px or pt, are errors: package chart writes neither.
func Texts(svg []byte) (Rect, []Text, error) {
	dec := xml.NewDecoder(bytes.NewReader(svg))
	var canvas Rect
	var texts []Text
	stack := []affine{identity}
	line := func() int { return 1 + bytes.Count(svg[:dec.InputOffset()], []byte("\n")) }
	for {
		tok, err := dec.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return canvas, nil, fmt.Errorf("line %d: %w", line(), err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			at := line()
			m := stack[len(stack)-1]
			if tr, ok := attr(e, "transform"); ok {
				t, err := parseTransform(tr)
				if err != nil {
					return canvas, nil, fmt.Errorf("line %d: %w", at, err)
				}
				m = m.mul(t)
			}
			stack = append(stack, m)
			switch e.Name.Local {
			case "svg":
				if len(stack) == 2 {
					vb, _ := attr(e, "viewBox")
					var x, y, w, h float64
					if _, err := fmt.Sscan(vb, &x, &y, &w, &h); err != nil {
						return canvas, nil, fmt.Errorf("line %d: the svg element has no viewBox (%q)", at, vb)
					}
					canvas = Rect{x, y, x + w, y + h}
				}
			case "text":
				t, err := readText(dec, e, m)
				if err != nil {
					return canvas, nil, fmt.Errorf("line %d: %w", at, err)
				}
				t.Line = at
				texts = append(texts, t)
				stack = stack[:len(stack)-1] // readText consumed the end
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	if canvas.Dx() <= 0 || canvas.Dy() <= 0 {
		return canvas, nil, fmt.Errorf("no svg element with a viewBox")
	}
	return canvas, texts, nil
}

// readText reads a text element's content, up to its end, and measures it
// under m.
func readText(dec *xml.Decoder, e xml.StartElement, m affine) (Text, error) {
	var s strings.Builder
	for depth := 1; depth > 0; {
		tok, err := dec.Token()
		if err != nil {
			return Text{}, err
		}
		switch x := tok.(type) {
		case xml.CharData:
			s.Write(x)
		case xml.StartElement:
			return Text{}, fmt.Errorf("text element holds a %s element", x.Name.Local)
		case xml.EndElement:
			depth--
		}
	}
	props := styleProps(func() string { v, _ := attr(e, "style"); return v }())
	if a := props["text-anchor"]; a != "" && a != "start" {
		return Text{}, fmt.Errorf("text-anchor %q: only start is measured", a)
	}
	family := strings.Trim(strings.TrimSpace(strings.Split(props["font-family"], ",")[0]), `'"`)
	sizeStr := props["font-size"]
	size, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSuffix(sizeStr, "px"), "pt"), 64)
	if err != nil || size <= 0 {
		return Text{}, fmt.Errorf("font-size %q", sizeStr)
	}
	f, err := face(family, props["font-weight"], props["font-style"], size)
	if err != nil {
		return Text{}, err
	}
	x, err := num(e, "x")
	if err != nil {
		return Text{}, err
	}
	y, err := num(e, "y")
	if err != nil {
		return Text{}, err
	}
	ext := f.Extents()
	w := f.Width(s.String()).Points()
	// In the element's space the glyphs stand on the baseline y, rising
	// to y - ascent and falling to y + descent.
	top, bottom := y-ext.Ascent.Points(), y+ext.Descent.Points()
	corners := [4][2]float64{{x, top}, {x + w, top}, {x + w, bottom}, {x, bottom}}
	box := Rect{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	var quad [4]Point
	for i, c := range corners {
		px, py := m.apply(c[0], c[1])
		quad[i] = Point{px, py}
		box = Rect{math.Min(box.MinX, px), math.Min(box.MinY, py), math.Max(box.MaxX, px), math.Max(box.MaxY, py)}
	}
	const eps = 1e-9
	// Horizontal: x maps to x with a positive scale, y to y upright.
	horiz := math.Abs(m[1]) < eps && math.Abs(m[2]) < eps && m[0] > 0 && m[3] > 0
	return Text{S: s.String(), Family: family, Size: size, Box: box, Quad: quad, Horizontal: horiz}, nil
}

// A Problem is a text outside the canvas, or two texts on top of each
// other.
type Problem struct {
	Text  Text
	Other *Text   // the text it overlaps; nil for one outside the canvas
	By    float64 // how far it leaves the canvas, or the overlap's smaller side
}

func (p Problem) String() string {
	if p.Other == nil {
		return fmt.Sprintf("%v leaves the canvas by %.1f", p.Text, p.By)
	}
	return fmt.Sprintf("%v overlaps %v by %.1f", p.Text, *p.Other, p.By)
}

// Tolerance is how far a text may leave the canvas, or overlap another,
// before it is a problem: less than half a point is antialiasing, not a
// cut-off letter.
const Tolerance = 0.5

// Check returns every text of the SVG that leaves its canvas, and every
// pair of texts whose boxes overlap, each by more than Tolerance. Empty
// texts are ignored.
func Check(svg []byte) ([]Text, []Problem, error) {
	canvas, texts, err := Texts(svg)
	if err != nil {
		return nil, nil, err
	}
	var probs []Problem
	var drawn []Text
	for _, t := range texts {
		if strings.TrimSpace(t.S) != "" {
			drawn = append(drawn, t)
		}
	}
	for i, t := range drawn {
		out := math.Max(math.Max(canvas.MinX-t.Box.MinX, t.Box.MaxX-canvas.MaxX), math.Max(canvas.MinY-t.Box.MinY, t.Box.MaxY-canvas.MaxY))
		if out > Tolerance {
			probs = append(probs, Problem{Text: t, By: out})
		}
		for j := i + 1; j < len(drawn); j++ {
			if by := overlap(t.Quad, drawn[j].Quad); by > Tolerance {
				probs = append(probs, Problem{Text: t, Other: &drawn[j], By: by})
			}
		}
	}
	return drawn, probs, nil
}

// overlap is how deep two convex quadrilaterals overlap: the least
// overlap of their projections on the axes of their edges (the separating
// axis theorem), 0 when they do not. For two upright boxes it is the
// smaller side of their intersection.
func overlap(a, b [4]Point) float64 {
	depth := math.Inf(1)
	for _, q := range [2][4]Point{a, b} {
		for i := range 2 { // a rectangle has two edge directions
			ex, ey := q[i+1].X-q[i].X, q[i+1].Y-q[i].Y
			n := math.Hypot(ex, ey)
			if n == 0 {
				continue
			}
			ax, ay := -ey/n, ex/n
			alo, ahi := project(a, ax, ay)
			blo, bhi := project(b, ax, ay)
			d := math.Min(ahi, bhi) - math.Max(alo, blo)
			if d <= 0 {
				return 0
			}
			depth = math.Min(depth, d)
		}
	}
	if math.IsInf(depth, 1) {
		return 0
	}
	return depth
}

func project(q [4]Point, ax, ay float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, p := range q {
		v := p.X*ax + p.Y*ay
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	return lo, hi
}
