package bench

// Models returns every model configured by cfg, in the order of reports:
// the baseline, Go's native models, then Python's in-process ones, then the
// process models.
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
