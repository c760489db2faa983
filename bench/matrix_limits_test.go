package bench

// limitSkip is the matrix's limit check of one cell: the reason to skip it,
// or "".
func limitSkip(m Model, batch Batch, procs int) string {
	lim, need := runLimits(), CellNeed(m.Name(), batch.Tasks, procs)
	threads := -1 // counting walks /proc: only where the count can matter
	if need.Threads > 0 && lim.NprocEnforced && lim.Nproc != Unlimited {
		threads = cachedUserThreads()
	}
	return LimitSkip(lim, need, openFiles(), testServer.Listeners(), threads)
}
