package workloads_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"go.uber.org/goleak"

	"github.com/concbench/concbench/workloads"
)

// server is the latency server shared by the tests of this package.
var server *workloads.LatencyServer

func TestMain(m *testing.M) {
	workloads.ChildMain()
	os.Exit(run(m))
}

func run(m *testing.M) int {
	s, err := workloads.StartLatencyServer(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "starting latency server:", err)
		return 1
	}
	server = s
	code := m.Run()
	if err := s.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goleak:", err)
			code = 1
		}
	}
	return code
}

func testEnv(t *testing.T) *workloads.Env {
	return &workloads.Env{Addr: server.Addr(), Dir: t.TempDir()}
}
