package bench

// Models returns every model configured by cfg, in the order of reports:
// the baseline, Go's native models, then Python's in-process ones, then the
// process models. The cost per task that each model's doc comment quotes is
// BenchmarkDispatch's median over batches of 1000 tasks without ops.
func Models(cfg Config) []Model {
	return []Model{
		NewSeq(cfg),
		NewGoroutines(cfg),
		NewPool(cfg),
		NewErrGroup(cfg),
		NewEventLoop(cfg),
		NewGILThreads(cfg),
		NewGILPool(cfg),
		newProcs(cfg),
		newProcPool(cfg),
	}
}
