//go:build darwin || freebsd

package bench

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// This file is what the tests read of processes on macOS and FreeBSD, which
// have no /proc: ps(1), whose options both systems share.

// procChildren lists the children of this process other than the shared
// latency server and the ps that lists them, zombies included.
func procChildren(t testing.TB) []procChild {
	t.Helper()
	cmd := exec.Command("ps", "-A", "-o", "pid=,ppid=,stat=,comm=")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("listing processes: %v", err)
	}
	self := os.Getpid()
	var kids []procChild
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 {
			continue
		}
		pid, err1 := strconv.Atoi(f[0])
		ppid, err2 := strconv.Atoi(f[1])
		if err1 != nil || err2 != nil || ppid != self || pid == cmd.Process.Pid ||
			(testServer != nil && pid == testServer.PID()) {
			continue
		}
		kids = append(kids, procChild{pid: pid, state: f[2][0], comm: strings.Join(f[3:], " ")})
	}
	return kids
}

// liveCPUTick is zero: ChildCPU counts no live worker here.
const liveCPUTick = 0
