package workloads

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"testing"
)

func TestParseFault(t *testing.T) {
	tests := []struct {
		in   string
		want Fault
		ok   bool
	}{
		{"", Fault{}, true},
		{"garbage", Fault{"garbage", -1}, true},
		{"hang:7", Fault{"hang", 7}, true},
		{"die-after-read:0", Fault{"die-after-read", 0}, true},
		{"truncate:x", Fault{}, false},
		{"truncate:-1", Fault{}, false},
		{"explode", Fault{}, false},
	}
	for _, tt := range tests {
		got, err := ParseFault(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseFault(%q) = %+v, %v; want %+v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

// serveFrames runs a worker over the given task batches and returns what it
// wrote and its error.
func serveFrames(t *testing.T, fault Fault, batches ...[]Task) ([]byte, error) {
	t.Helper()
	var in bytes.Buffer
	for _, ts := range batches {
		if err := WriteFrame(&in, AppendTasks(nil, ts)); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	err := serveWorker(&Env{Dir: t.TempDir()}, &in, &out, fault)
	return out.Bytes(), err
}

func TestServeWorker(t *testing.T) {
	a := []Task{{ID: 1, Seed: 5, Ops: []Op{Compute(Primes, 2)}}}
	b := []Task{{ID: 2, Seed: 6}, {ID: 3, Seed: 7, Ops: []Op{File(10)}}}
	out, err := serveFrames(t, Fault{}, a, b)
	if err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(bytes.NewReader(out))
	for _, ts := range [][]Task{a, b} {
		p, err := ReadFrame(r, nil)
		if err != nil {
			t.Fatal(err)
		}
		reps, err := DecodeReplies(p)
		if err != nil {
			t.Fatal(err)
		}
		if len(reps) != len(ts) {
			t.Fatalf("%d replies to %d tasks", len(reps), len(ts))
		}
		for i, rep := range reps {
			if rep.ID != ts[i].ID || rep.Err != "" || rep.PID == 0 {
				t.Errorf("reply %+v to task %d", rep, ts[i].ID)
			}
		}
	}
	if _, err := ReadFrame(r, nil); err != io.EOF {
		t.Errorf("after the replies: %v, want EOF", err)
	}
}

func TestServeWorkerFaults(t *testing.T) {
	a := []Task{{ID: 1, Seed: 5}}
	b := []Task{{ID: 2, Seed: 6}}

	// The fault strikes task 2 only: task 1 is answered properly first.
	out, err := serveFrames(t, Fault{"garbage", 2}, a, b)
	if err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(bytes.NewReader(out))
	if p, err := ReadFrame(r, nil); err != nil {
		t.Fatal(err)
	} else if _, err := DecodeReplies(p); err != nil {
		t.Errorf("reply to the healthy task: %v", err)
	}
	if p, err := ReadFrame(r, nil); err != nil {
		t.Fatal(err)
	} else if _, err := DecodeReplies(p); !errors.Is(err, ErrCorrupt) {
		t.Errorf("garbage decoded with error %v, want ErrCorrupt", err)
	}

	out, err = serveFrames(t, Fault{"truncate", -1}, a, b)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFrame(bufio.NewReader(bytes.NewReader(out)), nil); err != io.ErrUnexpectedEOF {
		t.Errorf("truncated frame read with error %v, want io.ErrUnexpectedEOF", err)
	}

	out, err = serveFrames(t, Fault{"die-after-read", 1}, a, b)
	if _, ok := err.(errFaultExit); !ok || len(out) != 0 {
		t.Errorf("die-after-read wrote %d bytes and returned %v", len(out), err)
	}
}
