package report

import (
	"math"
	"testing"
)

// On both reference sets, every chart's winner is its verdict's: the Go
// model whose speedup point is highest at k cores in the speedup chart is
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
					if s.Python || s.Family == "baseline" || p == nil {
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
