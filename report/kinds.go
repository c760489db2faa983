package report

// A Family is the kind of a model, as the set's matrix describes it
// (matrix-models) or as the report infers it from the cells: what a
// verdict, a chart or a fit groups models by.
type Family string

// The families concbench's models belong to; a foreign set may name
// others.
const (
	FamilyBaseline    Family = "baseline"    // the sequential model every speedup is over
	FamilyThreads     Family = "threads"     // parallel without a lock: goroutines, pools
	FamilyConcurrency Family = "concurrency" // one compute step at a time: an event loop, a GIL
	FamilyProcesses   Family = "processes"   // OS processes
	FamilyOther       Family = "other"       // a model the matrix does not describe
)

// String is the family's name as the set writes it.
func (f Family) String() string { return string(f) }

// A Kind says what bounds a BenchmarkCores workload.
type Kind uint8

// The kinds of workload; KindUnknown when the set does not say.
const (
	KindUnknown Kind = iota
	KindCPU
	KindIO
	KindMixed
)

// kindOf reads a batch's kind as the matrix writes it ("cpu", "io",
// "mixed").
func kindOf(s string) Kind {
	switch s {
	case "cpu":
		return KindCPU
	case "io":
		return KindIO
	case "mixed":
		return KindMixed
	}
	return KindUnknown
}

// String is the kind as a verdict says it: "CPU-bound", "I/O-bound",
// "mixed", or "" when unknown.
func (k Kind) String() string {
	switch k {
	case KindCPU:
		return "CPU-bound"
	case KindIO:
		return "I/O-bound"
	case KindMixed:
		return "mixed"
	}
	return ""
}
