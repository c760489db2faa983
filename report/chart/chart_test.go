package chart

import (
	"bytes"
	"fmt"
	"image/color"
	"image/png"
	"math"
	"regexp"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/concbench/concbench/report/stats"
)

// TestAddLooks draws one series in each look on a log axis, with points
// that cannot be drawn there (NaN, zero, negative, infinite, an interval
// reaching zero): the chart renders, the drawable points are drawn, and
// only a labelled series has a legend entry.
func TestAddLooks(t *testing.T) {
	pts := []Point{
		{X: 1, Y: 1, Lo: 0.9, Hi: 1.1},
		{X: 2, Y: 1.9, Lo: 0, Hi: 2.2}, // interval to 0: no bar on a log axis
		{X: 4, Y: math.NaN()},
		{X: 8, Y: 0},
		{X: 16, Y: -1},
		{X: 32, Y: math.Inf(1)},
		{X: 64, Y: 30, Lo: 25, Hi: 35, Oversub: true},
	}
	for _, tc := range []struct {
		name  string
		look  Look
		label string
	}{
		{"lines", Lines, "goroutines"},
		{"dots", Dots, "pool"},
		{"overlay", Overlay, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := New("t", "title", "x", "y")
			c.LogX(0.9, 80, Pow2Ticks{})
			c.AutoY(0.5, 40, true, nil)
			c.Add(tc.label, Style{Color: SeriesColor(0), Glyph: Glyph(1)}, tc.look, pts)
			if got, want := len(c.Series), map[bool]int{true: 1, false: 0}[tc.label != ""]; got != want {
				t.Errorf("%d legend entries, want %d", got, want)
			}
			svg, err := c.SVG()
			if err != nil {
				t.Fatalf("SVG: %v", err)
			}
			if tc.label != "" && !bytes.Contains(svg, []byte(">"+tc.label+"<")) {
				t.Errorf("the SVG lacks the legend entry %q", tc.label)
			}
		})
	}
}

// TestAddFitKeepsAxis: a prediction band far wider than the data is
// clipped to the y axis the data set, so it never rescales the chart.
func TestAddFitKeepsAxis(t *testing.T) {
	c := New("t", "title", "cores", "speedup")
	c.SpeedupAxes(16, 1, 12, "ideal", Ideal)
	lo, hi := c.Plot.Y.Min, c.Plot.Y.Max
	f := &stats.Fit{Law: stats.Amdahl, Serial: 0.05, Scale: 1, Conc: 1,
		Bands: []stats.Band{{Cores: 16, Mid: 9, Lo: 1e-3, Hi: 1e4}, {Cores: 64, Mid: 15, Lo: 1e-3, Hi: 1e5}}}
	c.AddFit(f, SeriesColor(1), 16)
	if _, err := c.SVG(); err != nil {
		t.Fatal(err)
	}
	if c.Plot.Y.Min != lo || c.Plot.Y.Max != hi {
		t.Errorf("y axis [%v, %v] after the band, want [%v, %v]", c.Plot.Y.Min, c.Plot.Y.Max, lo, hi)
	}
	if _, ok := c.Plot.Y.Scale.(plot.LogScale); !ok {
		t.Error("a speedup chart's y axis is not logarithmic")
	}
}

// TestNotesAndPartial: footnotes are drawn in order under the plot, what
// the chart lacks in red before them, joined by semicolons.
func TestNotesAndPartial(t *testing.T) {
	c := New("t", "title", "x", "y")
	c.Empty("no cells")
	c.Lacks("no procs")
	c.Note("first note")
	c.Note("second %s", "note")
	if c.Partial != "no cells; no procs" {
		t.Errorf("Partial = %q", c.Partial)
	}
	svg, err := c.SVG()
	if err != nil {
		t.Fatal(err)
	}
	s := string(svg)
	red := regexp.MustCompile(`fill:#AA281E">Partial: no cells; no procs<`)
	if !red.MatchString(s) {
		t.Error("the partial note is not drawn in red")
	}
	if i, j := strings.Index(s, ">first note<"), strings.Index(s, ">second note<"); i < 0 || j < i {
		t.Errorf("notes out of order or missing (at %d and %d)", i, j)
	}
	if !strings.Contains(s, ">no data: no cells<") {
		t.Error("an empty chart does not say why in its middle")
	}
}

// TestPNGSize: a PNG is Width × Height pixels.
func TestPNGSize(t *testing.T) {
	c := New("t", "title", "x", "y")
	c.AddLevel("level", Level, 1)
	data, err := c.PNG()
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != Width || b.Dy() != Height {
		t.Errorf("PNG is %dx%d, want %dx%d", b.Dx(), b.Dy(), Width, Height)
	}
}

// TestPalettes: series colours never take the baseline's grey, and the
// machines' colours are all distinct.
func TestPalettes(t *testing.T) {
	for i := range 3 * SeriesColors {
		if SeriesColor(i) == Baseline {
			t.Errorf("series colour %d is the baseline's grey", i)
		}
	}
	seen := map[color.RGBA]int{}
	for i := range MachineColors {
		c := MachineStyle(i).Color
		if j, ok := seen[c]; ok {
			t.Errorf("machines %d and %d share colour %v", j, i, c)
		}
		seen[c] = i
	}
}

func ExampleTrimNum() {
	for _, v := range []float64{0.2, 5, 100, 12000, 2.5e6} {
		fmt.Println(TrimNum(v), TickDuration(v*1e6))
	}
	// Output:
	// 0.2 200 µs
	// 5 5 ms
	// 100 100 ms
	// 12k 12 s
	// 2.5M 2500 s
}

// A label too wide for its tile wraps after its "+" before it shrinks,
// and a label that fits is drawn as asked.
func TestFitLabel(t *testing.T) {
	for _, tc := range []struct {
		label         string
		width, height vg.Length
		wantLines     int
		wantShrunk    bool
	}{
		{"pool 2.01×\nparallelism", 200, 60, 2, false},
		{"goroutines 3.94×\nconcurrency + parallelism", 90, 60, 3, false},
		{"goroutines 3.94×\nconcurrency + parallelism", 70, 30, 3, true},
	} {
		lines, _, fit := fitLabel(tc.label, vg.Points(11), tc.width, tc.height)
		if len(lines) != tc.wantLines || fit.Shrunk != tc.wantShrunk {
			t.Errorf("fitLabel(%q, %v×%v) = %q (shrunk %v), want %d lines, shrunk %v", tc.label, tc.width, tc.height, lines, fit.Shrunk, tc.wantLines, tc.wantShrunk)
		}
		if len(lines) == 3 && lines[1] != "concurrency +" {
			t.Errorf("fitLabel(%q): second line %q, want %q", tc.label, lines[1], "concurrency +")
		}
		if !fit.Overflowed && (fit.TextW > tc.width || fit.TextH > tc.height) {
			t.Errorf("fitLabel(%q): %v×%v does not fit %v×%v", tc.label, fit.TextW, fit.TextH, tc.width, tc.height)
		}
	}
}
