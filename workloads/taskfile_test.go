package workloads_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/workloads"
)

// The malformed task files of testdata/badtasks that this package refuses
// (the others, a built-in name and a batch too long, are package bench's
// to refuse), each with the start of its one error: file:line: field:.
var badTaskFiles = []struct{ file, want string }{
	{"unknown-step.toml", "unknown-step.toml:6: group[0].steps[1].download: unknown key"},
	{"negative-duration.toml", `negative-duration.toml:5: group[0].steps[0].sleep: "-5ms" is negative`},
	{"unparsable-duration.toml", `unparsable-duration.toml:5: group[0].steps[0].net: "20 ms" is not a duration`},
	{"zero-tasks.toml", "zero-tasks.toml:3: group[0].tasks: 0 tasks"},
	{"bad-size.toml", `bad-size.toml:4: group[0].input: "4KB" is not a size`},
	{"unknown-kernel.toml", `unknown-kernel.toml:5: group[0].steps[0].compute: unknown kernel "md5"`},
	{"compute-time-and-units.toml", "compute-time-and-units.toml:6: group[0].steps[1]: a compute step is sized by time or by units, not both"},
	{"compute-unsized.toml", "compute-unsized.toml:5: group[0].steps[0]: a compute step needs its size"},
	{"bad-name.toml", `bad-name.toml:1: name: "My Scraper" is not a workload name`},
	{"toml-syntax.toml", "toml-syntax.toml:4: toml: basic strings cannot have new lines"},
	{"bytes-on-sleep.toml", "bytes-on-sleep.toml:5: group[0].steps[0].bytes: bytes belongs to a net step"},
	{"input-too-large.toml", "input-too-large.toml:4: group[0].input: 32MiB is more than"},
	{"two-ops.toml", "two-ops.toml:5: group[0].steps[0].sleep: a step does one thing"},
	{"no-group.toml", "no-group.toml:1: group: missing"},
	{"tasks-not-integer.toml", "tasks-not-integer.toml:3: group[0].tasks: is a string"},
}

func TestLoadTaskFileRefuses(t *testing.T) {
	for _, c := range badTaskFiles {
		t.Run(c.file, func(t *testing.T) {
			path := filepath.Join("testdata", "badtasks", c.file)
			s, err := workloads.LoadTaskFile(path)
			if err == nil {
				t.Fatalf("LoadTaskFile(%s) = %+v, want an error", path, s)
			}
			var fe workloads.FieldErrors
			if !errors.As(err, &fe) {
				t.Fatalf("error %v (%T) is not FieldErrors", err, err)
			}
			want := filepath.Join("testdata", "badtasks", c.want)
			if !strings.HasPrefix(fe[0].Error(), want) {
				t.Errorf("first error\n%s\nwant it to start with\n%s", fe[0], want)
			}
		})
	}
}

// A document gives every problem it has, each at its own line, in order.
func TestParseTaskFileAllProblems(t *testing.T) {
	doc := `name = "Bad"
[[group]]
tasks = -1
input = "1GiB"
colour = "red"
steps = [
  { sleep = "1 ms" },
  { compute = "primes", time = "0s" },
  { net = "1ms", bytes = "-1KiB" },
  { file = 12.5 },
  {},
]
`
	_, err := workloads.ParseTaskFile("x.toml", []byte(doc))
	want := []string{
		`x.toml:1: name: "Bad" is not a workload name`,
		`x.toml:3: group[0].tasks: -1 tasks: want 1 to 100000`,
		`x.toml:4: group[0].input: "1GiB" is not a size`,
		`x.toml:5: group[0].colour: unknown key`,
		`x.toml:7: group[0].steps[0].sleep: "1 ms" is not a duration`,
		`x.toml:8: group[0].steps[1].time: is zero`,
		`x.toml:9: group[0].steps[2].bytes: "-1KiB" is negative`,
		`x.toml:10: group[0].steps[3].file: is a float, want a size`,
		`x.toml:11: group[0].steps[4]: says what to do with none of compute, sleep, net or file`,
	}
	var fe workloads.FieldErrors
	if !errors.As(err, &fe) {
		t.Fatalf("error %v, want FieldErrors", err)
	}
	if len(fe) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%v", len(fe), len(want), err)
	}
	for i, w := range want {
		if !strings.HasPrefix(fe[i].Error(), w) {
			t.Errorf("problem %d:\n%s\nwant it to start with\n%s", i, fe[i], w)
		}
	}
}

