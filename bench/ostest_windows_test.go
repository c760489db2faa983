package bench

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// This file is what the tests read of the system and do to processes on
// Windows.

// procChildren lists the children of this process other than the shared
// latency server, from a Toolhelp snapshot. Windows has no zombies: a child
// that has exited is gone from the list, whether or not it was waited for.
func procChildren(t testing.TB) []procChild {
	t.Helper()
	snap, err := windows.CreateToolhelp32Snapshot(windows.TH32CS_SNAPPROCESS, 0)
	if err != nil {
		t.Fatalf("listing processes: %v", err)
	}
	defer windows.CloseHandle(snap)
	self := uint32(os.Getpid())
	var kids []procChild
	e := windows.ProcessEntry32{Size: uint32(unsafe.Sizeof(windows.ProcessEntry32{}))}
	for err = windows.Process32First(snap, &e); err == nil; err = windows.Process32Next(snap, &e) {
		pid := int(e.ProcessID)
		if e.ParentProcessID != self || (testServer != nil && pid == testServer.PID()) {
			continue
		}
		kids = append(kids, procChild{pid: pid, state: 'R', comm: windows.UTF16ToString(e.ExeFile[:])})
	}
	return kids
}

// killAndReap kills a process left behind by a test; there is nothing to
// reap on Windows.
func killAndReap(pid int) { killWorker(pid) }

// killWorker kills a worker behind its parent's back, as a user would in
// the Task Manager.
func killWorker(pid int) error {
	h, err := windows.OpenProcess(windows.PROCESS_TERMINATE, false, uint32(pid))
	if err != nil {
		return err
	}
	defer windows.CloseHandle(h)
	return windows.TerminateProcess(h, 1)
}

// diedOfKill reports whether a worker's end and the error about it say that
// it was killed: Windows has no signals, and a terminated worker exits
// with the status killWorker gave it.
func diedOfKill(state *os.ProcessState, msg string) bool {
	return state.ExitCode() == 1 && strings.Contains(msg, "exited with status 1")
}

// childrenRusage returns false: Windows keeps no account of reaped
// children's CPU time.
func childrenRusage() (time.Duration, bool) { return 0, false }

// errConnRefused is the error of a connection to a closed port.
var errConnRefused error = windows.WSAECONNREFUSED

// errNoFDCount says that this system cannot count a process's descriptors.
var errNoFDCount = errors.New("cannot count open handles reliably on Windows")

// countFDs returns errNoFDCount: the runtime opens and closes handles of its
// own (threads, timers) at any time.
func countFDs() (int, error) { return 0, errNoFDCount }

// osThreadID returns the calling OS thread's ID.
func osThreadID() (int, error) { return int(windows.GetCurrentThreadId()), nil }

// liveCPUTick is zero: ChildCPU counts no live worker here.
const liveCPUTick = 0
