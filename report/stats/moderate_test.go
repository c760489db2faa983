package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// drawCell draws n log-normal values with log-scale sd sigma around 1.
func drawCell(rng *rand.Rand, n int, mean, sigma float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = math.Exp(mean + sigma*rng.NormFloat64())
	}
	return v
}

// TestModerateRecoversPrior draws cell variances from a known scaled
// inverse χ² prior and checks that the fit finds d0 and s0.
func TestModerateRecoversPrior(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const d0, s0 = 6.0, 0.04
	var cells []Stratified
	for i := 0; i < 2000; i++ {
		// σ² = d0·s0² / χ²(d0)
		chi := 0.0
		for j := 0; j < int(d0); j++ {
			z := rng.NormFloat64()
			chi += z * z
		}
		sigma := math.Sqrt(d0 * s0 * s0 / chi)
		cells = append(cells, Stratified{Stratum: fmt.Sprint(i % 40), Sample: NewSample(drawCell(rng, 5, 0, sigma))})
	}
	noise, prior := Moderate(cells)
	if prior.D0 < d0/1.5 || prior.D0 > d0*1.5 {
		t.Errorf("d0 = %.2f, want ≈ %v", prior.D0, d0)
	}
	// Every cell's moderated variance lies between its own and the prior's
	// level, with d0 + 4 degrees of freedom (the cap is far above d0 here),
	// but for the few whose variance is an outlier, which keep their own
	// variance.
	outliers := 0
	for i, n := range noise {
		if n.Var == cells[i].Sample.Var {
			outliers++
			continue
		}
		if math.Abs(n.DF-(prior.D0+4)) > 1e-9 {
			t.Fatalf("cell %d: DF %v, want %v", i, n.DF, prior.D0+4)
		}
		own := cells[i].Sample.Var
		lo, hi := math.Min(own, s0*s0)/2, math.Max(own, s0*s0)*2
		if n.Var < lo || n.Var > hi {
			t.Errorf("cell %d: moderated variance %v outside [%v, %v]", i, n.Var, lo, hi)
		}
	}
	// The prior is right, so outliers are the F test's false alarms.
	if float64(outliers) > float64(len(cells))*2*OutlierP {
		t.Errorf("%d of %d cells outlying, want about %.0f%%", outliers, len(cells), OutlierP*100)
	}
}

// TestModerateSmallStrata checks the guards for strata of a few cells: a
// cell never informs its own prior, the prior's weight is capped at the
// degrees of freedom behind it, and a single-sample cell borrows the prior.
func TestModerateSmallStrata(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var cells []Stratified
	for i := 0; i < 30; i++ {
		cells = append(cells, Stratified{Stratum: fmt.Sprint("s", i%10), Sample: NewSample(drawCell(rng, 2, 0, 0.03))})
	}
	cells = append(cells,
		Stratified{Stratum: "alone", Sample: NewSample(drawCell(rng, 2, 0, 0.03))},
		Stratified{Stratum: "s1", Sample: NewSample([]float64{1.5})},
	)
	noise, prior := Moderate(cells)
	if prior.Cells != 31 {
		t.Errorf("prior from %d cells, want 31 (the single-sample cell has no variance)", prior.Cells)
	}
	for i, n := range noise[:30] {
		// Two other cells of one degree of freedom each estimated the level.
		if n.DF > 1+2+1e-9 {
			t.Errorf("cell %d: DF %v, want at most 3 (1 own + a prior capped at 2)", i, n.DF)
		}
	}
	if n := noise[30]; n.DF <= 1 || n.DF > 1+30+1e-9 {
		t.Errorf("lone cell: DF %v, want the run's prior on top of its own 1", n.DF)
	}
	if n := noise[31]; n.DF <= 0 || n.DF > 3+1e-9 || !(n.Var > 0) {
		t.Errorf("single-sample cell: %+v, want the prior of its stratum (DF ≤ 3)", n)
	}
	// A cell far noisier than its stratum keeps its own variance.
	loud := cells[5]
	loud.Sample.Var *= 1000
	cells[5], loud = loud, cells[5]
	noise3, _ := Moderate(cells)
	cells[5] = loud
	if n := noise3[5]; n.Var != cells[5].Sample.Var*1000 {
		t.Errorf("outlying cell: %+v, want its own variance %v", n, cells[5].Sample.Var*1000)
	}
	// Leave-one-out: scaling a cell's own variance up does not raise the
	// level it is pulled toward, so its moderated variance grows by its own
	// share only (up to the small shift of the run-wide d0; had the cell
	// informed its stratum's level, that level would grow by a third).
	c0 := cells[0]
	big := c0
	big.Sample.Var *= 2
	cells[0] = big
	noise2, _ := Moderate(cells)
	cells[0] = c0
	share := noise2[0].DF - noise[0].DF // equal DFs
	if share != 0 {
		t.Fatalf("DF changed: %v", share)
	}
	own := 1 / noise[0].DF // d/(d0+d) with d = 1
	want := noise[0].Var + own*(big.Sample.Var-c0.Sample.Var)
	if math.Abs(noise2[0].Var-want) > 0.05*want {
		t.Errorf("moderated variance %v after raising the own variance, want %v: the cell informed its own prior", noise2[0].Var, want)
	}
}

func TestModerateNothingToFit(t *testing.T) {
	cells := []Stratified{{"a", NewSample([]float64{1})}, {"a", NewSample([]float64{2})}}
	noise, prior := Moderate(cells)
	if prior.D0 != 0 || noise[0].DF != 0 || noise[1].DF != 0 {
		t.Errorf("prior %+v, noise %+v: single samples give no variance to borrow", prior, noise)
	}
}
