package report

import (
	"math"
	"testing"
)

func TestKarpFlatt(t *testing.T) {
	// Amdahl with s = 0.1 at 4 cores gives Karp–Flatt e = 0.1 exactly.
	s := 1 / (0.1 + 0.9/4)
	if e := KarpFlatt(s, 4); math.Abs(e-0.1) > 1e-12 {
		t.Errorf("KarpFlatt = %v, want 0.1", e)
	}
	if e := KarpFlatt(1, 1); !math.IsNaN(e) {
		t.Errorf("KarpFlatt at 1 core = %v, want NaN", e)
	}
}

func TestRatio(t *testing.T) {
	num := Summary{Median: 100, Lo: 90, Hi: 110}
	den := Summary{Median: 10, Lo: 9, Hi: 11}
	e := Ratio(num, den)
	if e.Value != 10 || math.Abs(e.Lo-90.0/11) > 1e-12 || math.Abs(e.Hi-110.0/9) > 1e-12 {
		t.Errorf("Ratio = %+v", e)
	}
	if got := e.String(); got != "10.0× [8.18, 12.2]" {
		t.Errorf("String = %q", got)
	}
}
