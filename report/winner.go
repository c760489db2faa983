package report

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot/vg"

	"github.com/concbench/concbench/report/chart"
)

// The winner map's tiles, in data units around each cell's centre: nearly
// the whole cell, with a white gap between tiles.
const tileHalfW, tileHalfH = 0.48, 0.46

// winnerChart draws one runtime's winner map: a cell per workload and
// core count, coloured by the winning model, labelled with where its gain
// came from.
func (a *Analysis) winnerChart(r Runtime) *chart.Chart {
	base := a.M.GoBaseline()
	if r.Kind == RuntimeCPython {
		base = a.M.PyBaseline(r.Interp)
	}
	c := chart.New("winner-"+r.Name, fmt.Sprintf("Winner map, %s: fastest model per workload and core count, and the source of its gain", r),
		"cores", "workload")
	c.Caption = fmt.Sprintf("For each workload and core count, %s's verdict: the fastest of its models that beats %s at 1 core by more than the margin, and whether its speedup came from overlapping waits (concurrency), from more cores (parallelism), or both; or that no model beats %s by more than the margin; or undecided.", r, base, base)
	if r.Kind == RuntimeEmulated {
		c.Caption += " This set has no CPython runs, so Go's emulations of CPython stand in for Python here."
	}
	var names []string
	for _, w := range a.Workloads {
		names = append(names, w.Name)
	}
	// Workloads top to bottom in the matrix's order.
	rev := make([]string, len(names))
	for i, n := range names {
		rev[len(names)-1-i] = n
	}
	var cols []string
	for _, k := range a.Cores {
		l := fmt.Sprint(k)
		if a.Set.Oversubscribed(k) {
			l += " (over)"
		}
		cols = append(cols, l)
	}
	c.Plot.NominalX(cols...)
	c.Plot.NominalY(rev...)
	c.Plot.X.Min, c.Plot.X.Max = -0.5, float64(len(cols))-0.5
	c.Plot.Y.Min, c.Plot.Y.Max = -0.5, float64(len(rev))-0.5
	c.HideAxisLines()
	c.Plot.X.Tick.Label.Font.Size = vg.Points(11)
	c.Plot.Y.Tick.Label.Font.Size = vg.Points(11)
	verdict := map[string]*Verdict{}
	var verdicts []*Verdict
	for _, v := range a.Verdicts {
		if v.Runtime == r {
			verdicts = append(verdicts, v)
		}
	}
	for _, v := range verdicts {
		verdict[fmt.Sprintf("%s|%d", v.Workload, v.Cores)] = v
	}
	inLegend := map[string]bool{}
	var legendModels []string
	var at []chart.Point
	var labels []string
	for wi, w := range rev {
		y := float64(wi)
		for ki, k := range a.Cores {
			x := float64(ki)
			v := verdict[fmt.Sprintf("%s|%d", w, k)]
			fill := color.RGBA{235, 235, 235, 255}
			text := "no data"
			if v != nil {
				text = "no model\n> " + a.marginText()
				if v.Gain == GainUndecided && v.Winner == "" {
					text = "undecided"
				}
				if v.Winner != "" {
					fill = chart.Lighten(a.M.Style(v.Winner, 0).Color, 0.55)
					text = fmt.Sprintf("%s %s\n%s", v.Winner, short(v.Decided), gainWord(v.Gain))
					if !inLegend[v.Winner] {
						inLegend[v.Winner] = true
						legendModels = append(legendModels, v.Winner)
					}
				}
			}
			c.AddTile(x, y, tileHalfW, tileHalfH, fill)
			at = append(at, chart.Point{X: x, Y: y})
			labels = append(labels, text)
		}
	}
	c.AddTileLabels(at, labels, tileHalfW, tileHalfH, vg.Points(11), color.Black)
	a.M.SortModels(legendModels)
	for _, m := range legendModels {
		c.AddLegend(m, chart.Swatch{Color: chart.Lighten(a.M.Style(m, 0).Color, 0.55)})
	}
	c.Note("concurrency: the gain at 1 core, from overlapping waits; parallelism: the gain from more cores; each decided beyond the %s margin (see Method).", a.marginText())
	if len(verdicts) == 0 {
		c.Lacks("no verdicts: every workload lacks its seq baseline")
	}
	return c
}

// gainWord is a winner map tile's second line.
func gainWord(g Gain) string {
	switch g {
	case GainConcurrency, GainParallelism:
		return g.String()
	case GainBoth:
		return "concurrency + parallelism"
	case GainUndecided:
		return "source undecided"
	}
	return ""
}
