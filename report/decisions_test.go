package report

import (
	"slices"
	"testing"
)

// The reference sets' verdicts, asserted as decisions (where the gain came
// from, which family won, which models gained nothing), not as words: the
// goldens cover the wording.
func TestDecisions(t *testing.T) {
	type want struct {
		workload string
		cores    int
		gain     string // Verdict.Gain.String()
		family   string // the winner's family, "" for no winner
		within   string // a model that must gain nothing beyond the margin, or ""
	}
	for _, tc := range []struct {
		set   string
		wants []want
	}{
		{"epyc-2cpu-5r", []want{
			{"sleep", 1, "concurrency", "concurrency", ""}, {"sleep", 2, "concurrency", "concurrency", ""}, {"hash", 1, "none", "", ""},
			{"hash", 2, "parallelism", "threads", "eventloop"}, {"primes", 1, "undecided", "", ""}, {"primes", 2, "parallelism", "threads", "eventloop"},
			{"file", 2, "both", "concurrency", ""}, {"mix50", 1, "concurrency", "concurrency", "pool"}, {"mix50", 2, "both", "threads", ""},
		}},
		{"h100-16cpu", []want{
			{"sleep", 16, "concurrency", "concurrency", ""}, {"primes", 16, "parallelism", "threads", ""}, {"gzip", 16, "parallelism", "processes", ""},
			{"net", 2, "both", "concurrency", ""}, {"mix50", 16, "both", "threads", ""},
		}},
	} {
		i := slices.IndexFunc(referenceSets, func(r struct{ name, path string }) bool { return r.name == tc.set })
		a := analyzeBytes(t, tc.set, readRounds(t, referenceSets[i].path, nil))
		for _, w := range tc.wants {
			i := slices.IndexFunc(a.Verdicts, func(v *Verdict) bool { return v.Workload == w.workload && v.Cores == w.cores })
			if i < 0 {
				t.Errorf("%s: no verdict for %s at %d cores", tc.set, w.workload, w.cores)
				continue
			}
			v := a.Verdicts[i]
			fam := ""
			if v.Winner != "" {
				fam = a.M.Family(v.Winner).String()
			}
			if v.Gain.String() != w.gain || fam != w.family {
				t.Errorf("%s: %s at %d cores: gain %q by %q (%s), want %q by a model of %q", tc.set, w.workload, w.cores, v.Gain, v.Winner, fam, w.gain, w.family)
			}
			if w.within != "" && !slices.Contains(v.Within, w.within) {
				t.Errorf("%s: %s at %d cores: %s should gain nothing beyond the margin; within: %v", tc.set, w.workload, w.cores, w.within, v.Within)
			}
			if (v.Winner == "") != (v.Decided == Estimate{}) {
				t.Errorf("%s: %s at %d cores: winner %q with decided speedup %v", tc.set, w.workload, w.cores, v.Winner, v.Decided)
			}
		}
	}
}
