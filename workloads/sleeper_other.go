//go:build !linux

package workloads

// alarm does nothing here, where it is not needed: the runtime's poller
// waits for timers with a nanosecond timeout on darwin and the BSDs (kqueue)
// and with a high-resolution timer on Windows, so a Sleeper's sleeps are as
// precise with Go's timer alone.
type alarm struct{}

func (*alarm) open() error     { return nil }
func (*alarm) set(int64) error { return nil }
func (*alarm) close() error    { return nil }

// monotonicNow orders a Sleeper's deadlines, which nothing reads here.
func monotonicNow() (int64, error) { return 0, nil }
