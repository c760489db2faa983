// Command gen writes a synthetic but realistic concbench result set: every
// benchmark of the contract, every model (and, with -py, the Python
// reference models), config blocks per run, interleaved rounds, skip lines.
// The report's tests use its output until a real run is committed:
//
//	go run ./report/testdata/gen > report/testdata/synthetic/bench.txt
//
// The numbers follow a simple cost model of each model (dispatch overhead,
// worker limits, a lock for the GIL models, process start-up) with
// multiplicative noise; they are plausible, not measured.
package main

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"regexp"
	"strconv"
	"strings"
)

var (
	rounds  = flag.Int("rounds", 10, "rounds (samples per cell)")
	coreArg = flag.String("cores", "1,2", "core counts")
	cpus    = flag.Int("cpus", 2, "the machine's CPUs")
	py      = flag.Bool("py", true, "add py-* models to BenchmarkCores and BenchmarkFanout")
	drop    = flag.String("drop", "", "drop cells whose name matches this regexp")
	only    = flag.String("only", "", "keep only benchmarks whose name matches this regexp")
	machine = flag.String("machine", "ci-2cpu", "machine name")
	seed    = flag.Uint64("seed", 1, "random seed")
	noise   = flag.Float64("noise", 0.02, "relative noise (sigma of the log)")
)

var goModels = []string{"seq", "goroutines", "pool", "errgroup", "eventloop", "gil-threads", "gil-pool", "procs", "procpool"}
var pyModels = []string{"py-seq", "py-threading", "py-asyncio", "py-threadpool", "py-multiprocessing", "py-processpool"}

// work is one batch: n tasks, each with c seconds of compute and w seconds
// of waiting.
type work struct {
	n      int
	c, w   float64
	gilRel bool // compute releases the GIL (hashlib on large buffers)
	file   bool // waits are file I/O (fsync): limited parallelism in the disk
}

// cost returns the makespan, p50 and p99 task latency and CPU utilisation of
// a model on a batch at k cores.
func cost(model string, b work, k int) (mk, p50, p99, util float64) {
	n, kf := float64(b.n), float64(k)
	C, W := b.c*n, b.w*n
	wait := b.w
	if b.file {
		wait = b.w * math.Min(n, 4) // the disk overlaps a few fsyncs only
	}
	py := strings.HasPrefix(model, "py-")
	if py {
		C *= 1.4 // interpreter overhead beside the same kernels
	}
	limitWait := func(workers float64) float64 { // waits overlap up to workers at once
		return math.Ceil(n/workers) * b.w
	}
	switch model {
	case "seq", "py-seq":
		mk = C + W + n*0.2e-6
	case "goroutines":
		mk = C/kf*1.02 + wait + n*0.4e-6
	case "pool", "errgroup":
		over := 0.3e-6
		if model == "errgroup" {
			over = 0.5e-6
		}
		mk = math.Max(C/kf*1.02, limitWait(kf)) + math.Min(C/kf, limitWait(kf))*0.5 + n*over
	case "eventloop", "py-asyncio":
		mk = C + wait + n*1e-6
		if py {
			mk += n * 20e-6
		}
	case "gil-threads", "py-threading":
		if b.gilRel && py {
			mk = C/kf*1.1 + wait + n*30e-6
		} else {
			mk = C*(1+0.04*(kf-1)) + wait + n*3e-6
		}
	case "gil-pool", "py-threadpool":
		workers := math.Min(32, kf+4)
		if b.gilRel && py {
			mk = math.Max(C/kf*1.1, limitWait(workers)) + n*30e-6
		} else {
			mk = C*(1+0.03*(kf-1)) + limitWait(workers) + n*2e-6
		}
	case "procs", "py-multiprocessing":
		start := 1.5e-3
		if py {
			start = 12e-3
		}
		mk = (C+n*start)/kf + limitWait(kf)
	case "procpool", "py-processpool":
		start := 4e-3
		if py {
			start = 40e-3
		}
		mk = start + C/kf*1.03 + limitWait(kf) + n*25e-6/kf
	default:
		panic(model)
	}
	per := mk / n
	switch model {
	case "seq", "py-seq":
		p50, p99 = b.c+b.w, b.c+b.w
	case "goroutines", "gil-threads", "py-threading", "eventloop", "py-asyncio":
		p50, p99 = mk*0.6, mk*0.98
	default:
		p50, p99 = math.Max(per, b.c+b.w), math.Max(per, b.c+b.w)*1.3
	}
	busy := C
	if strings.Contains(model, "procs") || strings.Contains(model, "multiprocessing") {
		busy += n * 1.5e-3
	}
	util = math.Min(kf, busy/mk)
	return mk, p50, p99, util
}

