package report

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	mstats "github.com/montanaflynn/stats"

	"github.com/concbench/concbench/report/chart"
	"github.com/concbench/concbench/report/internal/prose"
	"github.com/concbench/concbench/report/page"
	"github.com/concbench/concbench/report/stats"
)

// fingerprintKeys are shown first, in this order, in the machine table.
var fingerprintKeys = []string{"machine", "cpu", "cpus", "cpus-performance", "cpus-efficiency", "memory", "goos", "goarch", "go-version", "kernel", "governor", "commit", "profile"}

// buildPage lays out the report: machine, warnings, verdicts, charts,
// tables, what is missing and how the numbers were computed.
func (a *Analysis) buildPage(charts []*chart.Chart, opt Options) *page.Page {
	title := opt.Title
	if title == "" {
		title = "concbench report: " + a.Machine
	}
	pg := &page.Page{Title: title}
	s := a.Set
	pg.P("From %s: %d cells at %s, %d samples per cell (median).", prose.List(s.Files, 4), len(s.Cells), prose.Cores(a.Cores), a.SamplesPerCell())
	a.machineSection(pg)
	pg.Warnings(a.Warnings)
	a.verdictSections(pg)
	if len(charts) > 0 {
		pg.H(2, "Charts")
		for _, c := range charts {
			pg.Add(page.Figure{Chart: c})
		}
	}
	a.tableSections(pg)
	a.pythonSections(pg)
	if len(a.Generic) > 0 {
		pg.H(2, "GOMAXPROCS sweep")
		pg.Add(a.genericTable())
	}
	if len(a.Missing) > 0 {
		pg.H(2, "Missing")
		pg.P("%d %s of the benchmark matrix %s not in this report.", len(a.Missing), prose.Verb(len(a.Missing), "entry", "entries"), prose.Verb(len(a.Missing), "is", "are"))
		var rows [][]string
		for _, m := range a.Missing {
			rows = append(rows, []string{m.What, m.Why})
		}
		pg.Add(page.Table{Head: []string{"what", "why"}, Rows: rows, Fold: fmt.Sprintf("%d missing cells", len(rows))})
	}
	pg.H(2, "Method")
	pg.P("%s", a.methodText())
	pg.P("%s", a.cellMethodText())
	return pg
}

// machineSection lays out the machine's fingerprint and, when the set has
// several core counts or a calibration, its runs.
func (a *Analysis) machineSection(pg *page.Page) {
	s := a.Set
	pg.H(2, "Machine")
	var rows [][]string
	shown := map[string]bool{}
	for _, k := range fingerprintKeys {
		if v := s.ConfigValue(k); v != "" {
			rows = append(rows, []string{k, v})
			shown[k] = true
		}
	}
	if s.Matrix.Described || s.ConfigValue("machine") != "" || s.TopologyRecorded() {
		rows = append(rows, []string{"topology", s.TopologyText()})
	}
	for _, c := range s.Config {
		if !shown[c.Key] && !strings.HasPrefix(c.Key, topologyPrefix) {
			rows = append(rows, []string{c.Key, c.Value})
		}
	}
	pg.Add(page.Table{Head: []string{"key", "value"}, Rows: rows})
	if len(s.Runs) == 0 || (len(s.Runs) == 1 && len(s.Runs[0].CalibrationSpeedup) == 0) {
		return
	}
	placed := slices.ContainsFunc(s.Runs, func(r *Run) bool { return r.Placement.Recorded })
	var rr [][]string
	for _, r := range s.Runs {
		cal := "—"
		if len(r.CalibrationSpeedup) > 0 {
			cal = fmt.Sprintf("%.2f", medianOf(r.CalibrationSpeedup))
		}
		aff := r.Affinity
		if aff == "" {
			aff = "—"
		}
		pin := "—"
		switch {
		case r.Unpinned > 0 && r.Pinned > 0:
			pin = fmt.Sprintf("%d of %d rounds", r.Pinned, r.Pinned+r.Unpinned)
		case r.Unpinned > 0:
			pin = "no"
		case r.Pinned > 0:
			pin = "yes"
		}
		row := []string{fmt.Sprint(r.Cores), fmt.Sprint(r.Rounds), aff, pin, yesNo(a.Set.Oversubscribed(r.Cores)), cal}
		if placed {
			row = slices.Insert(row, 3, r.placementText())
		}
		rr = append(rr, row)
	}
	head, num := []string{"cores", "rounds", "affinity", "pinned", "oversubscribed", "calibration speedup"}, []bool{true, true, false, false, false, true}
	if placed {
		head, num = slices.Insert(head, 3, "CPUs"), slices.Insert(num, 3, false)
	}
	pg.Add(page.Table{Head: head, Rows: rr, Numeric: num})
}

