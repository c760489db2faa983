package bench

import (
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/workloads"
)

func TestCellNeed(t *testing.T) {
	gen := func(w string, n int) []workloads.Task {
		t.Helper()
		s := workloads.Spec{Workload: w, Tasks: n, Seed: 1, Wait: time.Millisecond}
		if w != "sleep" {
			s.Bytes = 100
		}
		ts, err := workloads.Generate(s)
		if err != nil {
			t.Fatal(err)
		}
		return ts
	}
	net, file, sleep := gen("net", 10000), gen("file", 64), gen("sleep", 10000)
	for _, tc := range []struct {
		model string
		tasks []workloads.Task
		procs int
		want  Need
	}{
		{"seq", net, 2, Need{Files: 1, ServerFiles: 1}},
		{"goroutines", net, 2, Need{Files: 10000, ServerFiles: 10000}},
		{"eventloop", net, 2, Need{Files: 10000, ServerFiles: 10000}},
		{"gil-threads", net, 4, Need{Files: 10000, ServerFiles: 10000, Threads: 10000}},
		{"gil-threads", sleep, 2, Need{Threads: 10000}},
		{"gil-threads", file, 2, Need{Files: 64, Threads: 64}},
		{"pool", net, 2, Need{Files: 2, ServerFiles: 2}},
		{"errgroup", net, 8, Need{Files: 8, ServerFiles: 8}},
		{"gil-pool", net, 2, Need{Files: 6, ServerFiles: 6, Threads: 6}},
		{"gil-pool", net, 64, Need{Files: 32, ServerFiles: 32, Threads: 32}},
		{"interp-pool", file, 2, Need{Files: 6, Threads: 6}},
		{"procs", net, 2, Need{Files: 2 * filesPerWorker, ServerFiles: 2, Threads: 2 * threadsPerWorker}},
		{"procpool", sleep, 4, Need{Files: 4 * filesPerWorker, Threads: 4 * threadsPerWorker}},
		{"goroutines", sleep, 2, Need{}},
		{"goroutines", file, 2, Need{Files: 64, Threads: 64}},
		{"eventloop", file, 2, Need{Files: 6, Threads: 6}},
		{"seq", file, 2, Need{Files: 1, Threads: 1}},
	} {
		if got := CellNeed(tc.model, tc.tasks, tc.procs); got != tc.want {
			t.Errorf("CellNeed(%s, %d %s tasks, %d) = %+v, want %+v", tc.model, len(tc.tasks), tc.tasks[0].Ops[0].Kind, tc.procs, got, tc.want)
		}
	}
}

func TestLimitSkip(t *testing.T) {
	lim := Limits{Nofile: 4096, Nproc: 1000, NprocEnforced: true}
	for _, tc := range []struct {
		name    string
		lim     Limits
		need    Need
		threads int
		want    string // a part of the reason; "" for none
	}{
		{"fits", lim, Need{Files: 1000, ServerFiles: 1000}, 100, ""},
		{"client over", lim, Need{Files: 10000}, 100,
			"needs 10052 open files in this process (20 open, 10000 for the batch), over RLIMIT_NOFILE 4096; raise it: ulimit -n 12000, or a container's --ulimit nofile=12000"},
		{"server over", lim, Need{Files: 4000, ServerFiles: 10000}, 100,
			"needs 10037 open files in the latency server's process (10000 connections), over RLIMIT_NOFILE 4096"},
		{"just over", lim, Need{Files: 4096 - 20 - spareFiles + 1}, 100, "over RLIMIT_NOFILE 4096"},
		{"just fits", lim, Need{Files: 4096 - 20 - spareFiles}, 100, ""},
		{"unlimited", Limits{Nofile: Unlimited, Nproc: Unlimited}, Need{Files: 1e6, ServerFiles: 1e6, Threads: 1e6}, 100, ""},
		{"threads over", lim, Need{Threads: 900}, 100,
			"needs 1016 threads and processes of this user (100 now, 900 for the batch), over RLIMIT_NPROC 1000; raise it: ulimit -u 2000, or a container's --ulimit nproc=2000"},
		{"threads not enforced", Limits{Nofile: 4096, Nproc: 1000}, Need{Threads: 900}, 100, ""},
		{"threads unknown", lim, Need{Threads: 900}, -1, ""},
	} {
		got := LimitSkip(tc.lim, tc.need, 20, 5, tc.threads)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%s: LimitSkip = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestReadLimits(t *testing.T) {
	lim := ReadLimits()
	if lim.Nofile == 0 || lim.Nproc == 0 {
		t.Errorf("ReadLimits() = %+v: a zero limit", lim)
	}
	if n := openFiles(); n < 3 && lim.Nofile != Unlimited {
		t.Errorf("openFiles() = %d, want at least stdin, stdout and stderr", n)
	}
	if n := userThreads(); n == 0 {
		t.Errorf("userThreads() = 0: this process's own threads are not counted")
	}
}
