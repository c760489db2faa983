package bench

import (
	"sync"
	"time"
)

// workerCPU accounts for the CPU time of every worker process that the
// process models of this process have started. A worker is live from its
// start until it is reaped; reaping moves it to exited under mu, so a
// reading sees each worker exactly once.
var workerCPU struct {
	mu     sync.Mutex
	exited time.Duration    // user+system time of reaped workers, from rusage
	live   map[int]struct{} // pids of workers started and not yet reaped
}

// ChildCPU returns the CPU time, user plus system, used so far by all the
// worker processes that procs and procpool have started in this process,
// those still running and those that have exited. The benchmark matrix
// reads it before and after a batch and adds the difference to the
// process's own CPU time (getrusage RUSAGE_SELF) for cpu-util. It must not
// also add RUSAGE_CHILDREN, which counts the same reaped workers again
// (and, at exit, the latency server, which is not part of the measured
// work).
//
// Exited workers count with the precise times that wait4 reports (on
// Windows, GetProcessTimes of the exited process). Live workers are read
// where the system lets a parent read them (liveCPU): on Linux from
// /proc/<pid>/stat (utime+stime), so a batch in flight is counted too, but
// only in whole clock ticks (10 ms), and a reading taken mid-batch may lag
// by up to a tick per live worker. Elsewhere (macOS, the BSDs, Windows) a
// live worker counts nothing until it is reaped. Since a Run reaps all its
// workers before it returns, readings taken between Runs, as the matrix's
// cpu-util takes them, are exact on every system. ChildCPU never decreases,
// is safe for concurrent use, and costs one /proc read per live worker
// (about 10 µs each) on Linux.
func ChildCPU() time.Duration {
	workerCPU.mu.Lock()
	defer workerCPU.mu.Unlock()
	d := workerCPU.exited
	for pid := range workerCPU.live {
		// A live worker is never reaped while mu is held (see reap), so its
		// /proc entry exists even if it has exited: it is then a zombie,
		// whose stat still holds its final times.
		if t, err := liveCPU(pid); err == nil {
			d += t
		}
	}
	return d
}

// accountStart records a started worker.
func accountStart(pid int) {
	workerCPU.mu.Lock()
	defer workerCPU.mu.Unlock()
	if workerCPU.live == nil {
		workerCPU.live = make(map[int]struct{})
	}
	workerCPU.live[pid] = struct{}{}
}

// accountReap runs reap, which must reap the worker pid and return its CPU
// time, with mu held, so that no reading sees the worker neither live nor
// exited, or sees its pid after the kernel may have reused it.
func accountReap(pid int, reap func() time.Duration) {
	workerCPU.mu.Lock()
	defer workerCPU.mu.Unlock()
	workerCPU.exited += reap()
	delete(workerCPU.live, pid)
}
