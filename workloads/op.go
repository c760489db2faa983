package workloads

import (
	"fmt"
	"time"
)

// Kind says what an [Op] does, and so whether it computes or waits.
type Kind uint8

// The operation kinds. Only [KindCompute] needs a CPU; the others wait.
const (
	KindCompute Kind = iota + 1 // CPU work in units of one kernel
	KindSleep                   // a timed wait, like asyncio.sleep
	KindNet                     // one request/response to the latency server
	KindFile                    // write, fsync and read back a private temp file
)

// String returns the kind's lowercase name.
func (k Kind) String() string {
	switch k {
	case KindCompute:
		return "compute"
	case KindSleep:
		return "sleep"
	case KindNet:
		return "net"
	case KindFile:
		return "file"
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Kernel names a compute kernel.
type Kernel uint8

// The compute kernels. Each unit of work takes tens of microseconds.
const (
	// Hash is SHA-256 over a deterministic 64 KiB buffer per unit.
	Hash Kernel = iota + 1
	// Primes counts primes by trial division in a window of integers per
	// unit: pure ALU work, no allocation.
	Primes
	// Gzip compresses 2 KiB of deterministic text per unit, reusing its
	// thread's compressor (through a sync.Pool), as real Go code reuses a
	// gzip.Writer: compression, with almost no allocation.
	Gzip
	// GzipFresh is Gzip through a fresh gzip.Writer per unit, which
	// allocates about 800 KB a unit: what allocation-heavy Go code costs,
	// garbage collector included. Its units have Gzip's values. The
	// benchmark matrix does not run it; BenchmarkGzipFresh does.
	GzipFresh
)

// Kernels lists every kernel, in a fixed order.
func Kernels() []Kernel { return []Kernel{Hash, Primes, Gzip, GzipFresh} }

// String returns the kernel's name as used in workload names.
func (k Kernel) String() string {
	switch k {
	case Hash:
		return "hash"
	case Primes:
		return "primes"
	case Gzip:
		return "gzip"
	case GzipFresh:
		return "gzip-fresh"
	}
	return fmt.Sprintf("kernel(%d)", uint8(k))
}

// ParseKernel returns the kernel with the given name.
func ParseKernel(name string) (Kernel, error) {
	for _, k := range Kernels() {
		if k.String() == name {
			return k, nil
		}
	}
	return 0, fmt.Errorf("unknown kernel %q (want hash, primes, gzip or gzip-fresh)", name)
}

// Op is one typed operation of a task. Only the fields of its Kind are set;
// build it with [Compute], [Sleep], [Net] or [File].
type Op struct {
	Kind   Kind
	Kernel Kernel        // compute: which kernel
	Units  int           // compute: how many units
	Size   int           // compute: the size of one unit (see [Kernel.MaxSize]); zero means the kernel's default
	D      time.Duration // sleep: how long; net: the server's delay
	Bytes  int           // net: response size; file: file size
}

// HeldShare returns the fraction of a CPython unit of k that runs holding
// the GIL: 1 for a kernel whose CPython counterpart is pure Python (primes),
// less for one that spends most of a unit in C with the GIL released.
// CPython's hashlib releases it while it hashes a buffer of 2 KiB or more
// (HASHLIB_GIL_MINSIZE), so a hash unit holds it only for its Python code,
// hashlib.sha256() of the 8-byte header, digest() and the fold; zlib
// releases it inside deflate, in compress() and flush(), so a gzip unit
// holds it for its Python code, zlib.compressobj() (deflateInit allocates
// and clears the tables) and crc32 of the small output. The gil-threads and
// gil-pool models split a unit of such a kernel accordingly (see
// [UnitReleasing]).
//
// The shares are CPython's own split, measured by the CPython suite on a
// 2-CPU AMD EPYC VM: each unit as a compute op runs it (the unit and its
// fold), timed whole and around its releasing calls, medians of 7 trials of
// 256 units, three runs each:
//
//	taskset -c 1 python3 scripts/pyref/concbench_py.py --gil-split
//
// hash: 3.11.7 0.065–0.071 of a 42–44 µs unit, 3.14.10 0.060–0.069;
// gzip: 3.11.7 0.077–0.092 of a 45–47 µs unit, 3.14.10 0.075–0.080. The
// values are rounded from those. Each run of the suite records its own
// split (gil-held-share-KERNEL-py), which the report shows beside them.
func (k Kernel) HeldShare() float64 {
	switch k {
	case Hash:
		return 0.06
	case Gzip, GzipFresh:
		return 0.085
	}
	return 1
}

// ReleasesGIL reports whether CPython's counterpart of k runs most of each
// unit in C without the GIL: true for hash, gzip and gzip-fresh, false for
// primes.
func (k Kernel) ReleasesGIL() bool { return k.HeldShare() < 1 }

// Compute returns an op that runs units units of kernel k, each of the
// kernel's default size.
func Compute(k Kernel, units int) Op { return Op{Kind: KindCompute, Kernel: k, Units: units} }

// ComputeSized is Compute with units of the given size: integers tested per
// primes unit, bytes hashed per hash unit, bytes compressed per gzip unit.
// Smaller units make finer-grained tasks than the defaults allow.
func ComputeSized(k Kernel, units, size int) Op {
	return Op{Kind: KindCompute, Kernel: k, Units: units, Size: size}
}

// DefaultSize returns the size of one unit of k when an op leaves Size zero.
func (k Kernel) DefaultSize() int {
	switch k {
	case Hash:
		return hashBufSize
	case Primes:
		return primesWindow
	case Gzip, GzipFresh:
		return gzipChunk
	}
	return 0
}

// MaxSize returns the largest unit size k accepts.
func (k Kernel) MaxSize() int {
	switch k {
	case Hash:
		return hashBufSize
	case Primes:
		return 1 << 20
	case Gzip, GzipFresh:
		return gzipCorpus / 2
	}
	return 0
}

// Sleep returns an op that waits for d.
func Sleep(d time.Duration) Op { return Op{Kind: KindSleep, D: d} }

// Net returns an op that makes one request to the latency server, which
// answers with n bytes after delay.
func Net(delay time.Duration, n int) Op { return Op{Kind: KindNet, D: delay, Bytes: n} }

// File returns an op that writes n bytes to a task-private temporary file,
// fsyncs it and reads it back.
func File(n int) Op { return Op{Kind: KindFile, Bytes: n} }

// Waits reports whether the op waits rather than computes.
func (o Op) Waits() bool { return o.Kind != KindCompute }

// String describes the op, for error messages.
func (o Op) String() string {
	switch o.Kind {
	case KindCompute:
		if o.Size != 0 {
			return fmt.Sprintf("compute(%s×%d, size %d)", o.Kernel, o.Units, o.Size)
		}
		return fmt.Sprintf("compute(%s×%d)", o.Kernel, o.Units)
	case KindSleep:
		return fmt.Sprintf("sleep(%v)", o.D)
	case KindNet:
		return fmt.Sprintf("net(%v, %dB)", o.D, o.Bytes)
	case KindFile:
		return fmt.Sprintf("file(%dB)", o.Bytes)
	}
	return o.Kind.String()
}

// validate reports whether the op's fields make sense for its kind.
func (o Op) validate() error {
	switch o.Kind {
	case KindCompute:
		if o.Kernel < Hash || o.Kernel > GzipFresh {
			return fmt.Errorf("compute op with unknown kernel %d", o.Kernel)
		}
		if o.Units < 0 {
			return fmt.Errorf("compute op with %d units", o.Units)
		}
		if o.Size < 0 || o.Size > o.Kernel.MaxSize() {
			return fmt.Errorf("compute op with unit size %d (max %d for %s)", o.Size, o.Kernel.MaxSize(), o.Kernel)
		}
	case KindSleep, KindNet:
		if o.D < 0 {
			return fmt.Errorf("%s op with negative duration %v", o.Kind, o.D)
		}
		if o.Bytes < 0 || o.Bytes > MaxBytes {
			return fmt.Errorf("%s op with %d bytes (max %d)", o.Kind, o.Bytes, MaxBytes)
		}
	case KindFile:
		if o.Bytes < 0 || o.Bytes > MaxBytes {
			return fmt.Errorf("file op with %d bytes (max %d)", o.Bytes, MaxBytes)
		}
	default:
		return fmt.Errorf("unknown op kind %d", o.Kind)
	}
	return nil
}

// MaxBytes bounds the payload of a net or file op, so that a corrupt task
// cannot make a worker allocate without limit.
const MaxBytes = 16 << 20
