package bench

import "golang.org/x/sys/unix"

// awaitExit blocks until the worker has exited, without reaping it: the pid
// stays ours, and its /proc entry readable for ChildCPU, until accountReap
// reaps it under the account's lock.
func awaitExit(p *proc) {
	for {
		var info unix.Siginfo
		err := unix.Waitid(unix.P_PID, p.pid, &info, unix.WEXITED|unix.WNOWAIT, nil)
		if err != unix.EINTR {
			return
		}
	}
}
