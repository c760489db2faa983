package report

import (
	"image/color"
	"sort"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// goModels lists concbench's Go models in the order of bench.Models: the
// order of legends, tables and CSV rows.
var goModels = []string{"seq", "goroutines", "pool", "errgroup", "eventloop", "gil-threads", "gil-pool", "procs", "procpool"}

// pyModels lists the Python reference models (issue 8) with their Go
// counterparts, in the same order.
var pyModels = [][2]string{
	{"py-seq", "seq"},
	{"py-threading", "gil-threads"},
	{"py-asyncio", "eventloop"},
	{"py-threadpool", "gil-pool"},
	{"py-multiprocessing", "procs"},
	{"py-processpool", "procpool"},
}

// Counterpart returns the Go model that a py-* model stands beside, and
// whether model is a known Python model.
func Counterpart(model string) (string, bool) {
	for _, p := range pyModels {
		if p[0] == model {
			return p[1], true
		}
	}
	return "", false
}

// IsPython reports whether model is one of the Python reference models.
func IsPython(model string) bool {
	_, ok := Counterpart(model)
	return ok
}

// Baseline returns the sequential model that model's speedup is measured
// against: py-seq for Python models, seq for every other.
func Baseline(model string) string {
	if IsPython(model) {
		return "py-seq"
	}
	return "seq"
}

// Family names the kind of model: "baseline", "threads" (parallel without a
// lock), "concurrency" (one compute step at a time: event loop, GIL) or
// "processes". Unknown models are "other".
func Family(model string) string {
	if g, ok := Counterpart(model); ok {
		model = g
	}
	switch model {
	case "seq":
		return "baseline"
	case "goroutines", "pool", "errgroup":
		return "threads"
	case "eventloop", "gil-threads", "gil-pool":
		return "concurrency"
	case "procs", "procpool":
		return "processes"
	}
	return "other"
}

// modelRank orders models: Go models first as bench.Models lists them, then
// the Python models, then anything else by name.
func modelRank(model string) int {
	for i, m := range goModels {
		if m == model {
			return i
		}
	}
	for i, p := range pyModels {
		if p[0] == model {
			return len(goModels) + i
		}
	}
	return len(goModels) + len(pyModels)
}

// SortModels sorts model names into report order, in place.
func SortModels(models []string) {
	sort.SliceStable(models, func(i, j int) bool {
		ri, rj := modelRank(models[i]), modelRank(models[j])
		if ri != rj {
			return ri < rj
		}
		return models[i] < models[j]
	})
}

// Style is how one model is drawn in every chart.
type Style struct {
	Color  color.RGBA
	Glyph  draw.GlyphDrawer
	Dashes []vg.Length // nil: solid
}

// palette is Tableau 10: distinguishable, and readable by most colour-blind
// readers when combined with the markers.
var palette = []color.RGBA{
	{127, 127, 127, 255}, // seq: grey
	{31, 119, 180, 255},  // goroutines: blue
	{255, 127, 14, 255},  // pool: orange
	{44, 160, 44, 255},   // errgroup: green
	{214, 39, 40, 255},   // eventloop: red
	{148, 103, 189, 255}, // gil-threads: purple
	{140, 86, 75, 255},   // gil-pool: brown
	{227, 119, 194, 255}, // procs: pink
	{188, 189, 34, 255},  // procpool: olive
	{23, 190, 207, 255},  // other: cyan
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

// ModelStyle returns the fixed colour, marker and line style of a model.
// A Python model takes its Go counterpart's hue, darkened, and a dash-dot
// line; models concbench does not know get a colour by their position i
// among the unknown models of a chart.
func ModelStyle(model string, i int) Style {
	if g, ok := Counterpart(model); ok {
		s := ModelStyle(g, 0)
		s.Color = darken(s.Color, 0.7)
		s.Dashes = pyDashes
		return s
	}
	r := modelRank(model)
	if r < len(goModels) {
		return Style{Color: palette[r], Glyph: glyphs[r]}
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

// workloadKind says what bounds a BenchmarkCores workload, for verdicts.
func workloadKind(w string) string {
	switch w {
	case "hash", "primes", "gzip":
		return "CPU-bound"
	case "sleep", "net", "file":
		return "I/O-bound"
	case "":
		return ""
	}
	if len(w) > 3 && w[:3] == "mix" {
		return "mixed"
	}
	return ""
}