type line struct {
	name string
	b    work
	skip string
}

func matrix(k int) []line {
	var ls []line
	models := func(withPy bool) []string {
		if withPy && *py {
			return append(append([]string(nil), goModels...), pyModels...)
		}
		return goModels
	}
	for _, w := range []string{"hash", "primes", "gzip", "sleep", "net", "file", "mix50"} {
		var b work
		switch w {
		case "hash":
			b = work{n: 64, c: 40 * 37e-6, gilRel: true}
		case "primes":
			b = work{n: 64, c: 64 * 22e-6}
		case "gzip":
			b = work{n: 64, c: 12 * 120e-6, gilRel: true}
		case "sleep":
			b = work{n: 64, w: 5e-3}
		case "net":
			b = work{n: 64, w: 5.2e-3, c: 30e-6}
		case "file":
			b = work{n: 64, w: 0.9e-3, c: 10e-6, file: true}
		case "mix50":
			b = work{n: 64, c: 1e-3, w: 1e-3}
		}
		withPy := w != "gzip" && w != "file"
		for _, m := range models(withPy) {
			ls = append(ls, line{name: fmt.Sprintf("BenchmarkCores/workload=%s/model=%s", w, m), b: b})
		}
	}
	for _, p := range []int{0, 10, 25, 50, 75, 90, 100} {
		b := work{n: 64, c: 2e-3 * float64(p) / 100, w: 2e-3 * float64(100-p) / 100}
		for _, m := range goModels {
			ls = append(ls, line{name: fmt.Sprintf("BenchmarkMix/cpu=%d/model=%s", p, m), b: b})
		}
	}
	for _, w := range []string{"sleep", "net"} {
		for _, n := range []int{1, 10, 100, 1000, 10000} {
			b := work{n: n, w: 10e-3}
			for _, m := range models(true) {
				l := line{name: fmt.Sprintf("BenchmarkFanout/workload=%s/tasks=%d/model=%s", w, n, m), b: b}
				mk, _, _, _ := cost(m, b, k)
				if mk > 5 {
					l.skip = fmt.Sprintf("would take about %.0f s per batch (%d tasks × 10 ms, at most %s at once)", mk, n, limitOf(m, k))
				}
				ls = append(ls, l)
			}
		}
	}
	for _, g := range []string{"1us", "10us", "100us", "1ms", "10ms"} {
		d := map[string]float64{"1us": 1e-6, "10us": 10e-6, "100us": 100e-6, "1ms": 1e-3, "10ms": 10e-3}[g]
		b := work{n: int(80e-3 / d), c: d}
		for _, m := range goModels {
			l := line{name: fmt.Sprintf("BenchmarkGrain/grain=%s/model=%s", g, m), b: b}
			if m == "procs" && d < 100e-6 {
				l.skip = fmt.Sprintf("would start %d processes per batch", b.n)
			}
			ls = append(ls, l)
		}
	}
	for _, m := range goModels {
		ls = append(ls, line{name: "BenchmarkOverhead/model=" + m, b: work{n: 1000}})
	}
	for _, m := range goModels {
		ls = append(ls, line{name: "BenchmarkConvoy/model=" + m, b: work{n: 8 + k, c: 0.1, w: 4e-3}})
	}
	return ls
}

func limitOf(m string, k int) string {
	switch m {
	case "seq", "py-seq":
		return "1"
	case "pool", "errgroup", "procs", "procpool", "py-multiprocessing", "py-processpool":
		return strconv.Itoa(k)
	case "gil-pool", "py-threadpool":
		return strconv.Itoa(min(32, k+4))
	}
	return "all"
}