// verdictSections lays out the verdicts and findings, and the foreign
// benchmarks' sweeps.
func (a *Analysis) verdictSections(pg *page.Page) {
	if len(a.Verdicts) > 0 || len(a.Findings) > 0 {
		pg.H(2, "Verdicts")
		answers := a.Answers()
		for _, r := range answers {
			var items []string
			for _, v := range a.Verdicts {
				if v.Runtime == r {
					items = append(items, a.Text.Verdict(v)+".")
				}
			}
			if len(items) == 0 {
				continue
			}
			if len(answers) > 1 {
				pg.H(3, r.String())
				pg.P("%s", runtimeNote(r, a.M))
			}
			pg.Add(page.Bullets{Items: items})
		}
		if len(a.Findings) > 0 {
			if len(answers) > 1 {
				pg.H(3, "The other charts")
			}
			pg.Add(page.Bullets{Items: a.Findings})
		}
	}
	if len(a.Generic) > 0 || len(a.NoSweep) > 0 {
		pg.H(2, "Benchmarks swept over GOMAXPROCS")
		var items []string
		for _, g := range a.Generic {
			for _, b := range g.Benches {
				items = append(items, a.Text.Bench(b)+".")
			}
		}
		if len(items) > 0 {
			pg.Add(page.Bullets{Items: items})
		}
		if len(a.NoSweep) > 0 {
			pg.P("%d %s ran at one GOMAXPROCS only (no -cpu sweep), so %s no speedup: %s.", len(a.NoSweep),
				prose.Verb(len(a.NoSweep), "benchmark", "benchmarks"), prose.Verb(len(a.NoSweep), "it has", "they have"), prose.List(a.NoSweep, 8))
		}
	}
}

// tableSections lays out each workload's speedup table and the fitted
// laws.
func (a *Analysis) tableSections(pg *page.Page) {
	for _, w := range a.Workloads {
		if !w.hasBase() {
			continue
		}
		if !pg.Has("Speedup and its two factors") {
			pg.H(2, "Speedup and its two factors")
			pg.P("speedup = concurrency gain (seq → model, both at 1 core) × parallel gain (model at 1 core → model at k cores). "+
				"The makespan is the cell's median; the speedup and its two gains are ratios of geometric means with their 95%% Welch intervals (the claims' estimator); n is the cell's samples. The decisions are the claims of the verdicts (see Method): "+
				"\"vs seq at 1 core\" is the speedup, \"vs itself at 1 core\" the parallel gain, each faster, slower, within %s or undecided (with the rounds that would likely decide it).", a.marginText())
		}
		pg.H(3, w.Name)
		pg.Add(a.speedupTable(w))
	}
	if ft := a.fitTable(); len(ft.Rows) > 0 {
		pg.H(2, "Scaling laws")
		pg.P("%s", a.fitMethodText())
		pg.Add(ft)
	}
}

// SamplesPerCell is the median number of ns/op samples of the set's cells.
func (a *Analysis) SamplesPerCell() int {
	var ns []float64
	for _, c := range a.Set.Cells {
		if s, ok := c.Stats[UnitTime]; ok {
			ns = append(ns, float64(s.N))
		}
	}
	if len(ns) == 0 {
		return 0
	}
	return int(medianOf(ns))
}

