package report

import (
	"math"
	"slices"
	"time"
)

func (a *Measured) mix() {
	if !a.has(BenchMix) {
		return
	}
	k := a.MaxCores
	sw := &Sweep{Name: "mix", Cores: k, Crossover: math.NaN()}
	sw.Series = a.sweep(BenchMix, "cpu", nil, k, a.speedupOver)
	a.Mix = sw
	// The crossover: where the best process model overtakes the best
	// concurrency-only model (event loop, GIL), the question Python users
	// face when choosing between asyncio/threads and multiprocessing.
	best := func(family Family) map[float64]float64 {
		out := map[float64]float64{}
		for _, s := range sw.Series {
			if a.M.Family(s.Model) != family || a.M.IsPython(s.Model) {
				continue
			}
			for _, p := range s.Points {
				if p.Y.Value > out[p.X] {
					out[p.X] = p.Y.Value
				}
			}
		}
		return out
	}
	conc, proc := best(FamilyConcurrency), best(FamilyProcesses)
	var xs []float64
	for x := range conc {
		if _, ok := proc[x]; ok {
			xs = append(xs, x)
		}
	}
	slices.Sort(xs)
	if len(xs) < 2 {
		return
	}
	for i := 1; i < len(xs); i++ {
		d0 := proc[xs[i-1]] - conc[xs[i-1]]
		d1 := proc[xs[i]] - conc[xs[i]]
		if (d0 < 0) != (d1 < 0) {
			t := d0 / (d0 - d1)
			sw.Crossover = xs[i-1] + t*(xs[i]-xs[i-1])
			sw.Cross = CrossProcsOvertake
			if d0 > 0 {
				sw.Cross = CrossConcOvertake
			}
			return
		}
	}
	sw.Cross = CrossConcEverywhere
	if proc[xs[0]] > conc[xs[0]] {
		sw.Cross = CrossProcsEverywhere
	}
}

func (a *Measured) fanout() {
	if !a.has(BenchFanout) {
		return
	}
	k := a.MaxCores
	for _, w := range a.values(BenchFanout, "workload") {
		sw := &Sweep{Name: w, Cores: k, Crossover: math.NaN(), Estimator: Median, Unit: UnitTasks}
		sw.Series = a.sweep(BenchFanout, "tasks", []string{"workload", w}, k, func(c, _ *Cell) Estimate {
			s, ok := c.Stats[UnitTasks]
			if !ok {
				return nanEst()
			}
			return Estimate{s.Median, s.Lo, s.Hi}
		})
		// Little's law: throughput = concurrency / latency, with the
		// latency of one task alone (the matrix's smallest batch),
		// measured; else the task's nominal time.
		var lats []float64
		var nominal time.Duration
		connects := false
		smallest := BatchInfo{Tasks: -1}
		for _, b := range a.M.Batches[BenchFanout] {
			if len(b.Parts) > 0 && b.Parts[0].Value == w {
				connects = connects || b.Has("net")
				nominal = b.Nominal
				if smallest.Tasks < 0 || batchSize(b) < batchSize(smallest) {
					smallest = b
				}
			}
		}
		if len(smallest.Parts) > 0 {
			var kv []string
			for _, p := range smallest.Parts {
				kv = append(kv, p.Key, p.Value)
			}
			for _, m := range a.models(BenchFanout) {
				if v := a.cell(BenchFanout, k, append(kv, "model", m)...).Median(UnitP50); v > 0 {
					lats = append(lats, v)
				}
			}
		}
		lat := float64(nominal) / 1e6
		if len(lats) > 0 {
			slices.Sort(lats)
			lat = lats[len(lats)/2]
			sw.LatencyMeasured = true
		}
		sw.Latency, sw.Nominal = lat, nominal
		if connects {
			// Each task opens a connection: the machine's loopback
			// connection rate caps the throughput, whatever the model.
			if r := a.Set.Run(k); r != nil && len(r.LoopbackRate) > 0 {
				sw.Ceiling = medianOf(r.LoopbackRate)
			}
		}
		if !(lat > 0) {
			a.Fanout = append(a.Fanout, sw)
			continue
		}
		for _, v := range a.values(BenchFanout, "tasks") {
			if n, ok := paramNumber(v); ok && n > 0 {
				sw.Ideal = append(sw.Ideal, XY{n, n / (lat / 1e3)})
			}
		}
		a.Fanout = append(a.Fanout, sw)
	}
}

func (a *Measured) grain() {
	if !a.has(BenchGrain) {
		return
	}
	k := a.MaxCores
	sw := &Sweep{Name: "grain", Cores: k, Crossover: math.NaN()}
	sw.Series = a.sweep(BenchGrain, "grain", nil, k, func(c, seq1 *Cell) Estimate {
		e := a.speedupOver(c, seq1)
		kf := float64(k)
		return Estimate{e.Value / kf, e.Lo / kf, e.Hi / kf}
	})
	a.Grain = sw
}

func (a *Measured) dots() {
	build := func(bench, unit string, f func(Summary) Estimate) *Dots {
		if !a.has(bench) {
			return nil
		}
		d := &Dots{Unit: unit, Models: a.models(bench), Values: map[string]map[int]Estimate{}}
		seen := map[int]bool{}
		for _, m := range d.Models {
			d.Values[m] = map[int]Estimate{}
			for _, k := range a.Cores {
				c := a.cell(bench, k, "model", m)
				if c == nil {
					continue
				}
				src := UnitTasks
				if unit != "ns/task" {
					src = unit
				}
				s, ok := c.Stats[src]
				if !ok {
					continue
				}
				d.Values[m][k] = f(s)
				if !seen[k] {
					seen[k] = true
					d.Cores = append(d.Cores, k)
				}
			}
		}
		slices.Sort(d.Cores)
		return d
	}
	a.Overhead = build(BenchOverhead, "ns/task", func(s Summary) Estimate {
		// ns per task = 1e9 / tasks/s, monotone: the interval maps over.
		e := Estimate{1e9 / s.Median, 1e9 / s.Hi, math.Inf(1)}
		if s.Lo > 0 {
			e.Hi = 1e9 / s.Lo
		}
		return e
	})
	a.Convoy = build(BenchConvoy, UnitP99, func(s Summary) Estimate { return Estimate{s.Median, s.Lo, s.Hi} })
}
