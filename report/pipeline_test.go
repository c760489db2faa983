package report

import (
	"cmp"
	"fmt"
	"math"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// dump writes a value and everything it reaches, unexported fields
// included, as text: two dumps of the same pointers differ only when
// something they reach was written. A pointer already dumped is named by
// its address, so shared and cyclic values are dumped once; map entries
// are sorted by their keys' dumps (pointer keys by address, which a
// stage cannot change).
func dump(v any) string {
	d := &dumper{seen: map[uintptr]bool{}}
	d.value(reflect.ValueOf(v))
	return d.b.String()
}

type dumper struct {
	b    strings.Builder
	seen map[uintptr]bool
}

func (d *dumper) value(v reflect.Value) {
	switch v.Kind() {
	case reflect.Invalid:
		d.b.WriteString("nil")
	case reflect.Pointer:
		if v.IsNil() {
			d.b.WriteString("nil")
			return
		}
		p := v.Pointer()
		fmt.Fprintf(&d.b, "&%x", p)
		if d.seen[p] {
			return
		}
		d.seen[p] = true
		d.value(v.Elem())
	case reflect.Interface:
		if v.IsNil() {
			d.b.WriteString("nil")
			return
		}
		d.value(v.Elem())
	case reflect.Struct:
		d.b.WriteString(v.Type().Name() + "{")
		for i := range v.NumField() {
			d.b.WriteString(v.Type().Field(i).Name + ":")
			d.value(v.Field(i))
			d.b.WriteString(" ")
		}
		d.b.WriteString("}")
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			d.b.WriteString("nil")
			return
		}
		fmt.Fprintf(&d.b, "[%d:", v.Len())
		for i := range v.Len() {
			d.value(v.Index(i))
			d.b.WriteString(",")
		}
		d.b.WriteString("]")
	case reflect.Map:
		type entry struct{ k, v string }
		var es []entry
		for it := v.MapRange(); it.Next(); {
			var k string
			if it.Key().Kind() == reflect.Pointer {
				k = fmt.Sprintf("%x", it.Key().Pointer())
			} else {
				k = dump(valueOf(it.Key()))
			}
			sub := &dumper{seen: d.seen}
			sub.value(it.Value())
			es = append(es, entry{k, sub.b.String()})
		}
		slices.SortFunc(es, func(x, y entry) int { return cmp.Compare(x.k, y.k) })
		fmt.Fprintf(&d.b, "map%v", es)
	case reflect.Float32, reflect.Float64:
		f := v.Float()
		fmt.Fprintf(&d.b, "%v", math.Float64bits(f))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		fmt.Fprint(&d.b, v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		fmt.Fprint(&d.b, v.Uint())
	case reflect.Bool:
		fmt.Fprint(&d.b, v.Bool())
	case reflect.String:
		fmt.Fprintf(&d.b, "%q", v.String())
	case reflect.Func, reflect.Chan, reflect.UnsafePointer:
		fmt.Fprintf(&d.b, "%s(%v)", v.Kind(), v.IsNil())
	default:
		fmt.Fprintf(&d.b, "?%s", v.Kind())
	}
}

// valueOf is a map key as a dumpable value (keys that are not pointers
// are comparable scalars or structs of them).
func valueOf(v reflect.Value) any {
	if v.CanInterface() {
		return v.Interface()
	}
	return fmt.Sprint(v)
}

// TestStagesReturnNewValues checks the pipeline's promise: each stage
// returns a new value and writes no field of a value an earlier stage
// returned, nor the Set it was given. It runs the stages one by one over
// a set with CPython runs and over a foreign -cpu sweep, dumps every
// value returned so far (following every pointer) before each later
// stage, and compares the dumps after it; then lays out the page and
// results.csv, which only read, and compares again.
func TestStagesReturnNewValues(t *testing.T) {
	for _, tc := range []struct {
		name, path string
		opt        Options
	}{
		{"cpython", "../results/epyc-2cpu/20261204T154042Z/bench.txt", Options{}},
		{"foreign with -cpus", "testdata/foreign-sync-cpu124.txt", Options{CPUs: 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, err := os.ReadFile(tc.path)
			if err != nil {
				t.Fatal(err)
			}
			s, err := LoadBytes(tc.path, data, LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var before []string
			values := []any{s}
			snap := func() {
				before = before[:0]
				for _, v := range values {
					before = append(before, dump(v))
				}
			}
			check := func(stage string) {
				t.Helper()
				for i, v := range values {
					if dump(v) != before[i] {
						t.Errorf("%s wrote the %T an earlier stage returned (or the Set)", stage, v)
					}
				}
			}
			snap()
			m, err := Measure(s, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			check("Measure")
			values = append(values, m)
			snap()
			c := DecideClaims(m)
			check("DecideClaims")
			values = append(values, c)
			snap()
			f := FitLaws(m, c)
			check("FitLaws")
			values = append(values, f)
			snap()
			d := Decide(m, c, f)
			check("Decide")
			values = append(values, d)
			snap()
			text := m.Wording().Text(d)
			check("Wording.Text")
			values = append(values, text)
			snap()
			a := &Analysis{Measured: m, Claims: c, Fits: f, Decisions: d, Text: text, Findings: findings(m), Warnings: warnings(m, d)}
			check("findings and warnings")
			if err := a.Write(t.TempDir(), tc.opt); err != nil {
				t.Fatal(err)
			}
			check("Write")
			if tc.opt.CPUs > 0 && (s.CPUs == tc.opt.CPUs || m.Set.CPUs != tc.opt.CPUs) {
				t.Errorf("-cpus %d: the input set says %d, the measured copy %d; want the input untouched", tc.opt.CPUs, s.CPUs, m.Set.CPUs)
			}
			if len(d.Verdicts)+len(d.Benches) == 0 {
				t.Errorf("no verdicts and no sweeps: the test checks nothing")
			}
		})
	}
}
