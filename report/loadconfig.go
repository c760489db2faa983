package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"golang.org/x/perf/benchfmt"
)

// interpKey reports whether a config key describes a CPython interpreter
// rather than the machine: such keys differ between the interpreters of
// one set.
func interpKey(k string) bool {
	return strings.HasPrefix(k, "python-") || k == "gil" || strings.HasPrefix(k, "mp-start-method") || strings.HasSuffix(k, "-py")
}

// interpreter records the interpreter of a Python suite result.
func (l *loader) interpreter(r *benchfmt.Result, model string) {
	in := &Interpreter{Tag: interpOf(model), HeldShare: map[string]string{}}
	for _, c := range r.Config {
		v := string(c.Value)
		switch k := c.Key; {
		case k == "python-tag":
			in.Tag = v
		case k == "python-version":
			in.Version = v
		case k == "gil":
			in.GIL = v
		case k == "mp-start-method":
			in.StartMethod = v
		case strings.HasPrefix(k, "gil-held-share-") && strings.HasSuffix(k, "-py"):
			if f, err := strconv.ParseFloat(v, 64); err != nil || f < 0 || f > 1 {
				l.badValue(r, k, v, "a share in [0, 1]")
				continue
			}
			in.HeldShare[strings.TrimSuffix(strings.TrimPrefix(k, "gil-held-share-"), "-py")] = v
		}
	}
	for _, x := range l.set.Interpreters {
		if x.Tag == in.Tag {
			return
		}
	}
	l.set.Interpreters = append(l.set.Interpreters, in)
}

// checkedKey reports whether the loader parses a config key's value: a bad
// one is an *InputError naming its line.
func checkedKey(k string) bool {
	switch k {
	case "calibration-cores", "calibration-speedup", "loopback-connect-rate":
		return true
	}
	if runCPUKeys[k] && k != "cpu-list" {
		return true
	}
	return (strings.HasPrefix(k, "gil-held-share-") || strings.HasPrefix(k, "cpu-share-")) && strings.HasSuffix(k, "-py")
}

// badValue records a config value that does not parse, once per file,
// key and value: an *InputError at the line that says it.
func (l *loader) badValue(r *benchfmt.Result, key, val, want string) {
	file, line := r.Pos()
	id := file + "\x00" + key + "\x00" + val
	if l.invalid[id] {
		return
	}
	l.invalid[id] = true
	if n, ok := l.cfgLine[id]; ok {
		line = n
	}
	l.bad(&InputError{File: file, Line: line, Msg: fmt.Sprintf("config %s: %q is not %s", key, val, want)}, false)
}

// positive parses a config value that must be a finite number above 0.
func positive(v string) (float64, bool) {
	f, err := strconv.ParseFloat(v, 64)
	return f, err == nil && f > 0 && !math.IsInf(f, 0)
}

