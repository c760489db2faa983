package bench_test

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/concbench/concbench/bench"
	"github.com/concbench/concbench/workloads"
)

// printNumbersAndLetters ports the article's first threading sample:
//
//	def print_numbers():
//	    for i in range(1, 6):
//	        time.sleep(0.01)
//	        print(i)
//
//	def print_letters():
//	    for letter in "abcde":
//	        time.sleep(0.01)
//	        print(letter)
//
//	t1 = threading.Thread(target=print_numbers)
//	t2 = threading.Thread(target=print_letters)
//	t1.start(); t2.start(); t1.join(); t2.join()
//
// Each function becomes a task of five 10 ms sleeps. Tasks are data and
// yield only a checksum, so the lines a function would print are printed
// when its task is done, the first to end first; whether the two ran at the
// same time shows in their outcomes.
func printNumbersAndLetters(m bench.Model) {
	sleeps := slices.Repeat([]workloads.Op{workloads.Sleep(10 * time.Millisecond)}, 5)
	tasks := []workloads.Task{{ID: 0, Ops: sleeps}, {ID: 1, Ops: sleeps}}
	out, err := m.Run(context.Background(), &workloads.Env{}, tasks)
	if err != nil {
		fmt.Println(err)
		return
	}
	prints := [][]string{{"1", "2", "3", "4", "5"}, {"a", "b", "c", "d", "e"}}
	byEnd := slices.SortedFunc(slices.Values(out), func(a, b bench.Outcome) int { return int(a.End - b.End) })
	for _, o := range byEnd {
		for _, line := range prints[o.ID] {
			fmt.Println(line)
		}
	}
	// Each task started before the other ended: the sleeps overlapped.
	fmt.Println("overlapped:", out[0].Start < out[1].End && out[1].Start < out[0].End)
}

// Run one function after the other, as a plain call of each would.
func ExampleSeq() {
	printNumbersAndLetters(bench.NewSeq(bench.Config{}))
	// Unordered output:
	// 1
	// 2
	// 3
	// 4
	// 5
	// a
	// b
	// c
	// d
	// e
	// overlapped: false
}

// Run the two functions as CPython threads: each sleep releases the GIL, so
// the other thread runs meanwhile.
func ExampleGILThreads() {
	printNumbersAndLetters(bench.NewGILThreads(bench.Config{}))
	// Unordered output:
	// 1
	// 2
	// 3
	// 4
	// 5
	// a
	// b
	// c
	// d
	// e
	// overlapped: true
}

// Run the two functions as goroutines, threads without a GIL.
func ExampleGoroutines() {
	printNumbersAndLetters(bench.NewGoroutines(bench.Config{}))
	// Unordered output:
	// 1
	// 2
	// 3
	// 4
	// 5
	// a
	// b
	// c
	// d
	// e
	// overlapped: true
}

// Run the two functions as asyncio coroutines, with await asyncio.sleep:
// one thread, and the loop switches at every await.
func ExampleEventLoop() {
	printNumbersAndLetters(bench.NewEventLoop(bench.Config{}))
	// Unordered output:
	// 1
	// 2
	// 3
	// 4
	// 5
	// a
	// b
	// c
	// d
	// e
	// overlapped: true
}
