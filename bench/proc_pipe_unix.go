//go:build unix && !linux && !freebsd

package bench

import (
	"os"
	"syscall"
)

// blockingPipe returns a pipe whose ends stay in blocking mode (see the top
// of proc_common.go) and close on exec, so no other child inherits them.
// Without pipe2 (macOS), close-on-exec is set after pipe(2), under the
// fork lock, as os.Pipe does, so that a process started by another
// goroutine meanwhile cannot inherit the ends.
func blockingPipe() (r, w *os.File, err error) {
	var fds [2]int
	syscall.ForkLock.RLock()
	err = syscall.Pipe(fds[:])
	if err == nil {
		syscall.CloseOnExec(fds[0])
		syscall.CloseOnExec(fds[1])
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return nil, nil, os.NewSyscallError("pipe", err)
	}
	return os.NewFile(uintptr(fds[0]), "|0"), os.NewFile(uintptr(fds[1]), "|1"), nil
}
