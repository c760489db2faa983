package bench

import (
	"context"
	"runtime"
	"strconv"
	"testing"

	"github.com/concbench/concbench/workloads"
)

// procReportPerTask reports the time per task of a benchmark whose every
// iteration ran n tasks.
func procReportPerTask(b *testing.B, n int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/task")
}

// BenchmarkProcsSpawn measures what procs costs per task: starting a
// worker process, one exchange and reaping it, for empty tasks, with one
// worker at a time and with GOMAXPROCS of them.
func BenchmarkProcsSpawn(b *testing.B) {
	tasks := make([]workloads.Task, 100)
	for _, w := range []int{1, runtime.GOMAXPROCS(0)} {
		b.Run("workers="+strconv.Itoa(w), func(b *testing.B) {
			m := newProcs(Config{Workers: w})
			env := testEnv(b)
			for b.Loop() {
				if _, err := m.Run(context.Background(), env, tasks); err != nil {
					b.Fatal(err)
				}
			}
			procReportPerTask(b, len(tasks))
		})
	}
}

// BenchmarkProcPoolRoundTrip measures one exchange of an empty task with a
// running worker over its pipes: the per-task cost of procpool once its
// workers are up.
func BenchmarkProcPoolRoundTrip(b *testing.B) {
	g := newGroup(context.Background(), testEnv(b), procOpts{})
	p, err := g.start()
	if err != nil {
		b.Fatal(err)
	}
	ts := []workloads.Task{{ID: 1}}
	d := g.opts.deadline(ts)
	for b.Loop() {
		if _, err := p.exchange(ts, d, false); err != nil {
			b.Fatal(p.fault(ts, err))
		}
	}
	b.StopTimer()
	if err := p.shutdown(); err != nil {
		b.Error(err)
	}
	if err := g.close(); err != nil {
		b.Error(err)
	}
}

// BenchmarkProcPoolBatch measures procpool on issue 5's overhead batch of
// 1000 empty tasks, worker start and shutdown included, per task.
func BenchmarkProcPoolBatch(b *testing.B) {
	tasks := make([]workloads.Task, 1000)
	for _, w := range []int{1, runtime.GOMAXPROCS(0)} {
		for _, chunk := range []int{1, 16} {
			b.Run("workers="+strconv.Itoa(w)+"/chunk="+strconv.Itoa(chunk), func(b *testing.B) {
				m := newProcPool(Config{Workers: w, Chunk: chunk})
				env := testEnv(b)
				for b.Loop() {
					if _, err := m.Run(context.Background(), env, tasks); err != nil {
						b.Fatal(err)
					}
				}
				procReportPerTask(b, len(tasks))
			})
		}
	}
}
