package bench

import (
	"strconv"
	"strings"
	"testing"

	"github.com/concbench/concbench/workloads"
)

// TestDescribeGILRelease checks the matrix-gil-release line: the matrix's
// kernels whose CPython counterpart releases the GIL, in kernel order, each
// with a held share in (0, 1), and never primes, which holds it.
func TestDescribeGILRelease(t *testing.T) {
	for _, name := range []string{"smoke", "standard"} {
		t.Run(name, func(t *testing.T) {
			p, err := ProfileNamed(name)
			if err != nil {
				t.Fatal(err)
			}
			lines, err := Describe(p, 2)
			if err != nil {
				t.Fatal(err)
			}
			var got string
			found := 0
			for _, l := range lines {
				if l.Key == "matrix-gil-release" {
					got = l.Value
					found++
				}
			}
			if found != 1 {
				t.Fatalf("%d matrix-gil-release lines, want 1", found)
			}
			var kernels []string
			for _, e := range strings.Fields(got) {
				k, share, ok := strings.Cut(e, ":")
				s, err := strconv.ParseFloat(share, 64)
				if !ok || err != nil || s <= 0 || s >= 1 {
					t.Errorf("entry %q: want kernel:share with a share in (0, 1)", e)
				}
				kernel, err := workloads.ParseKernel(k)
				if err != nil || !kernel.ReleasesGIL() || kernel.HeldShare() != s {
					t.Errorf("entry %q: want a releasing kernel and its HeldShare", e)
				}
				kernels = append(kernels, k)
			}
			if want := "hash gzip"; strings.Join(kernels, " ") != want {
				t.Errorf("matrix-gil-release: %s: kernels %v, want %s", got, kernels, want)
			}
		})
	}
}
