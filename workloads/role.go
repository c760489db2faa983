package workloads

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
)

// RoleEnv is the environment variable that puts a re-executed binary into a
// child role instead of its normal main.
const RoleEnv = "CONCBENCH_ROLE"

// The child roles.
const (
	// RoleLatencyServer serves net ops (see [StartLatencyServer]).
	RoleLatencyServer = "latency-server"
	// RoleWorker runs tasks read from stdin and writes replies to stdout
	// (see [ServeWorker]); the process models start it.
	RoleWorker = "worker"
)

// WrapperEnv names a command, with arguments separated by spaces, that
// child roles are started through: the current executable becomes its last
// argument. It is for a binary that cannot execute itself directly, as a
// foreign-architecture test binary under QEMU's user-mode emulation without
// binfmt_misc, where CI sets it to "qemu-aarch64-static" (see .ci/run).
// Children inherit it, so their own children start the same way.
const WrapperEnv = "CONCBENCH_EXEC_WRAPPER"

// Worker environment: the latency server's address and the temp dir, so a
// worker process can run net and file ops.
const (
	AddrEnv = "CONCBENCH_ADDR"
	DirEnv  = "CONCBENCH_DIR"
)

// ChildMain runs the child role named by $CONCBENCH_ROLE and exits, or
// returns at once when the variable is unset. Every binary that may be
// re-executed in a role — the bench test binary and cmd/concbench — calls it
// first, in TestMain or main, before anything else starts.
func ChildMain() {
	role := os.Getenv(RoleEnv)
	if role == "" {
		return
	}
	var err error
	switch role {
	case RoleLatencyServer:
		err = ServeLatencyProcess(os.Stdin, os.Stdout)
	case RoleWorker:
		// A worker is a single-threaded interpreter process.
		runtime.GOMAXPROCS(1)
		// It sleeps as CPython's time.sleep does, blocking its only thread.
		sl := new(Sleeper)
		env := &Env{Addr: os.Getenv(AddrEnv), Dir: os.Getenv(DirEnv), Sleeper: sl}
		var fault Fault
		if fault, err = ParseFault(os.Getenv(FaultEnv)); err == nil {
			err = serveWorker(env, os.Stdin, os.Stdout, fault)
		}
		sl.Close()
		if _, ok := err.(errFaultExit); ok {
			os.Exit(faultExitCode)
		}
	default:
		err = fmt.Errorf("unknown role %q", role)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "concbench %s (pid %d): %v\n", role, os.Getpid(), err)
		os.Exit(1)
	}
	os.Exit(0)
}

// Command returns a command that re-executes the current binary in role,
// with extra environment variables appended. The caller starts it and must
// wait for it.
func Command(role string, env ...string) (*exec.Cmd, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("finding own executable for %s: %w", role, err)
	}
	cmd := exec.Command(exe)
	if w := strings.Fields(os.Getenv(WrapperEnv)); len(w) > 0 {
		cmd = exec.Command(w[0], append(w[1:], exe)...)
	}
	// A binary built with -race sleeps a second at exit by default; a child
	// must exit as fast as its normal build does (a user's GORACE still wins).
	cmd.Env = append(os.Environ(), RoleEnv+"="+role,
		"GORACE="+strings.TrimSpace("atexit_sleep_ms=0 "+os.Getenv("GORACE")))
	if role == RoleWorker {
		cmd.Env = append(cmd.Env, "GOMAXPROCS=1")
	}
	cmd.Env = append(cmd.Env, env...)
	cmd.Stderr = os.Stderr
	return cmd, nil
}
