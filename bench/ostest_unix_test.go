//go:build unix

package bench

import (
	"errors"
	"os"
	"strings"
	"syscall"
	"time"
)

// This file is what the tests do to processes on every Unix.

// killAndReap kills a process left behind by a test, and reaps it.
func killAndReap(pid int) {
	syscall.Kill(pid, syscall.SIGKILL)
	var ws syscall.WaitStatus
	syscall.Wait4(pid, &ws, 0, nil)
}

// killWorker kills a worker behind its parent's back, as the OOM killer or
// a user would.
func killWorker(pid int) error { return syscall.Kill(pid, syscall.SIGKILL) }

// diedOfKill reports whether a worker's end and the error about it say that
// it was killed: by SIGKILL, named in the message.
func diedOfKill(state *os.ProcessState, msg string) bool {
	ws, ok := state.Sys().(syscall.WaitStatus)
	return ok && ws.Signal() == syscall.SIGKILL && strings.Contains(msg, "SIGKILL")
}

// childrenRusage returns the CPU time of this process's reaped children,
// as the kernel counts it: an account independent of ChildCPU.
func childrenRusage() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}

// errConnRefused is the error of a connection to a closed port.
var errConnRefused error = syscall.ECONNREFUSED

// errNoFDCount says that this system cannot count a process's descriptors.
var errNoFDCount = errors.New("cannot count open descriptors here")
