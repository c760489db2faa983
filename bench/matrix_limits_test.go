package bench

// limitSkip is the matrix's limit check of one cell: the reason to skip it,
// or "".
func limitSkip(m Model, batch Batch, procs int) string {
	need := CellNeed(m.Name(), batch.Tasks, procs)
	threads := -1
	if need.Threads > 0 {
		threads = cachedUserThreads()
	}
	return LimitSkip(runLimits(), need, openFiles(), testServer.Listeners(), threads)
}
