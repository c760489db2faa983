package workloads_test

import (
	"context"
	"fmt"

	"github.com/concbench/concbench/workloads"
)

// The checksums of a workload's first tasks are the same in every run and
// every process; this example pins them.
func Example() {
	env := &workloads.Env{}
	for _, w := range []string{"hash", "primes", "gzip"} {
		tasks, err := workloads.Generate(workloads.Spec{Workload: w, Tasks: 2, Units: 4, Seed: 1})
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, t := range tasks {
			r, err := workloads.Exec(context.Background(), env, t)
			if err != nil {
				fmt.Println(err)
				return
			}
			fmt.Printf("%s task %d: %v checksum %#016x\n", w, t.ID, t.Ops[0], r.Sum)
		}
	}
	// Output:
	// hash task 0: compute(hash×4) checksum 0x4355c87ba1c38b38
	// hash task 1: compute(hash×4) checksum 0x896a350a4027563d
	// primes task 0: compute(primes×4) checksum 0xdb5673d7c7beef96
	// primes task 1: compute(primes×4) checksum 0x6e2a8807278e9ec6
	// gzip task 0: compute(gzip×4) checksum 0x7218687520e87b94
	// gzip task 1: compute(gzip×4) checksum 0x6c313ac692c861e9
}
