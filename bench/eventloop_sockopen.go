//go:build (linux || freebsd) && !concbench_portable

package bench

import "golang.org/x/sys/unix"

// nonblockingSocket opens a non-blocking, close-on-exec stream socket in
// one call.
func nonblockingSocket(family int) (int, error) {
	return unix.Socket(family, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
}
