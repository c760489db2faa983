package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/concbench/concbench/report/chart"
	"github.com/concbench/concbench/report/internal/prose"
)

// maxGenericLines is the most sub-benchmarks one generic chart draws; more
// go to further charts of the same benchmark.
const maxGenericLines = 8

func (a *Analysis) genericCharts(g *GenericGroup) []*chart.Chart {
	var out []*chart.Chart
	benches := g.Benches
	for part := 0; len(benches) > 0; part++ {
		n := min(len(benches), maxGenericLines)
		chunk := benches[:n]
		benches = benches[n:]
		file := "speedup-" + sanitize(g.Bench)
		title := g.Bench + ": speedup (×) vs GOMAXPROCS"
		if part > 0 || len(benches) > 0 {
			file += fmt.Sprintf("-%d", part+1)
			title += fmt.Sprintf(" (part %d)", part+1)
		}
		c := chart.New(file, title, "GOMAXPROCS (log scale)", "speedup over the lowest GOMAXPROCS (×, log scale)")
		c.SVGOnly = true
		c.Caption = fmt.Sprintf("%s swept with -cpu: each sub-benchmark's ns/op at its lowest GOMAXPROCS divided by its ns/op at each GOMAXPROCS, with the ideal and fitted laws: dashed where fitted, a shaded 95%% prediction band where extrapolated.", g.Bench)
		var series []*Series
		maxX := float64(a.Cores[len(a.Cores)-1])
		var extra []float64
		var fitted []string
		var fits []*Fit
		var rejected []string
		fitNote := ""
		for _, b := range chunk {
			s := &Series{Model: strings.TrimPrefix(b.Name, g.Bench+"/")}
			for _, p := range b.Points {
				s.Points = append(s.Points, SeriesPoint{X: float64(p.Cores), Y: p.Par, Oversub: p.Oversub})
			}
			series = append(series, s)
			l := a.Fits.Bench(b)
			f := l.Fit()
			fits = append(fits, f)
			if l.Rejected {
				rejected = append(rejected, s.Model)
			} else if l.FitNote != "" && (f == nil || l.USL == nil) {
				fitNote = l.FitNote
			}
			if f == nil {
				continue
			}
			for _, bd := range f.Bands {
				extra = append(extra, bd.Mid)
			}
			fitted = append(fitted, fmt.Sprintf("%s %s", s.Model, f))
			if n := len(a.Predict); n > 0 {
				maxX = math.Max(maxX, a.Predict[n-1])
			}
		}
		lo, hi := yRange(series, append(extra, 1)...)
		c.SpeedupAxes(maxX, lo, hi, "ideal (linear)", chart.Ideal)
		for i, s := range series {
			if fits[i] != nil {
				c.AddFit(fits[i], chart.SeriesColor(i), float64(a.MaxCores))
			}
			st := chart.Style{Color: chart.SeriesColor(i), Glyph: chart.Glyph(i + 1)}
			c.Add(s.Model, st, chart.Lines, points(s.Points))
		}
		c.Note("%s", ciNote)
		if len(fitted) > 0 {
			c.Note("Fitted: %s.%s", prose.List(fitted, 3), a.bandNote())
		}
		if fitNote != "" {
			c.Note("Fits: %s.", fitNote)
		}
		noteRejected(c, rejected)
		out = append(out, c)
	}
	return out
}

// sanitize makes a benchmark name a file name.
func sanitize(s string) string {
	s = strings.TrimPrefix(s, "Benchmark")
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return strings.ToLower(b.String())
}
