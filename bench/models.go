package bench

// Models returns every model configured by cfg, in the order of reports:
// the baseline, Go's native models, then Python's in-process ones, then the
// process models. What each costs per task beyond the task's own work is
// measured by go test ./bench -run '^$' -bench Dispatch (batches of 1000
// tasks without ops); the README's generated overhead table has the
// figures, which the doc comments do not copy, since they drift.
func Models(cfg Config) []Model {
	return []Model{
		NewSeq(cfg),
		NewGoroutines(cfg),
		NewPool(cfg),
		NewErrGroup(cfg),
		NewEventLoop(cfg),
		NewGILThreads(cfg),
		NewGILPool(cfg),
		NewInterpPool(cfg),
		newProcs(cfg),
		newProcPool(cfg),
	}
}
