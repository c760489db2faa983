package bench

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"golang.org/x/sys/unix"
)

// This file is what the tests read of the system on Linux.

// procChildren lists the children of this process other than the shared
// latency server, zombies included, from /proc.
func procChildren(t testing.TB) []procChild {
	t.Helper()
	stats, err := filepath.Glob("/proc/[0-9]*/stat")
	if err != nil {
		t.Fatal(err)
	}
	self := os.Getpid()
	var kids []procChild
	for _, path := range stats {
		b, err := os.ReadFile(path)
		if err != nil {
			continue // it exited while we looked
		}
		f, err := statFields(b)
		if err != nil {
			continue
		}
		ppid, _ := strconv.Atoi(string(f[4-3]))
		pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(path)))
		if ppid != self || (testServer != nil && pid == testServer.PID()) {
			continue
		}
		comm := ""
		if i, j := bytes.IndexByte(b, '('), bytes.LastIndexByte(b, ')'); i >= 0 && j > i {
			comm = string(b[i+1 : j])
		}
		kids = append(kids, procChild{pid: pid, state: f[0][0], comm: comm})
	}
	return kids
}

// countFDs counts this process's open descriptors in /proc/self/fd.
func countFDs() (int, error) {
	ents, err := os.ReadDir("/proc/self/fd")
	return len(ents), err
}

// osThreadID returns the calling OS thread's ID.
func osThreadID() (int, error) { return unix.Gettid(), nil }

// liveCPUTick is the resolution at which ChildCPU counts live workers: the
// clock tick of /proc/<pid>/stat.
const liveCPUTick = clockTick

func TestProcStatCPU(t *testing.T) {
	d, err := procStatCPU(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if d < 0 {
		t.Errorf("own CPU time %v", d)
	}
	if _, err := procStatCPU(-1); err == nil {
		t.Error("no error for pid -1")
	}
	// A command name with spaces and parentheses must not shift fields.
	f, err := statFields([]byte("12 (a) b (c)) S 1 12 12 0 -1 4194560 100 0 0 0 7 3 0 0 20 0 1 0 5"))
	if err != nil {
		t.Fatal(err)
	}
	if string(f[0]) != "S" || string(f[14-3]) != "7" || string(f[15-3]) != "3" {
		t.Errorf("fields %q", f)
	}
}
