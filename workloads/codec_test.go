package workloads_test

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"reflect"
	"testing"
	"time"

	"github.com/concbench/concbench/workloads"
)

func sampleTasks() []workloads.Task {
	return []workloads.Task{
		{ID: 0, Seed: 1, Ops: []workloads.Op{workloads.Compute(workloads.Hash, 10)}},
		{ID: 1, Seed: 1 << 63, Ops: []workloads.Op{
			workloads.Compute(workloads.Primes, 3), workloads.Sleep(5 * time.Millisecond),
			workloads.Net(time.Second, 4096), workloads.File(1 << 20), workloads.Compute(workloads.Gzip, 0), workloads.ComputeSized(workloads.Primes, 2, 10),
		}},
		{ID: 12345, Seed: 0, Ops: []workloads.Op{}},
		{ID: 7, Seed: 3, Ops: []workloads.Op{workloads.Sleep(0)}, Input: workloads.Payload(70_000), Output: 1 << 20},
	}
}

func sampleReplies() []workloads.Reply {
	return []workloads.Reply{
		{Result: workloads.Result{ID: 0, Sum: 0xdeadbeef, Elapsed: 1500 * time.Microsecond, PID: 4242}},
		{Result: workloads.Result{ID: 9, Sum: 1<<64 - 1, Elapsed: 0, PID: 1}, Err: "task 9 op 0 net: connection refused"},
		{},
		{Result: workloads.Result{ID: 7, Sum: 3, PID: 2, Output: []byte("the task's output")}},
	}
}

func TestCodecRoundTrip(t *testing.T) {
	for _, ts := range [][]workloads.Task{sampleTasks(), {}} {
		got, err := workloads.DecodeTasks(workloads.AppendTasks(nil, ts))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, ts) {
			t.Errorf("tasks round trip:\ngot  %+v\nwant %+v", got, ts)
		}
	}
	rs := sampleReplies()
	got, err := workloads.DecodeReplies(workloads.AppendReplies(nil, rs))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, rs) {
		t.Errorf("replies round trip:\ngot  %+v\nwant %+v", got, rs)
	}
}

// TestCodecRejectsTruncation cuts the encodings at every length: each cut
// must be an error wrapping ErrCorrupt, never a panic or a silent success.
func TestCodecRejectsTruncation(t *testing.T) {
	tp := workloads.AppendTasks(nil, sampleTasks())
	for n := 0; n < len(tp); n++ {
		if _, err := workloads.DecodeTasks(tp[:n]); !errors.Is(err, workloads.ErrCorrupt) {
			t.Fatalf("DecodeTasks of %d/%d bytes: err %v, want ErrCorrupt", n, len(tp), err)
		}
	}
	rp := workloads.AppendReplies(nil, sampleReplies())
	for n := 0; n < len(rp); n++ {
		if _, err := workloads.DecodeReplies(rp[:n]); !errors.Is(err, workloads.ErrCorrupt) {
			t.Fatalf("DecodeReplies of %d/%d bytes: err %v, want ErrCorrupt", n, len(rp), err)
		}
	}
}

func TestCodecRejectsCorruption(t *testing.T) {
	tests := []struct {
		name string
		p    []byte
	}{
		{"empty", nil},
		{"wrong type", []byte{'R', 0}},
		{"trailing", append(workloads.AppendTasks(nil, nil), 0)},
		{"huge count", []byte{'T', 0xff, 0xff, 0xff, 0xff, 0x0f}},
		{"bad kind", append(workloads.AppendTasks(nil, nil)[:1], 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 77, 0, 0, 0, 0, 0)},
		{"bad varint", []byte{'T', 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
	}
	for _, tt := range tests {
		if _, err := workloads.DecodeTasks(tt.p); !errors.Is(err, workloads.ErrCorrupt) {
			t.Errorf("%s: err %v, want ErrCorrupt", tt.name, err)
		}
	}
}

func TestFrames(t *testing.T) {
	var buf bytes.Buffer
	payloads := [][]byte{[]byte("one"), {}, bytes.Repeat([]byte{7}, 100000)}
	for _, p := range payloads {
		if err := workloads.WriteFrame(&buf, p); err != nil {
			t.Fatal(err)
		}
	}
	whole := buf.Bytes()
	r := bufio.NewReader(bytes.NewReader(whole))
	for i, want := range payloads {
		got, err := workloads.ReadFrame(r, nil)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("frame %d: got %d bytes, err %v; want %d bytes", i, len(got), err, len(want))
		}
	}
	if _, err := workloads.ReadFrame(r, nil); err != io.EOF {
		t.Errorf("after last frame: err %v, want io.EOF", err)
	}
	r = bufio.NewReader(bytes.NewReader(whole[:len(whole)-1]))
	var err error
	for err == nil {
		_, err = workloads.ReadFrame(r, nil)
	}
	if err != io.ErrUnexpectedEOF {
		t.Errorf("truncated frame: err %v, want io.ErrUnexpectedEOF", err)
	}
	r = bufio.NewReader(bytes.NewReader([]byte{0xff, 0xff, 0xff, 0xff}))
	if _, err := workloads.ReadFrame(r, nil); !errors.Is(err, workloads.ErrCorrupt) {
		t.Errorf("absurd length: err %v, want ErrCorrupt", err)
	}
}

// FuzzDecodeTasks checks that no input panics and that whatever decodes
// re-encodes to the same bytes. The seed corpus is in testdata/fuzz.
func FuzzDecodeTasks(f *testing.F) {
	f.Add(workloads.AppendTasks(nil, sampleTasks()))
	f.Add(workloads.AppendTasks(nil, nil))
	f.Fuzz(func(t *testing.T, p []byte) {
		ts, err := workloads.DecodeTasks(p)
		if err != nil {
			if !errors.Is(err, workloads.ErrCorrupt) {
				t.Fatalf("error %v does not wrap ErrCorrupt", err)
			}
			return
		}
		again, err := workloads.DecodeTasks(workloads.AppendTasks(nil, ts))
		if err != nil || !reflect.DeepEqual(again, ts) {
			t.Fatalf("re-encoding changed the tasks: %v", err)
		}
	})
}

// FuzzDecodeReplies is FuzzDecodeTasks for replies.
func FuzzDecodeReplies(f *testing.F) {
	f.Add(workloads.AppendReplies(nil, sampleReplies()))
	f.Fuzz(func(t *testing.T, p []byte) {
		rs, err := workloads.DecodeReplies(p)
		if err != nil {
			if !errors.Is(err, workloads.ErrCorrupt) {
				t.Fatalf("error %v does not wrap ErrCorrupt", err)
			}
			return
		}
		again, err := workloads.DecodeReplies(workloads.AppendReplies(nil, rs))
		if err != nil || !reflect.DeepEqual(again, rs) {
			t.Fatalf("re-encoding changed the replies: %v", err)
		}
	})
}
