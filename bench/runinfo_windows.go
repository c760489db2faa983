package bench

import (
	"fmt"
	"runtime"
	"unsafe"

	"golang.org/x/sys/windows"
)

// This file reads the machine's facts for MachineConfig on Windows.

// machineCPUs counts the machine's logical processors.
func machineCPUs() int { return runtime.NumCPU() }

// Affinity returns "unsupported": scripts/bench.sh, which would set it, does
// not run on Windows (WSL does, as Linux).
func Affinity() string { return "unsupported" }

// LoadAverage returns "": Windows keeps no load average.
func LoadAverage() string { return "" }

// cpuGovernor returns "": Windows's power plans are not read here.
func cpuGovernor() string { return "" }

// coreKinds returns nothing: hybrid cores are not told apart here.
func coreKinds() []ConfigLine { return nil }

// kernelRelease returns the Windows version, as "10.0.22631".
func kernelRelease() string {
	v := windows.RtlGetVersion()
	return fmt.Sprintf("%d.%d.%d", v.MajorVersion, v.MinorVersion, v.BuildNumber)
}

// memoryStatusEx is MEMORYSTATUSEX, which x/sys/windows does not define.
type memoryStatusEx struct {
	length               uint32
	memoryLoad           uint32
	totalPhys            uint64
	availPhys            uint64
	totalPageFile        uint64
	availPageFile        uint64
	totalVirtual         uint64
	availVirtual         uint64
	availExtendedVirtual uint64
}

var procGlobalMemoryStatusEx = windows.NewLazySystemDLL("kernel32.dll").NewProc("GlobalMemoryStatusEx")

// memoryBytes returns the physical memory the system can use.
func memoryBytes() uint64 {
	m := memoryStatusEx{length: uint32(unsafe.Sizeof(memoryStatusEx{}))}
	if ok, _, _ := procGlobalMemoryStatusEx.Call(uintptr(unsafe.Pointer(&m))); ok == 0 {
		return 0
	}
	return m.totalPhys
}
