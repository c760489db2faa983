//go:build linux || freebsd

package bench

import (
	"os"

	"golang.org/x/sys/unix"
)

// blockingPipe returns a pipe whose ends stay in blocking mode (see the top
// of proc_common.go) and close on exec, so no other child inherits them.
// pipe2 sets close-on-exec atomically, so no lock against a concurrent fork
// is needed.
func blockingPipe() (r, w *os.File, err error) {
	var fds [2]int
	if err := unix.Pipe2(fds[:], unix.O_CLOEXEC); err != nil {
		return nil, nil, os.NewSyscallError("pipe2", err)
	}
	return os.NewFile(uintptr(fds[0]), "|0"), os.NewFile(uintptr(fds[1]), "|1"), nil
}
