package bench

import (
	"fmt"
	"testing"

	"github.com/concbench/concbench/workloads"
)

// BenchmarkDispatch measures what a model costs per task beyond the task's
// own work: 1000 tasks with no ops per batch. The models' doc comments
// point here rather than quote its ns/task, which drifts with the machine
// and the release; the README's generated overhead table has the figures.
func BenchmarkDispatch(b *testing.B) {
	const n = 1000
	tasks := make([]workloads.Task, n)
	for i := range tasks {
		tasks[i] = workloads.Task{ID: i, Seed: uint64(i)}
	}
	env := &workloads.Env{Dir: b.TempDir()}
	for _, m := range Models(Config{}) {
		b.Run(fmt.Sprintf("model=%s", m.Name()), func(b *testing.B) {
			for b.Loop() {
				if _, err := m.Run(b.Context(), env, tasks); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/task")
		})
	}
}
