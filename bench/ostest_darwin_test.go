package bench

import (
	"os"

	"golang.org/x/sys/unix"
)

// countFDs counts this process's open descriptors in /dev/fd, which macOS
// fills with every descriptor of the reading process (ReadDir's own among
// them, as on Linux).
func countFDs() (int, error) {
	ents, err := os.ReadDir("/dev/fd")
	return len(ents), err
}

// osThreadID returns the calling OS thread's ID, thread_selfid(2).
func osThreadID() (int, error) {
	id, _, errno := unix.RawSyscall(unix.SYS_THREAD_SELFID, 0, 0, 0)
	if errno != 0 {
		return 0, errno
	}
	return int(id), nil
}
