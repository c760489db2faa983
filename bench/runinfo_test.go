package bench

import (
	"regexp"
	"runtime"
	"testing"
	"time"
)

func TestCalibrate(t *testing.T) {
	c := Calibrate(5*time.Millisecond, 3)
	if c.Cores != runtime.GOMAXPROCS(0) {
		t.Errorf("Cores = %d, want GOMAXPROCS %d", c.Cores, runtime.GOMAXPROCS(0))
	}
	if !(c.Min > 0 && c.Min <= c.Speedup && c.Speedup <= c.Max) {
		t.Errorf("calibration %+v: want 0 < Min <= Speedup <= Max", c)
	}
	// Even a machine shared with a busy neighbour does some work on every
	// CPU; a speedup far above the CPU count is a measuring error.
	if c.Max > 1.5*float64(c.Cores) {
		t.Errorf("calibration %+v: Max over 1.5 × Cores", c)
	}
}

// TestCalibrationConfig pins the config lines that the report reads.
func TestCalibrationConfig(t *testing.T) {
	got := calibrationConfig(Calibration{Speedup: 1.934, Min: 1.5, Max: 1.996, Cores: 2})
	want := []string{"calibration-speedup: 1.93", "calibration-cores: 2", "calibration-spread: 1.50..2.00"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("line %d = %q, want %q", i, got[i], want[i])
		}
	}
	line := calibrationConfig(Calibrate(time.Millisecond, 1))[2].String()
	if !regexp.MustCompile(`^calibration-spread: \d+\.\d\d\.\.\d+\.\d\d$`).MatchString(line) {
		t.Errorf("spread line %q, want calibration-spread: MIN..MAX", line)
	}
}
