package prose

import "fmt"

func Example() {
	fmt.Println(Num(0.3521), Num(1.9602), Num(12.44), Num(640.2), Num(0.004), Num(0))
	fmt.Println(Duration(93.2e6), Duration(301), Duration(1.5e9), Pct(0.05))
	fmt.Println(JoinAnd([]string{"pool"}), "|", JoinAnd([]string{"pool", "errgroup", "procs"}))
	fmt.Println(List([]string{"a", "b", "c", "d"}, 2), "|", Plural(1, "core"), Plural(4, "core"), Verb(2, "is", "are"))
	fmt.Println(Cores([]int{1, 2, 4}), "|", Cores([]int{1}), "|", Kinded("hash", "CPU-bound"), "|", Kinded("BenchmarkX", ""))
	// Output:
	// 0.352 1.96 12.4 640 0.004 0
	// 93.2 ms 301 ns 1.50 s 5%
	// pool | pool, errgroup and procs
	// a, b and 2 more | core cores are
	// 1, 2, 4 cores | 1 core | hash (CPU-bound) | BenchmarkX
}