// config reads the configuration of a result: the fingerprint, the run at
// its core count, and the machine name, which it returns.
func (l *loader) config(r *benchfmt.Result, cores int) (machine, roundKey string) {
	run := l.runs[cores]
	if run == nil {
		run = &Run{Cores: cores, rounds: map[string]bool{}, calib: map[string]bool{}, Placement: Placement{Slow: -1}}
		l.runs[cores] = run
	}
	cpuName, round, calib, adaptive, pinned, conn := "", "", "", false, "", ""
	for _, c := range r.Config {
		if !c.File {
			continue
		}
		switch c.Key {
		case "adaptive":
			adaptive = string(c.Value) == "true"
		case "failed":
			if string(c.Value) == "true" {
				l.set.Failed = true
			}
		case "machine":
			machine = string(c.Value)
		case "cpu":
			cpuName = string(c.Value)
		case "oversubscribed":
			if string(c.Value) == "true" {
				run.Oversubscribed = true
			}
		case "calibration-speedup":
			calib = string(c.Value)
		case "calibration-cores":
			if n, err := strconv.Atoi(string(c.Value)); err == nil && n > 0 {
				run.CalibrationCores = n
			} else {
				l.badValue(r, c.Key, string(c.Value), "a positive count of cores")
			}
		case "affinity":
			run.Affinity = string(c.Value)
		case "pinned":
			pinned = string(c.Value)
		case "loopback-connect-rate":
			conn = string(c.Value)
		case "round":
			round = string(c.Value)
			if !run.rounds[string(c.Value)] {
				run.rounds[string(c.Value)] = true
				run.Rounds = len(run.rounds)
			}
		case "cpu-list", "cpu-cores", "cpu-smt", "cpu-packages", "cpu-slow-cores":
			if want, ok := run.Placement.read(c.Key, string(c.Value)); !ok {
				l.badValue(r, c.Key, string(c.Value), want)
			}
		case "cpus":
			if n, err := strconv.Atoi(string(c.Value)); err == nil && n > 0 {
				l.set.CPUs = n
			}
		}
		if perRunKeys[c.Key] || runCPUKeys[c.Key] || strings.HasPrefix(c.Key, matrixPrefix) || interpKey(c.Key) {
			continue
		}
		l.fingerprint(c.Key, string(c.Value), r)
	}
	l.perRound(r, run, round, roundFacts{conn: conn, pinned: pinned, calib: calib, adaptive: adaptive})
	if machine == "" {
		machine = cpuName
	}
	if machine == "" {
		machine = "unknown"
	}
	if !l.machines[machine] {
		l.machines[machine] = true
		l.set.Machines = append(l.set.Machines, machine)
	}
	if round != "" {
		file, _ := r.Pos()
		roundKey = file + "#" + round
	}
	return machine, roundKey
}

func (l *loader) fingerprint(key, val string, r *benchfmt.Result) {
	for _, c := range l.set.Config {
		if c.Key == key {
			// Calibrated unit costs differ a little in every run; the
			// fingerprint shows the first without a warning.
			if c.Value != val && !l.conflict[key] && !strings.HasPrefix(key, "unit-ns-") {
				l.conflict[key] = true
				file, line := r.Pos()
				l.set.Warnings = append(l.set.Warnings, &InputError{File: file, Line: line,
					Msg: fmt.Sprintf("config %s changes from %q to %q; the report shows the first", key, c.Value, val)})
			}
			return
		}
	}
	l.set.Config = append(l.set.Config, Config{key, val})
}

// roundFacts are what one round's config says about its run, each counted
// once per file and round.
type roundFacts struct {
	conn, pinned, calib string
	adaptive            bool
}

// perRound records a round's facts into the run at its core count.
func (l *loader) perRound(r *benchfmt.Result, run *Run, round string, f roundFacts) {
	conn, pinned, calib, adaptive := f.conn, f.pinned, f.calib, f.adaptive
	if conn != "" {
		file, _ := r.Pos()
		if k := file + "#" + round + "#conn"; !run.calib[k] {
			run.calib[k] = true
			if f, ok := positive(conn); ok {
				run.LoopbackRate = append(run.LoopbackRate, f)
			} else {
				l.badValue(r, "loopback-connect-rate", conn, "a positive rate")
			}
		}
	}
	if pinned != "" {
		file, _ := r.Pos()
		if k := file + "#" + round + "#pin"; !run.calib[k] {
			run.calib[k] = true
			if pinned == "true" {
				run.Pinned++
			} else {
				run.Unpinned++
			}
		}
	}
	if adaptive {
		file, _ := r.Pos()
		l.set.adaptive[file+"#"+round] = true
		l.set.Looks = len(l.set.adaptive)
	}
	if calib != "" {
		file, _ := r.Pos()
		if k := file + "#" + round; !run.calib[k] {
			run.calib[k] = true
			if f, ok := positive(calib); ok {
				run.CalibrationSpeedup = append(run.CalibrationSpeedup, f)
			} else {
				l.badValue(r, "calibration-speedup", calib, "a positive speedup")
			}
		}
	}
}
