//go:build unix

package bench

import (
	"errors"
	"syscall"

	"golang.org/x/sys/unix"
)

// pipeClosed reports whether err is a write to a pipe whose reader, the
// worker, has gone.
func pipeClosed(err error) bool { return errors.Is(err, syscall.EPIPE) }

// signalName names a signal as kill -l does: "SIGKILL".
func signalName(s syscall.Signal) string { return unix.SignalName(s) }
