package bench

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// ReadLimits reads this process's descriptor limit and its user's thread
// and process limit. Root is not held to RLIMIT_NPROC.
func ReadLimits() Limits {
	lim := Limits{Nofile: Unlimited, Nproc: Unlimited, NprocEnforced: os.Getuid() != 0}
	var r unix.Rlimit
	if unix.Getrlimit(unix.RLIMIT_NOFILE, &r) == nil && r.Cur != unix.RLIM_INFINITY {
		lim.Nofile = r.Cur
	}
	if unix.Getrlimit(unix.RLIMIT_NPROC, &r) == nil && r.Cur != unix.RLIM_INFINITY {
		lim.Nproc = r.Cur
	}
	return lim
}

// openFiles counts this process's open descriptors.
func openFiles() int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return 0
	}
	return len(ents) - 1 // the directory's own descriptor
}

// userThreads counts the threads of every process whose real user is this
// process's, as RLIMIT_NPROC counts them; -1 if /proc cannot be read.
func userThreads() int {
	dirs, err := filepath.Glob("/proc/[0-9]*/status")
	if err != nil || len(dirs) == 0 {
		return -1
	}
	uid := strconv.Itoa(os.Getuid())
	n := 0
	for _, path := range dirs {
		n += threadsOf(path, uid)
	}
	return n
}

// threadsOf returns the Threads count of a /proc status file whose real
// uid is uid, else 0 (a process that has exited meanwhile counts 0 too).
func threadsOf(path, uid string) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	mine := false
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), ":")
		switch k {
		case "Uid":
			f := strings.Fields(v)
			if len(f) == 0 || f[0] != uid {
				return 0
			}
			mine = true
		case "Threads":
			if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && mine {
				return n
			}
			return 0
		}
	}
	return 0
}
