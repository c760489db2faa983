package bench

import (
	"bytes"
	"os"
	"strconv"
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
// Exited workers count with the precise rusage that wait4 reports. Live
// workers are read from /proc/<pid>/stat (utime+stime), so a batch in
// flight is counted too, but only in whole clock ticks (10 ms): a reading
// taken mid-batch may lag by up to a tick per live worker. Since a Run
// reaps all its workers before it returns, readings taken between Runs
// are exact. ChildCPU never decreases, is safe for concurrent use, and
// costs one /proc read per live worker (about 10 µs each).
func ChildCPU() time.Duration {
	workerCPU.mu.Lock()
	defer workerCPU.mu.Unlock()
	d := workerCPU.exited
	for pid := range workerCPU.live {
		// A live worker is never reaped while mu is held (see reap), so its
		// /proc entry exists even if it has exited: it is then a zombie,
		// whose stat still holds its final times.
		if t, err := procStatCPU(pid); err == nil {
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

// clockTick is the unit of /proc/<pid>/stat times: USER_HZ, which Linux
// fixes at 100 for user space whatever the kernel's HZ.
const clockTick = 10 * time.Millisecond

// procStatCPU returns utime+stime of process pid from /proc/<pid>/stat.
func procStatCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, err
	}
	f, err := statFields(b)
	if err != nil {
		return 0, err
	}
	// Fields 14 and 15 (1-based) of stat; f starts at field 3.
	utime, err1 := strconv.ParseUint(string(f[14-3]), 10, 64)
	stime, err2 := strconv.ParseUint(string(f[15-3]), 10, 64)
	if err1 != nil || err2 != nil {
		return 0, &os.PathError{Op: "parse", Path: "/proc/" + strconv.Itoa(pid) + "/stat", Err: os.ErrInvalid}
	}
	return time.Duration(utime+stime) * clockTick, nil
}

// statFields splits a /proc/<pid>/stat line after the command name, which
// may itself hold spaces and parentheses: the first field returned is the
// state (field 3).
func statFields(b []byte) ([][]byte, error) {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return nil, os.ErrInvalid
	}
	f := bytes.Fields(b[i+1:])
	if len(f) < 15-3+1 {
		return nil, os.ErrInvalid
	}
	return f, nil
}
