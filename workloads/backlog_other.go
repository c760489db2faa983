//go:build !linux && !darwin && !freebsd

package workloads

// listenBacklog returns the accept queue to count on per listener where the
// system does not say: 128, the usual BSD default (Windows picks about 200
// for the SOMAXCONN that Go asks for).
func listenBacklog() int { return 128 }