const scraperDoc = `name = "scraper"
[[group]]
tasks = 3
input = "4KiB"
output = "16KiB"
steps = [
  { net = "20ms", bytes = "16KiB" },
  { compute = "primes", time = "2ms" },
  { compute = "hash", units = 8 },
  { sleep = "5ms" },
  { file = "64KiB" },
]

# The same steps written as tables.
[[group]]
tasks = 2
[[group.steps]]
sleep = "500us"
[[group.steps]]
compute = "gzip"
units = 1
`

func TestParseTaskFile(t *testing.T) {
	s, err := workloads.ParseTaskFile("scraper.toml", []byte(scraperDoc))
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "scraper" || s.NameLine != 1 || len(s.Groups) != 2 || s.Tasks() != 5 {
		t.Fatalf("got %+v", s)
	}
	g := s.Groups[0]
	if g.Line != 2 || g.Tasks != 3 || g.TasksLine != 3 || g.Input != 4096 || g.Output != 16384 {
		t.Errorf("group 0 = %+v", g)
	}
	wantSteps := []workloads.TaskStep{
		{Line: 7, Op: workloads.Net(20*time.Millisecond, 16<<10)},
		{Line: 8, Op: workloads.Compute(workloads.Primes, 0), Time: 2 * time.Millisecond},
		{Line: 9, Op: workloads.Compute(workloads.Hash, 8)},
		{Line: 10, Op: workloads.Sleep(5 * time.Millisecond)},
		{Line: 11, Op: workloads.File(64 << 10)},
	}
	if fmt.Sprint(g.Steps) != fmt.Sprint(wantSteps) {
		t.Errorf("group 0 steps\n%v\nwant\n%v", g.Steps, wantSteps)
	}
	g = s.Groups[1]
	wantSteps = []workloads.TaskStep{
		{Line: 17, Op: workloads.Sleep(500 * time.Microsecond)},
		{Line: 19, Op: workloads.Compute(workloads.Gzip, 1)},
	}
	if g.Line != 15 || g.Tasks != 2 || fmt.Sprint(g.Steps) != fmt.Sprint(wantSteps) {
		t.Errorf("group 1 = %+v, want line 15, 2 tasks, steps %v", g, wantSteps)
	}
}

