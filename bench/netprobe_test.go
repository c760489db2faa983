package bench

import (
	"testing"
	"time"
)

func TestLoopbackConnectRate(t *testing.T) {
	rate, err := LoopbackConnectRate(50 * time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%.0f connections/s", rate)
	// Any machine sets up a loopback connection in far less than 10 ms,
	// even under -race; the rate is a count over 50 ms, so it cannot be 0.
	if rate < 100 {
		t.Errorf("%.0f loopback connections/s: implausibly slow", rate)
	}
}
