package bench

import "golang.org/x/sys/unix"

// memoryBytes returns the machine's memory, sysctl hw.physmem.
func memoryBytes() uint64 {
	n, err := unix.SysctlUint64("hw.physmem")
	if err != nil {
		return 0
	}
	return n
}

// coreKinds returns nothing: FreeBSD does not tell core kinds apart.
func coreKinds() []ConfigLine { return nil }
