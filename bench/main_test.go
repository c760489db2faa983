package bench

import (
	"context"
	"fmt"
	"os"
	"testing"

	"go.uber.org/goleak"

	"github.com/concbench/concbench/workloads"
)

// testServer is the latency server of this test binary, started once in
// TestMain in its own process.
var testServer *workloads.LatencyServer

func TestMain(m *testing.M) {
	// The binary is re-executed as latency server and worker processes.
	workloads.ChildMain()
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	s, err := workloads.StartLatencyServer(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench: starting latency server:", err)
		return 1
	}
	testServer = s
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

// testEnv returns an Env with the shared latency server and a private
// temporary directory.
func testEnv(t testing.TB) *workloads.Env {
	return &workloads.Env{Addr: testServer.Addr(), Dir: t.TempDir()}
}
