package workloads

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"hash/crc32"
	"math"
	"sync"
)

// Unit sizes. Each is chosen so that one unit takes tens of microseconds on
// a current x86 core, short enough that a scheduler acting between units
// (the GIL's switch interval of 5 ms) sees hundreds of them.
const (
	hashBufSize  = 64 << 10 // bytes hashed per hash unit
	primesWindow = 200      // integers tested per primes unit
	primesBase   = 1_000_000
	primesSpan   = 1_000_000 // windows start in [primesBase, primesBase+primesSpan)
	gzipChunk    = 2 << 10   // bytes compressed per gzip unit
	gzipCorpus   = 64 << 10  // size of the deterministic text that chunks come from
)

var (
	hashBufOnce sync.Once
	hashBuf     []byte
	corpusOnce  sync.Once
	corpus      []byte
)

// HashBuffer returns the deterministic 64 KiB buffer that the hash kernel
// digests. It is shared and must not be modified.
func HashBuffer() []byte {
	hashBufOnce.Do(func() {
		hashBuf = make([]byte, hashBufSize)
		fill(hashBuf, 0x5eed)
	})
	return hashBuf
}

// TextCorpus returns the deterministic text that the gzip kernel
// compresses. It is shared and must not be modified.
func TextCorpus() []byte {
	corpusOnce.Do(func() {
		words := []string{"the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog",
			"concurrency", "is", "not", "parallelism", "goroutine", "thread", "process",
			"event", "loop", "lock", "core", "task", "wait", "compute", "python", "go"}
		var b bytes.Buffer
		x := uint64(0xc0ffee)
		for b.Len() < gzipCorpus {
			x = mix64(x)
			b.WriteString(words[x%uint64(len(words))])
			if x>>60 == 0 {
				b.WriteString(".\n")
			} else {
				b.WriteByte(' ')
			}
		}
		corpus = b.Bytes()[:gzipCorpus]
	})
	return corpus
}

// fill writes deterministic pseudo-random bytes derived from seed into p.
func fill(p []byte, seed uint64) {
	x := seed
	var w [8]byte
	for i := 0; i < len(p); i += 8 {
		x = mix64(x)
		binary.LittleEndian.PutUint64(w[:], x)
		copy(p[i:], w[:])
	}
}

// Unit runs unit i of kernel k, of the given size (zero: the kernel's
// default), for an op whose seed is seed, and returns its value. It is the
// smallest piece of compute a scheduler can interleave. Sizes outside
// [0, k.MaxSize()] are clamped; validated ops never have them.
func Unit(k Kernel, size int, seed uint64, i int) uint64 {
	return UnitReleasing(k, size, seed, i, nil)
}

// Releaser is what a unit of a kernel whose CPython counterpart releases the
// GIL calls around the part CPython runs in C without it, as
// Py_BEGIN_ALLOW_THREADS and Py_END_ALLOW_THREADS bracket the C call.
type Releaser interface {
	// Release is called when the unit has done the share of its work that
	// CPython does holding the GIL (Kernel.HeldShare).
	Release()
	// Reacquire is called when the released part is done, before the
	// unit's short tail (the digest, the CRC).
	Reacquire()
}

