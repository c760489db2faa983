//go:build linux

package workloads

import (
	"os"

	"golang.org/x/sys/unix"
)

// alarm is a timerfd on the monotonic clock, the clock of Go's timers.
// os.NewFile registers the non-blocking descriptor with the runtime's
// poller, so its expiry ends the poller's epoll_wait; nobody reads it.
type alarm struct {
	f  *os.File // keeps the descriptor registered, and closes it
	fd int
}

func (a *alarm) open() error {
	fd, err := unix.TimerfdCreate(unix.CLOCK_MONOTONIC, unix.TFD_NONBLOCK|unix.TFD_CLOEXEC)
	if err != nil {
		return os.NewSyscallError("precise sleep: timerfd_create", err)
	}
	a.f, a.fd = os.NewFile(uintptr(fd), "concbench-sleep-alarm"), fd
	return nil
}

// set makes the alarm go off at the monotonic time at (nanoseconds); a time
// already past makes it go off at once.
func (a *alarm) set(at int64) error {
	spec := unix.ItimerSpec{Value: unix.NsecToTimespec(at)}
	if err := unix.TimerfdSettime(a.fd, unix.TFD_TIMER_ABSTIME, &spec, nil); err != nil {
		return os.NewSyscallError("precise sleep: timerfd_settime", err)
	}
	return nil
}

func (a *alarm) close() error { return a.f.Close() }

// monotonicNow reads CLOCK_MONOTONIC, the clock of the runtime's timers.
func monotonicNow() (int64, error) {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts); err != nil {
		return 0, os.NewSyscallError("precise sleep: clock_gettime", err)
	}
	return ts.Nano(), nil
}