// convoy gives the I/O tasks' latency under k CPU tasks of 100 ms.
func convoy(m string, k int) (mk, p50, p99, util float64) {
	kf := float64(k)
	io := 4.2e-3
	switch m {
	case "seq":
		return kf*0.1 + 8*4e-3, kf * 0.1, kf*0.1 + 8*4e-3, 1
	case "goroutines", "procs":
		return 0.1*math.Ceil(kf/kf) + 2e-3, io, io * 1.2, kf
	case "pool", "errgroup", "procpool":
		return 0.1 + 8*4e-3/kf, 0.1 + io, 0.1 + io*2, kf
	case "eventloop":
		return kf * 0.1, kf*0.1*0.5 + io, kf*0.1 + io, 1
	case "gil-threads", "gil-pool":
		// Each of 20 sleeps waits a switch interval per CPU-bound holder.
		d := 20 * 5e-3 * kf
		return kf*0.1 + 5e-3, d * 0.9, d * 1.1, 1
	}
	panic(m)
}

func main() {
	flag.Parse()
	var cores []int
	for _, s := range strings.Split(*coreArg, ",") {
		k, err := strconv.Atoi(s)
		if err != nil {
			fmt.Fprintln(os.Stderr, "gen: bad -cores:", err)
			os.Exit(2)
		}
		cores = append(cores, k)
	}
	var dropRe, onlyRe *regexp.Regexp
	if *drop != "" {
		dropRe = regexp.MustCompile(*drop)
	}
	if *only != "" {
		onlyRe = regexp.MustCompile(*only)
	}
	rng := rand.New(rand.NewPCG(*seed, 7))
	w := os.Stdout
	noisy := func(v float64, rel float64) float64 { return v * math.Exp(rng.NormFloat64()*rel) }
	for r := 1; r <= *rounds; r++ {
		for _, k := range cores {
			over := k > *cpus
			aff := fmt.Sprintf("0-%d", k-1)
			if k == 1 {
				aff = "0"
			}
			if over {
				aff = "unpinned"
			}
			fmt.Fprintf(w, "goos: linux\ngoarch: amd64\npkg: github.com/concbench/concbench/bench\ncpu: AMD EPYC 7B13\n")
			fmt.Fprintf(w, "machine: %s\ncpus: %d\nmemory: 24GiB\ngo-version: go1.26.8\nkernel: 6.1.0-28-cloud-amd64\ngovernor: unknown\ncommit: 0123abc\nprofile: standard\n", *machine, *cpus)
			fmt.Fprintf(w, "round: %d\ncores: %d\naffinity: %s\noversubscribed: %v\nload-before: %.2f\n", r, k, aff, over, 0.3+rng.Float64()*0.4)
			fmt.Fprintf(w, "unit-ns-hash: 37120\nunit-ns-primes: 22050\nunit-ns-gzip: 119800\n")
			fmt.Fprintf(w, "calibration-speedup: %.2f\ncalibration-cores: %d\n", noisy(math.Min(float64(k), float64(*cpus))*0.97, 0.01), min(k, *cpus))
			for _, l := range matrix(k) {
				if dropRe != nil && dropRe.MatchString(l.name) || onlyRe != nil && !onlyRe.MatchString(l.name) {
					continue
				}
				full := l.name
				if k > 1 {
					full += "-" + strconv.Itoa(k)
				}
				if l.skip != "" {
					fmt.Fprintf(w, "--- SKIP: %s: %s\n", full, l.skip)
					continue
				}
				m := l.name[strings.LastIndex(l.name, "=")+1:]
				var mk, p50, p99, util float64
				if strings.HasPrefix(l.name, "BenchmarkConvoy") {
					mk, p50, p99, util = convoy(m, k)
				} else {
					mk, p50, p99, util = cost(m, l.b, k)
				}
				rel := *noise
				if m == "procs" || strings.HasPrefix(m, "py-") {
					rel *= 2
				}
				if over {
					rel *= 3
				}
				mk = noisy(mk, rel)
				iters := max(1, int(1/mk))
				fmt.Fprintf(w, "%s \t%8d\t%12.0f ns/op\t%10.1f tasks/s\t%8.3f p50-ms\t%8.3f p99-ms\t%6.2f cpu-util\n",
					full, iters, mk*1e9, float64(l.b.n)/mk, noisy(p50, rel)*1e3, noisy(p99, rel)*1e3, noisy(util, rel))
			}
			fmt.Fprintf(w, "load-after: %.2f\n", 1+rng.Float64())
		}
	}
}