// UnitReleasing runs unit i as [Unit] does and returns the same value.
// When r is not nil and k releases the GIL ([Kernel.ReleasesGIL]), it
// splits the unit's real work: the first HeldShare of the unit's input
// (SHA-256 of the first bytes of the buffer; the gzip writer's reset and the
// first bytes of its chunk), then r.Release, the rest of the input, then
// r.Reacquire and the unit's tail. SHA-256 and deflate stream, so the split
// unit does the work of the whole one and its value is the same. For a
// kernel that holds the GIL it never calls r.
func UnitReleasing(k Kernel, size int, seed uint64, i int, r Releaser) uint64 {
	if size <= 0 || size > k.MaxSize() {
		size = k.DefaultSize()
	}
	if !k.ReleasesGIL() {
		r = nil
	}
	s := mix64(seed + uint64(i))
	switch k {
	case Hash:
		var hdr [8]byte
		binary.LittleEndian.PutUint64(hdr[:], s)
		h := sha256.New()
		h.Write(hdr[:])
		buf := HashBuffer()[:size]
		if r == nil {
			h.Write(buf)
		} else {
			n := k.heldBytes(size)
			h.Write(buf[:n])
			r.Release()
			h.Write(buf[n:])
			r.Reacquire()
		}
		var d [sha256.Size]byte
		return binary.LittleEndian.Uint64(h.Sum(d[:0]))
	case Primes:
		lo := primesBase + s%primesSpan
		return lo<<16 | uint64(CountPrimes(lo, lo+uint64(size)))
	case Gzip:
		// The compressor is reused, as real Go code reuses a writer and as
		// CPython's zlib, which allocates outside any garbage collector,
		// costs the collector nothing: the unit measures compression.
		z := gzipStates.Get().(*gzipState)
		z.out.Reset()
		z.w.Reset(&z.out)
		v := gzipChunkValue(z.w, &z.out, gzipInput(s, size), k.heldBytes(size), r)
		gzipStates.Put(z)
		return v
	case GzipFresh:
		// A fresh writer per unit is the point: it allocates about 800 KB.
		var out bytes.Buffer
		return gzipChunkValue(gzip.NewWriter(&out), &out, gzipInput(s, size), k.heldBytes(size), r)
	}
	panic("workloads: unknown kernel") // unreachable for validated tasks
}

// heldBytes is how many of a unit's size bytes a split unit of k processes
// before it releases the GIL: the held share of its input.
func (k Kernel) heldBytes(size int) int {
	return min(size, int(math.Round(k.HeldShare()*float64(size))))
}

// gzipState is a gzip compressor and its output buffer, kept between gzip
// units. The pool holds about one per P, so each thread that compresses
// reuses its own.
type gzipState struct {
	out bytes.Buffer
	w   *gzip.Writer
}

var gzipStates = sync.Pool{New: func() any {
	z := new(gzipState)
	z.w = gzip.NewWriter(&z.out)
	return z
}}

// gzipInput returns the chunk of the corpus that a gzip unit of the given
// size and unit seed compresses.
func gzipInput(s uint64, size int) []byte {
	c := TextCorpus()
	off := int(s % uint64(len(c)-size))
	return c[off : off+size]
}

// gzipChunkValue compresses chunk through w, a writer reset to an empty
// out, and returns the unit's value: the stream's length and CRC-32. A reset
// writer writes the same stream as a fresh one, so Gzip and GzipFresh units
// have the same values. With r, the first held bytes go in before
// r.Release (the first write also resets the deflate state, clearing its
// hash tables, as zlib's deflateInit does in compressobj() while CPython
// holds the GIL), the rest and the final flush after it, as CPython's
// compress() and flush() run deflate without the GIL. The deflate stream
// does not depend on how its input is split between writes.
func gzipChunkValue(w *gzip.Writer, out *bytes.Buffer, chunk []byte, held int, r Releaser) uint64 {
	if r == nil {
		w.Write(chunk)
		w.Close()
	} else {
		w.Write(chunk[:held])
		r.Release()
		w.Write(chunk[held:])
		w.Close()
		r.Reacquire()
	}
	return uint64(out.Len())<<32 | uint64(crc32.ChecksumIEEE(out.Bytes()))
}

// CountPrimes returns how many primes p satisfy lo <= p < hi, by trial
// division. It does not allocate.
func CountPrimes(lo, hi uint64) int {
	n := 0
	for x := lo; x < hi; x++ {
		if isPrime(x) {
			n++
		}
	}
	return n
}

func isPrime(x uint64) bool {
	if x < 2 {
		return false
	}
	if x%2 == 0 {
		return x == 2
	}
	for d := uint64(3); d*d <= x; d += 2 {
		if x%d == 0 {
			return false
		}
	}
	return true
}
