package workloads

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
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

// NofileEnv, set to a number, makes a child set its soft limit on open
// descriptors (RLIMIT_NOFILE) to it before its role starts, in place of the
// hard limit that Go raises it to. Tests use it to run the latency server
// out of descriptors.
const NofileEnv = "CONCBENCH_NOFILE"

// ChildMain runs the child role named by $CONCBENCH_ROLE and exits, or
// returns at once when the variable is unset. Every binary that may be
// re-executed in a role — the bench test binary and cmd/concbench — calls it
// first, in TestMain or main, before anything else starts.
func ChildMain() {
	role := os.Getenv(RoleEnv)
	if role == "" {
		return
	}
	err := applyNofileEnv()
	if err == nil {
		err = runRole(role)
	}
	if _, ok := err.(errFaultExit); ok {
		os.Exit(faultExitCode)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "concbench %s (pid %d): %v\n", role, os.Getpid(), err)
		os.Exit(1)
	}
	os.Exit(0)
}

func runRole(role string) error {
	switch role {
	case RoleLatencyServer:
		return ServeLatencyProcess(os.Stdin, os.Stdout)
	case RoleWorker:
		// A worker is a single-threaded interpreter process.
		runtime.GOMAXPROCS(1)
		// It sleeps as CPython's time.sleep does, blocking its only thread.
		sl := new(Sleeper)
		defer sl.Close()
		env := &Env{Addr: os.Getenv(AddrEnv), Dir: os.Getenv(DirEnv), Sleeper: sl}
		fault, err := ParseFault(os.Getenv(FaultEnv))
		if err != nil {
			return err
		}
		return serveWorker(env, os.Stdin, os.Stdout, fault)
	}
	return fmt.Errorf("unknown role %q", role)
}

// applyNofileEnv sets the soft descriptor limit that $CONCBENCH_NOFILE asks
// for, if any.
func applyNofileEnv() error {
	v := os.Getenv(NofileEnv)
	if v == "" {
		return nil
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err == nil {
		err = setSoftNofile(n)
	}
	if err != nil {
		return fmt.Errorf("%s=%q: %w", NofileEnv, v, err)
	}
	return nil
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
