package bench

import (
	"strconv"

	"golang.org/x/sys/unix"
)

// memoryBytes returns the machine's memory, sysctl hw.memsize.
func memoryBytes() uint64 {
	n, err := unix.SysctlUint64("hw.memsize")
	if err != nil {
		return 0
	}
	return n
}

// coreKinds returns the counts of performance and efficiency cores of an
// Apple silicon Mac (perflevel0 and perflevel1), so that a comparison
// across machines can say what kind of cores "2 cores" was. An Intel Mac has
// no perflevel1 and only the first line; a macOS before 12 has neither.
func coreKinds() []ConfigLine {
	var lines []ConfigLine
	for _, k := range []struct{ key, sysctl string }{
		{"cpus-performance", "hw.perflevel0.physicalcpu"},
		{"cpus-efficiency", "hw.perflevel1.physicalcpu"},
	} {
		if n, err := unix.SysctlUint32(k.sysctl); err == nil {
			lines = append(lines, ConfigLine{k.key, strconv.FormatUint(uint64(n), 10)})
		}
	}
	return lines
}
