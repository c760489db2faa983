package bench

import (
	"bytes"
	"os"
	"strconv"
	"time"
)

// liveCPU returns the CPU time a live (or not yet reaped) worker has used,
// from /proc.
func liveCPU(pid int) (time.Duration, error) { return procStatCPU(pid) }

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
