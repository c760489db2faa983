package bench

import (
	"context"
	"flag"
	"fmt"
	"os"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/concbench/concbench/workloads"
)

// testServer is the latency server of this test binary, started once in
// TestMain in its own process.
var testServer *workloads.LatencyServer

func TestMain(m *testing.M) {
	// The binary is re-executed as latency server and worker processes.
	workloads.ChildMain()
	flag.Parse()
	if _, err := matrixProfile(); err != nil {
		// A bad -concbench.profile or task file: nothing runs.
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	if *listFlag {
		if err := listCells(firstCPU()); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(2)
		}
		os.Exit(0)
	}
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	s, err := workloads.StartLatencyServer(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench: starting latency server:", err)
		return 1
	}
	testServer = s
	if f := flag.Lookup("test.bench"); f != nil && f.Value.String() != "" {
		printRunConfig()
	}
	code := m.Run()
	if err := s.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		code = 1
	}
	if code == 0 {
		// No goroutine may outlive the tests; a leak fails the run.
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "bench: goleak:", err)
			code = 1
		}
	}
	return code
}

// The calibration of every run: five repeats of two phases of 60 ms of
// work on one core, about 0.6 s in all.
const (
	calibrationTime    = 60 * time.Millisecond
	calibrationRepeats = 5
)

// printRunConfig prints the benchfmt configuration lines that describe the
// machine and this run, before any result: what the report shows as the
// fingerprint and judges the run by.
func printRunConfig() {
	lines := append(MachineConfig(), ConfigLine{"profile", *profileFlag})
	lines = append(lines, calibrationConfig(Calibrate(calibrationTime, calibrationRepeats))...)
	if p, err := matrixProfile(); err == nil {
		// The matrix describes itself; the report keeps no copy of it.
		if d, err := Describe(p, firstCPU()); err == nil {
			lines = append(lines, d...)
		} else {
			fmt.Fprintln(os.Stderr, "bench: describing the matrix:", err)
		}
	} else {
		fmt.Fprintln(os.Stderr, "bench:", err)
	}
	for _, l := range lines {
		fmt.Println(l)
	}
	printLimitConfig()
}

// calibrationConfig returns the config lines of a calibration:
// calibration-speedup (the median), calibration-cores and
// calibration-spread (the lowest and highest repeat, as MIN..MAX).
func calibrationConfig(c Calibration) []ConfigLine {
	return []ConfigLine{
		{"calibration-speedup", fmt.Sprintf("%.2f", c.Speedup)},
		{"calibration-cores", fmt.Sprintf("%d", c.Cores)},
		{"calibration-spread", fmt.Sprintf("%.2f..%.2f", c.Min, c.Max)},
	}
}

// testEnv returns an Env with the shared latency server and a private
// temporary directory.
func testEnv(t testing.TB) *workloads.Env {
	return &workloads.Env{Addr: testServer.Addr(), Dir: t.TempDir()}
}
