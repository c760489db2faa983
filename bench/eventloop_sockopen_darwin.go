//go:build !concbench_portable

package bench

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// nonblockingSocket opens a non-blocking, close-on-exec stream socket.
// macOS's socket(2) takes no such flags, so they are set after it, the
// close-on-exec flag under the fork lock as the net package does, so that a
// process started meanwhile cannot inherit the socket.
func nonblockingSocket(family int) (int, error) {
	syscall.ForkLock.RLock()
	fd, err := unix.Socket(family, unix.SOCK_STREAM, 0)
	if err == nil {
		unix.CloseOnExec(fd)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return -1, err
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return -1, err
	}
	return fd, nil
}
