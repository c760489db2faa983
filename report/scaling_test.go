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