// medianOf is the median of xs (montanaflynn/stats; NaN for none).
func medianOf(xs []float64) float64 {
	m, err := mstats.Median(xs)
	if err != nil {
		return math.NaN()
	}
	return m
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// sig is a claim's decision for a table: "faster", "within 5%",
// "slower", or "undecided (~3 rounds)".
func (a *Analysis) sig(c *stats.Claim) string {
	s := a.decision(c)
	if c != nil && c.Outcome == stats.Undecided && c.MoreRounds > 0 {
		s += fmt.Sprintf(" (~%d %s)", c.MoreRounds, prose.Plural(c.MoreRounds, "round"))
	}
	return s
}

func (a *Analysis) speedupTable(w *Workload) page.Table {
	t := page.Table{Head: []string{"model", "cores", "n", "makespan (median)", "speedup", "vs seq at 1 core", "concurrency gain", "parallel gain", "vs itself at 1 core", "cpu-util", "Karp–Flatt"},
		Numeric: []bool{false, true, true, true, true, false, true, true, false, true, true}}
	for _, s := range w.Models {
		for _, p := range s.Points {
			ks := fmt.Sprint(p.Cores)
			if p.Oversub {
				ks += " (over)"
			}
			conc, par := p.Conc.String(), p.Par.String()
			if s.Family == FamilyBaseline {
				conc, par = "1×", p.Speedup.String()
			}
			if p.Cores == 1 {
				par = "1×"
			}
			t.Rows = append(t.Rows, []string{s.Model, ks, samples(p.Cell), prose.Duration(p.Cell.Median(UnitTime)), p.Speedup.String(), a.sig(a.Claims.At(p).VsBase),
				conc, par, a.sig(a.Claims.At(p).VsOne), fixed("%.2f", p.CPUUtil), fixed("%.3f", p.KarpFlatt)})
		}
	}
	return t
}

func (a *Analysis) fitTable() page.Table {
	head := []string{"benchmark", "model", "Amdahl s [95% CI]", "USL σ [95% CI]", "USL κ [95% CI]"}
	numeric := []bool{false, false, true, true, true}
	for _, n := range a.PredictAt {
		head = append(head, fmt.Sprintf("@%d", n))
		numeric = append(numeric, true)
	}
	head = append(head, "note")
	numeric = append(numeric, false)
	t := page.Table{Head: head, Numeric: numeric}
	ci := func(v float64, c [2]float64) string {
		return fmt.Sprintf("%s [%s, %s]", stats.Param(v), stats.Param(c[0]), stats.Param(c[1]))
	}
	row := func(bench, model string, l Laws) {
		r := []string{bench, model, "—", "—", "—"}
		if l.Amdahl != nil {
			r[2] = ci(l.Amdahl.Serial, l.Amdahl.SerialCI)
		}
		if l.USL != nil {
			r[3], r[4] = ci(l.USL.Sigma, l.USL.SigmaCI), ci(l.USL.Kappa, l.USL.KappaCI)
		}
		f := l.Fit()
		for _, n := range a.PredictAt {
			b, ok := Band{}, false
			if f != nil {
				b, ok = f.Band(float64(n))
			}
			if !ok {
				r = append(r, "—")
				continue
			}
			r = append(r, bandText(b))
		}
		r = append(r, l.FitNote)
		t.Rows = append(t.Rows, r)
	}
	for _, w := range a.Workloads {
		for _, s := range w.Models {
			if s.Family == FamilyBaseline || !w.hasBase() {
				continue
			}
			row("workload="+w.Name, s.Model, a.Fits.Model(s))
		}
	}
	for _, g := range a.Generic {
		for _, b := range g.Benches {
			row(b.Name, "", a.Fits.Bench(b))
		}
	}
	return t
}

func (a *Analysis) pythonTable() page.Table {
	t := page.Table{Head: []string{"benchmark", "cores", "Python", "Go", "makespan ratio Py/Go", "Python speedup", "Go speedup", "", "why"},
		Numeric: []bool{false, true, false, false, true, true, true, false, false}}
	for _, r := range a.Python {
		d, why := "", ""
		if r.Differs {
			d = "differs"
			_, why, _ = strings.Cut(gapText(r), ": ")
		}
		t.Rows = append(t.Rows, []string{strings.TrimPrefix(r.Benchmark, "Benchmark") + "/" + r.Param, fmt.Sprint(r.Cores), r.Py, r.Go,
			r.Ratio.String(), r.PySpeedup.String(), r.GoSpeedup.String(), d, why})
	}
	return t
}

// pythonSections lays out what the set says about CPython: the kernels
// whose C code releases the GIL, the interpreters, their executors'
// start-up, and each Python model beside its Go counterpart. A section
// whose data the set lacks is left out.
func (a *Analysis) pythonSections(pg *page.Page) {
	for _, sec := range []struct {
		show   bool
		title  string
		text   string
		table  func() page.Table
		extras func() []string
	}{
		{len(a.M.GILRelease) > 0, "The GIL and C code", a.gilText(), nil, nil},
		{len(a.Set.Interpreters) > 0, "CPython interpreters",
			"The Python suite's models are named py-APPROACH@TAG, one TAG per interpreter (a t marks a free-threaded build whose GIL is disabled; the process models add their start method). " +
				"Where the GIL is disabled, py-threading and py-threadpool stand beside goroutines and pool, not beside the GIL models.",
			a.interpTable, nil},
		{len(a.PyStarts) > 0, "CPython start-up costs",
			"What starting an executor costs (BenchmarkStart: the pool, every worker started, then shut down), and per worker. A pool is started inside each batch, as a short script would, so this cost is part of every makespan above.",
			a.startTable, a.startFindings},
		{len(a.Python) > 0, "Go emulation vs CPython", a.emulationText(), a.pythonTable, nil},
	} {
		if !sec.show {
			continue
		}
		pg.H(2, sec.title)
		pg.P("%s", sec.text)
		if sec.table != nil {
			pg.Add(sec.table())
		}
		if sec.extras != nil {
			for _, f := range sec.extras() {
				pg.P("%s", f)
			}
		}
	}
}

// gilText says in plain words which kernels' C code releases the GIL, and
// what that does to threads.
func (a *Analysis) gilText() string {
	var rel []string
	for _, k := range a.M.GILRelease {
		rel = append(rel, fmt.Sprintf("%s (%s of each unit holds the lock)", k.Kernel, prose.Pct(k.Held)))
	}
	return "Threads help Python code that spends its time in C calls that release the GIL. " +
		"CPython's hashlib releases it while it hashes a buffer of 2 KiB or more, and zlib while it deflates; pure-Python code such as the primes kernel holds it throughout. " +
		"So the GIL models (gil-threads, gil-pool) run the C part of each unit of " + prose.JoinAnd(rel) + " without the lock, and those kernels can gain from more cores under threads; " +
		"every other kernel runs under the lock and cannot. The held share is CPython's own measured split of a unit (the Python suite's --gil-split)."
}

// interpTable lists the set's CPython interpreters.
func (a *Analysis) interpTable() page.Table {
	t := page.Table{Head: []string{"tag", "version", "GIL", "default start method", "GIL held per unit (measured)"}}
	for _, in := range a.Set.Interpreters {
		var held []string
		for _, k := range slices.Sorted(maps.Keys(in.HeldShare)) {
			held = append(held, k+" "+in.HeldShare[k])
		}
		tag := in.Tag
		if tag == "" {
			tag = "(untagged)"
		}
		t.Rows = append(t.Rows, []string{tag, in.Version, in.GIL, in.StartMethod, strings.Join(held, ", ")})
	}
	return t
}

// startTable lists the CPython executors' start-up costs, with the
// dispatch cost per task where the set measured it (BenchmarkOverhead).
func (a *Analysis) startTable() page.Table {
	t := page.Table{Head: []string{"model", "cores", "workers", "pool start", "per worker", "per task"},
		Numeric: []bool{false, true, true, true, true, true}}
	for _, s := range a.PyStarts {
		task := ""
		if a.Overhead != nil {
			if e, ok := a.Overhead.Values[s.Model][s.Cores]; ok {
				task = prose.Duration(e.Value)
			}
		}
		t.Rows = append(t.Rows, []string{s.Model, fmt.Sprint(s.Cores), fmt.Sprintf("%.0f", s.Workers),
			prose.Duration(s.Pool.Value), prose.Duration(s.Worker.Value), task})
	}
	return t
}

// startFindings says, for each CPython pool whose start-up the set
// measured, its parallel gain on each CPU-bound workload at the largest
// core count beside what starting its workers costs there: the cost that
// explains a gain below the cores.
func (a *Analysis) startFindings() []string {
	k := a.MaxCores
	if k < 2 {
		return nil
	}
	var out []string
	for _, st := range a.PyStarts {
		if st.Cores != k {
			continue
		}
		var gains, spans []string
		for _, w := range a.Workloads {
			if w.Kind != KindCPU {
				continue
			}
			for _, s := range w.Models {
				if p := s.Point(k); s.Model == st.Model && p != nil {
					gains = append(gains, fmt.Sprintf("%s on %s", p.Par.String(), w.Name))
					spans = append(spans, prose.Duration(p.Cell.Median(UnitTime)))
				}
			}
		}
		if len(gains) == 0 {
			continue
		}
		out = append(out, fmt.Sprintf("%s gains %s at %d cores over its own 1 core; starting its %.0f workers alone costs %s (%s each), against makespans of %s.",
			st.Model, prose.JoinAnd(gains), k, st.Workers, prose.Duration(st.Pool.Value), prose.Duration(st.Worker.Value), prose.JoinAnd(spans)))
	}
	return out
}

func (a *Analysis) genericTable() page.Table {
	t := page.Table{Head: []string{"benchmark", "GOMAXPROCS", "n", "ns/op (median)", "speedup", "decision", "Karp–Flatt"},
		Numeric: []bool{false, true, true, true, true, false, true}}
	for _, g := range a.Generic {
		for _, b := range g.Benches {
			for _, p := range b.Points {
				t.Rows = append(t.Rows, []string{b.Name, fmt.Sprint(p.Cores), samples(p.Cell), prose.Duration(p.Cell.Median(UnitTime)), p.Par.String(), a.sig(a.Claims.At(p).VsOne),
					fixed("%.3f", p.KarpFlatt)})
			}
		}
	}
	return t
}

// fixed formats v with format, or "" for NaN (not measured).
func fixed(format string, v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return fmt.Sprintf(format, v)
}

// samples is a cell's number of ns/op samples, "" when it has none.
func samples(c *Cell) string {
	if st, ok := c.Stats[UnitTime]; ok {
		return fmt.Sprint(st.N)
	}
	return ""
}

// runtimeNote says which models a runtime's verdicts rank, against what.
func runtimeNote(r Runtime, m *Matrix) string {
	var em []string
	for _, x := range m.Models {
		if m.IsEmulation(x.Name) {
			em = append(em, x.Name)
		}
	}
	switch r.Kind {
	case RuntimeCPython:
		return fmt.Sprintf("The Python programmer's answer on this interpreter: its own models (py-*@%s) against its own %s, measured by the CPython suite.", r.Name, m.PyBaseline(r.Interp))
	case RuntimeEmulated:
		return fmt.Sprintf("This set has no CPython runs, so Go's emulations of CPython (%s) stand in for Python here, against %s; a set with CPython runs answers the Python question with CPython's own models instead.", prose.JoinAnd(em), m.GoBaseline())
	}
	if len(em) == 0 {
		return fmt.Sprintf("The Go programmer's answer: Go's models against %s.", m.GoBaseline())
	}
	return fmt.Sprintf("The Go programmer's answer: Go's native models against %s; the emulations of CPython (%s) explain CPython beside it and win in no answer.", m.GoBaseline(), prose.JoinAnd(em))
}

// emulationText introduces the Go-vs-CPython table: what it shows, how a
// gap is explained, and how many are not.
func (a *Analysis) emulationText() string {
	n, of := a.Unexplained()
	return fmt.Sprintf("Each Python model beside the Go model that emulates it, in the same cell: the makespan ratio (Python / Go, > 1 means CPython is slower), and each one's speedup over its own sequential baseline at 1 core. "+
		"\"differs\" marks speedups whose intervals do not overlap and differ by more than 10%%; \"why\" explains the gap from the costs CPython pays and the emulation does not, measured in this set: "+
		"the interpreter's speed on the batch (its py-seq against seq), starting the executor (BenchmarkStart) and handing each task over (BenchmarkOverhead, the executor's start taken out). "+
		"CPython is taken to run the emulation's schedule with its work stretched by the interpreter's speed, after starting its executor, paying its own hand-over per task: "+
		"added to the work under one GIL, overlapping it for processes and interpreters of their own. A gap is explained when that prediction lies nearer CPython's measured speedup than half the gap (in log terms). "+
		"%d of %d pairs unexplained.", n, of)
}
