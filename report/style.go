package report

import (
	"slices"

	"github.com/concbench/concbench/report/chart"
)

// Style returns the fixed colour, marker and line style of a model: the
// matrix's Go models in its order (the baseline first, grey); a CPython
// model takes its Go counterpart's hue, darkened, and a dash-dot line
// (a second interpreter's darker, dash-dot-dot);
// models the matrix does not name get a colour by their position i among
// the unknown models of a chart.
func (m *Matrix) Style(model string, i int) chart.Style {
	if g, ok := m.Counterpart(model); ok {
		// A counterpart the set does not describe (a function's set)
		// gives the model a colour of its own, by its place in the list.
		s := m.Style(g, slices.IndexFunc(m.Python, func(x ModelInfo) bool { return x.Name == model }))
		s.Color = chart.Darken(s.Color, 0.7)
		s.Dashes = chart.PyDashes
		// A second interpreter (3.11 beside 3.14, or a free-threaded
		// build) is darker still and dash-dot-dot.
		if slices.Index(m.Interps(), m.Interp(model))%2 == 1 {
			s.Color = chart.Darken(s.Color, 0.75)
			s.Dashes = chart.PyDashesAlt
		}
		return s
	}
	switch r := m.Rank(model); {
	case r == 0 && len(m.Models) > 0:
		return chart.Style{Color: chart.Baseline, Glyph: chart.Glyph(0)}
	case r < len(m.Models) && r < chart.SeriesColors:
		return chart.Style{Color: chart.SeriesColor(r - 1), Glyph: chart.Glyph(r)}
	}
	return genericStyle(i)
}

// genericStyle is the style of the i'th series that is not a concbench
// model (a foreign benchmark's): no grey, which means "baseline".
func genericStyle(i int) chart.Style {
	return chart.Style{Color: chart.SeriesColor(i), Glyph: chart.Glyph(i)}
}