func TestTaskSpecBatch(t *testing.T) {
	s, err := workloads.ParseTaskFile("scraper.toml", []byte(scraperDoc))
	if err != nil {
		t.Fatal(err)
	}
	// 2 ms at 30 µs a unit is 67 units; the other kernels are not asked.
	unit := func(k workloads.Kernel) time.Duration {
		if k != workloads.Primes {
			t.Errorf("unit cost of %v asked", k)
		}
		return 30 * time.Microsecond
	}
	ts := s.Batch(7, unit)
	gen, err := workloads.Generate(workloads.Spec{Workload: "sleep", Tasks: 5, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 5 {
		t.Fatalf("%d tasks, want 5", len(ts))
	}
	for i, task := range ts {
		if task.ID != i || task.Seed != gen[i].Seed {
			t.Errorf("task %d: ID %d seed %#x, want seeds as Generate's (%#x)", i, task.ID, task.Seed, gen[i].Seed)
		}
		if err := task.Validate(); err != nil {
			t.Error(err)
		}
	}
	if u := ts[0].Ops[1].Units; u != 67 {
		t.Errorf("2ms of primes at 30µs a unit: %d units, want 67", u)
	}
	if len(ts[0].Input) != 4096 || &ts[0].Input[0] != &ts[2].Input[0] || ts[0].Output != 16384 {
		t.Errorf("group 0's tasks: input %d bytes (shared: %v), output %d; want 4096 shared, 16384",
			len(ts[0].Input), &ts[0].Input[0] == &ts[2].Input[0], ts[0].Output)
	}
	if ts[3].Input != nil || ts[3].Output != 0 {
		t.Errorf("group 1's task: input %d bytes, output %d; want none", len(ts[3].Input), ts[3].Output)
	}
	// Tasks do not share their ops: a model may not change one task
	// through another.
	ts[0].Ops[0].D = 0
	if ts[1].Ops[0].D == 0 {
		t.Error("tasks of a group share their ops")
	}
}

// A task's input is folded into its checksum, and its output is made when
// it ends: Payload's bytes, whose CRC-32 is zlib.crc32's.
func TestExecInputOutput(t *testing.T) {
	base := workloads.Task{ID: 1, Seed: 9, Ops: []workloads.Op{workloads.Compute(workloads.Hash, 1)}}
	plain, err := workloads.Exec(context.Background(), nil, base)
	if err != nil {
		t.Fatal(err)
	}
	if plain.Output != nil {
		t.Errorf("a task with no output handed back %d bytes", len(plain.Output))
	}
	with := base
	with.Input, with.Output = workloads.Payload(100_000), 70_000
	r, err := workloads.Exec(context.Background(), nil, with)
	if err != nil {
		t.Fatal(err)
	}
	if r.Sum == plain.Sum {
		t.Error("the input did not change the checksum")
	}
	if want := workloads.Fold(workloads.Start(9), uint64(crc32.ChecksumIEEE(with.Input))); with.StartSum() != want {
		t.Errorf("StartSum = %#x, want Start folded with the input's CRC-32, %#x", with.StartSum(), want)
	}
	if !bytes.Equal(r.Output, workloads.Payload(70_000)) {
		t.Errorf("output of %d bytes is not Payload(70000)", len(r.Output))
	}
	buf := workloads.HashBuffer()
	p := workloads.Payload(len(buf) + 10)
	if !bytes.Equal(p[:len(buf)], buf) || !bytes.Equal(p[len(buf):], buf[:10]) {
		t.Error("Payload is not the hash buffer repeated")
	}
	// zlib.crc32 of Payload(100000) in CPython.
	if got := workloads.PayloadValue(workloads.Payload(100_000)); got != uint64(crc32.ChecksumIEEE(workloads.Payload(100_000))) {
		t.Errorf("PayloadValue = %#x", got)
	}
}

func TestParseSize(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
		err  bool
	}{
		{"0B", 0, false}, {"512B", 512, false}, {"4KiB", 4096, false}, {"2MiB", 2 << 20, false},
		{"4KB", 0, true}, {"4 KiB", 0, true}, {"KiB", 0, true}, {"1.5MiB", 0, true}, {"-1B", 0, true},
		{"+1B", 0, true}, {"4kib", 0, true}, {"", 0, true}, {"99999999999999999MiB", 0, true},
	} {
		got, err := workloads.ParseSize(c.in)
		if (err != nil) != c.err || got != c.want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d, error %v", c.in, got, err, c.want, c.err)
		}
	}
	for n, want := range map[int]string{0: "0B", 1000: "1000B", 4096: "4KiB", 5 << 20: "5MiB", 1536: "1536B"} {
		if got := workloads.FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

// A task file read and its batch built, with the units a time-sized step
// gets at a given unit cost.
func ExampleLoadTaskFile() {
	s, err := workloads.LoadTaskFile("testdata/tasks/design.toml")
	if err != nil {
		fmt.Println(err)
		return
	}
	unit := func(workloads.Kernel) time.Duration { return 25 * time.Microsecond }
	ts := s.Batch(1, unit)
	fmt.Printf("%s: %d tasks, input %d bytes, output %d\n", s.Name, len(ts), len(ts[0].Input), ts[0].Output)
	for _, op := range ts[0].Ops {
		fmt.Println(op)
	}
	// Output:
	// scraper: 64 tasks, input 4096 bytes, output 16384
	// net(20ms, 16384B)
	// compute(primes×80)
	// compute(hash×8)
	// sleep(5ms)
	// file(65536B)
}

func TestUnitCosts(t *testing.T) {
	u, err := workloads.ParseUnitCosts("primes=22050,hash=37120,gzip=119800")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := u.String(), "hash=37120,primes=22050,gzip=119800"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	if u.Cost(workloads.Primes) != 22050 {
		t.Errorf("Cost(primes) = %v", u.Cost(workloads.Primes))
	}
	// A kernel it lacks is this process's calibration.
	if got := (workloads.UnitCosts{}).Cost(workloads.Hash); got != workloads.UnitCost(workloads.Hash) {
		t.Errorf("an empty UnitCosts gives %v for hash, want the calibration %v", got, workloads.UnitCost(workloads.Hash))
	}
	for _, bad := range []string{"hash", "hash=", "hash=0", "hash=-3", "md5=3", "hash=1.5", "hash=3,,x=1"} {
		if _, err := workloads.ParseUnitCosts(bad); err == nil {
			t.Errorf("ParseUnitCosts(%q) accepted it", bad)
		}
	}
	if u, err := workloads.ParseUnitCosts(""); err != nil || len(u) != 0 {
		t.Errorf("ParseUnitCosts(\"\") = %v, %v; want none", u, err)
	}
}
