package bench

import (
	"errors"
	"syscall"

	"golang.org/x/sys/windows"
)

// pipeClosed reports whether err is a write to a pipe whose reader, the
// worker, has gone: Windows says "the pipe is being closed" or "the pipe has
// been ended" where Unix says EPIPE.
func pipeClosed(err error) bool {
	return errors.Is(err, windows.ERROR_NO_DATA) || errors.Is(err, windows.ERROR_BROKEN_PIPE) ||
		errors.Is(err, syscall.EPIPE)
}

// signalName names a signal. Windows processes do not die of signals (a
// killed worker exits with status 1), so this only serves the shared code.
func signalName(s syscall.Signal) string { return s.String() }
