//go:build !linux

package bench

// awaitExit blocks until the worker has exited, and reaps it: without
// waitid's WNOWAIT (macOS, the BSDs, Windows), the only portable wait is
// os.Process.Wait, which reaps. Nothing is lost by it, since ChildCPU reads
// no live worker here (see liveCPU), and reaping before accountReap takes
// the lock keeps readers from waiting on a slow exit.
func awaitExit(p *proc) { p.wait() }
