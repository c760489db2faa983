package workloads

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"hash/crc32"
	"io"
	"testing"
)

// TestUnitsAreWhatTheySay recomputes one unit of each kernel independently
// of Unit: a hash unit is SHA-256 of an 8-byte header and the 64 KiB buffer,
// a primes unit counts primes in its window, a gzip unit is a real gzip
// stream of its chunk of the corpus.
func TestUnitsAreWhatTheySay(t *testing.T) {
	for _, seed := range []uint64{0, 1, 42, 1 << 63} {
		for unit := 0; unit < 3; unit++ {
			s := mix64(seed + uint64(unit))

			var hdr [8]byte
			binary.LittleEndian.PutUint64(hdr[:], s)
			d := sha256.Sum256(append(hdr[:], HashBuffer()...))
			if got, want := Unit(Hash, 0, seed, unit), binary.LittleEndian.Uint64(d[:8]); got != want {
				t.Errorf("hash unit (%d,%d) = %#x, want %#x", seed, unit, got, want)
			}

			lo := primesBase + s%primesSpan
			if got, want := Unit(Primes, 0, seed, unit), lo<<16|uint64(CountPrimes(lo, lo+primesWindow)); got != want {
				t.Errorf("primes unit (%d,%d) = %#x, want %#x", seed, unit, got, want)
			}

			v := Unit(Gzip, 0, seed, unit)
			size, crc := int(v>>32), uint32(v)
			if size <= 0 || size >= gzipChunk {
				t.Errorf("gzip unit (%d,%d): compressed size %d, want in (0, %d)", seed, unit, size, gzipChunk)
			}
			c := TextCorpus()
			off := int(s % uint64(len(c)-gzipChunk))
			var out bytes.Buffer
			w := gzip.NewWriter(&out)
			w.Write(c[off : off+gzipChunk])
			w.Close()
			if out.Len() != size || crc32.ChecksumIEEE(out.Bytes()) != crc {
				t.Errorf("gzip unit (%d,%d) = %#x, want len %d crc %#x", seed, unit, v, out.Len(), crc32.ChecksumIEEE(out.Bytes()))
			}
			if fresh := Unit(GzipFresh, 0, seed, unit); fresh != v {
				t.Errorf("gzip-fresh unit (%d,%d) = %#x, gzip's %#x: a reset writer must write what a fresh one does", seed, unit, fresh, v)
			}
			r, err := gzip.NewReader(&out)
			if err != nil {
				t.Fatal(err)
			}
			plain, err := io.ReadAll(r)
			if err != nil || !bytes.Equal(plain, c[off:off+gzipChunk]) {
				t.Errorf("gzip unit (%d,%d) does not decompress to its chunk: %v", seed, unit, err)
			}
		}
	}
}
