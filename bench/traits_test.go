package bench

import (
	"fmt"
	"strings"
	"testing"
)

// TestTraitsCoverModels checks that the traits table has one entry per
// model of Models, in its order, and nothing else.
func TestTraitsCoverModels(t *testing.T) {
	ms := Models(Config{})
	if len(ms) != len(modelTraits) {
		t.Fatalf("%d models, %d traits", len(ms), len(modelTraits))
	}
	for i, m := range ms {
		if modelTraits[i].Name != m.Name() {
			t.Errorf("traits %d are %s's, want %s's", i, modelTraits[i].Name, m.Name())
		}
		if tr := modelTraits[i]; tr.Serial < 0 || tr.Serial > 1 || (tr.Processes && tr.OSThreads) {
			t.Errorf("%s: serial %v, processes %v, os-threads %v: want a share in [0, 1] and at most one kind of worker",
				tr.Name, tr.Serial, tr.Processes, tr.OSThreads)
		}
	}
	if _, ok := TraitsOf("no-such-model"); ok {
		t.Error("TraitsOf found a model that does not exist")
	}
}

func TestPoolSize(t *testing.T) {
	for _, tc := range []struct {
		size         PoolSize
		tasks, cores int
		want         int
		text         string
	}{
		{perTaskPool, 10000, 2, 10000, "tasks"},
		{onePool, 64, 16, 1, "1"},
		{onePool, 0, 16, 0, "1"},
		{corePool, 64, 2, 2, "cores"},
		{corePool, 3, 16, 3, "cores"},
		{corePool, 64, 0, 1, "cores"},
		{ExecutorPool, 64, 1, 5, "min(32,cores+4)"},
		{ExecutorPool, 64, 2, 6, "min(32,cores+4)"},
		{ExecutorPool, 64, 28, 32, "min(32,cores+4)"},
		{ExecutorPool, 64, 64, 32, "min(32,cores+4)"},
		{ExecutorPool, 4, 16, 4, "min(32,cores+4)"},
		{PoolSize{PerCore: 2, Extra: 1}, 64, 4, 9, "2×cores+1"},
	} {
		if got := tc.size.Workers(tc.tasks, tc.cores); got != tc.want {
			t.Errorf("%s: Workers(%d tasks, %d cores) = %d, want %d", tc.size, tc.tasks, tc.cores, got, tc.want)
		}
		if got := tc.size.String(); got != tc.text {
			t.Errorf("%+v: String() = %q, want %q", tc.size, got, tc.text)
		}
	}
}

// TestDescribeModelTraits checks the matrix-model-traits line: one entry
// per model, in matrix-models' order, each NAME:pool=SIZE,serial=SHARE….
func TestDescribeModelTraits(t *testing.T) {
	p, err := ProfileNamed("smoke")
	if err != nil {
		t.Fatal(err)
	}
	lines, err := Describe(p, 2)
	if err != nil {
		t.Fatal(err)
	}
	vals := map[string]string{}
	for _, l := range lines {
		vals[l.Key] = l.Value
	}
	models, traits := strings.Fields(vals["matrix-models"]), strings.Fields(vals["matrix-model-traits"])
	if len(models) != len(traits) || len(traits) == 0 {
		t.Fatalf("%d models, %d traits entries: %q", len(models), len(traits), vals["matrix-model-traits"])
	}
	for i, e := range traits {
		name, rest, _ := strings.Cut(e, ":")
		if m, _, _ := strings.Cut(models[i], ":"); name != m {
			t.Errorf("entry %d is %s's, want %s's", i, name, m)
		}
		if !strings.HasPrefix(rest, "pool=") || !strings.Contains(rest, ",serial=") {
			t.Errorf("entry %q: want NAME:pool=SIZE,serial=SHARE…", e)
		}
	}
	if want := "gil-pool:pool=min(32,cores+4),serial=1,os-threads"; !strings.Contains(vals["matrix-model-traits"], want) {
		t.Errorf("matrix-model-traits lacks %q: %s", want, vals["matrix-model-traits"])
	}
}

// ExamplePoolSize prints ThreadPoolExecutor's default size, which gil-pool
// and interp-pool use, at a few core counts for a batch of 64 tasks.
func ExamplePoolSize() {
	for _, cores := range []int{1, 2, 16, 64} {
		fmt.Printf("%d cores: %d workers\n", cores, ExecutorPool.Workers(64, cores))
	}
	fmt.Println(ExecutorPool)
	// Output:
	// 1 cores: 5 workers
	// 2 cores: 6 workers
	// 16 cores: 20 workers
	// 64 cores: 32 workers
	// min(32,cores+4)
}
