package report

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"

	"github.com/concbench/concbench/report/chart"
)

// On both reference sets, every chart's winner is its verdict's: the
// model of the verdict's runtime whose speedup point is highest at k cores in the speedup chart is
// the model the verdict (and the winner map's tile) names, and the verdict
// prints the same ratio the chart draws. One estimator serves both.
func TestChartWinnerIsVerdictWinner(t *testing.T) {
	for _, ref := range referenceSets {
		t.Run(ref.name, func(t *testing.T) {
			a := analyzeBytes(t, ref.name, readRounds(t, ref.path, nil))
			checked := 0
			for _, v := range a.Verdicts {
				if v.Winner == "" {
					continue
				}
				var w *Workload
				for _, x := range a.Workloads {
					if x.Name == v.Workload {
						w = x
					}
				}
				top, topV := "", math.Inf(-1)
				for _, s := range w.Models {
					p := s.Point(v.Cores)
					if !v.Runtime.has(a.M, s) || s.Family == FamilyBaseline || p == nil {
						continue
					}
					if p.Speedup.Value > topV {
						top, topV = s.Model, p.Speedup.Value
					}
				}
				if top != v.Winner {
					t.Errorf("%s at %d cores: the chart's highest point is %s (%.3g×), the verdict names %s", v.Workload, v.Cores, top, topV, v.Winner)
				}
				if math.Abs(topV/v.Decided.Value-1) > 1e-9 && top == v.Winner {
					t.Errorf("%s at %d cores: the chart draws %s at %.4g×, the verdict prints %.4g×", v.Workload, v.Cores, top, topV, v.Decided.Value)
				}
				checked++
			}
			if checked == 0 {
				t.Fatal("no verdict with a winner: nothing checked")
			}
			t.Logf("%d verdicts with a winner checked", checked)
		})
	}
}

// The winner map's labels fit their tiles on both reference sets: each
// label's text, as drawn, is no wider and no taller than its tile less
// the padding, at 6.5 points or more.
func TestWinnerLabelsFitTiles(t *testing.T) {
	for _, ref := range referenceSets {
		t.Run(ref.name, func(t *testing.T) {
			a := analyzeBytes(t, ref.name, readRounds(t, ref.path, nil))
			for _, r := range a.Answers() {
				checkTiles(t, a, a.winnerChart(r))
			}
		})
	}
}

// checkTiles checks that every label of a winner map fits its tile.
func checkTiles(t *testing.T, a *Analysis, c *chart.Chart) {
	t.Helper()
	if _, err := c.PNG(); err != nil {
		t.Fatal(err)
	}
	fits := c.TileFits()
	if len(fits) != len(a.Workloads)*len(a.Cores) {
		t.Fatalf("%s: %d labels drawn, want one per workload and core count (%d)", c.File, len(fits), len(a.Workloads)*len(a.Cores))
	}
	pad := 2 * vg.Points(3)
	wrapped := 0
	for _, f := range fits {
		if f.Overflowed || f.TextW > f.TileW-pad || f.TextH > f.TileH-pad {
			t.Errorf("%s: label %q: text %.1f×%.1f pt in a tile of %.1f×%.1f pt", c.File, f.Label, f.TextW, f.TextH, f.TileW, f.TileH)
		}
		if strings.Count(f.Label, "\n") > 1 {
			wrapped++
		}
	}
	t.Logf("%s: %d labels fit; %d wrapped beyond two lines", c.File, len(fits), wrapped)
}
