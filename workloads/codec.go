package workloads

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"time"
)

// The wire format of the process models' pipes. A frame is a 4-byte
// little-endian payload length followed by the payload. A payload starts
// with a type byte: 'T' for a batch of tasks, 'R' for a batch of replies.
// Integers are varints, checksums and seeds fixed 8 bytes, so an empty
// task costs 16 bytes on the pipe. A task's input and a reply's output
// travel as a length and the bytes themselves, as a pickled bytes object
// does.
const (
	msgTasks   = 'T'
	msgReplies = 'R'

	// MaxFrame bounds a frame's payload, so a corrupt length cannot make
	// the reader allocate without limit.
	MaxFrame = 64 << 20
	// maxOps bounds the ops of one task and maxBatch the tasks of one
	// message, for the same reason.
	maxOps   = 1 << 16
	maxBatch = 1 << 20
)

// ErrCorrupt is wrapped by every decoding error of malformed input.
var ErrCorrupt = errors.New("corrupt message")

// Reply is a task's result as it crosses a pipe, with the task's error as
// text when it failed.
type Reply struct {
	Result
	Err string
}

// AppendTasks appends the encoding of a batch of tasks to dst.
func AppendTasks(dst []byte, ts []Task) []byte {
	dst = append(dst, msgTasks)
	dst = binary.AppendUvarint(dst, uint64(len(ts)))
	for _, t := range ts {
		dst = binary.AppendUvarint(dst, uint64(t.ID))
		dst = binary.LittleEndian.AppendUint64(dst, t.Seed)
		dst = binary.AppendUvarint(dst, uint64(len(t.Ops)))
		for _, op := range t.Ops {
			dst = append(dst, byte(op.Kind), byte(op.Kernel))
			dst = binary.AppendVarint(dst, int64(op.Units))
			dst = binary.AppendVarint(dst, int64(op.Size))
			dst = binary.AppendVarint(dst, int64(op.D))
			dst = binary.AppendVarint(dst, int64(op.Bytes))
		}
		dst = binary.AppendUvarint(dst, uint64(len(t.Input)))
		dst = append(dst, t.Input...)
		dst = binary.AppendUvarint(dst, uint64(t.Output))
	}
	return dst
}

// DecodeTasks decodes a payload written by [AppendTasks]. Malformed input
// gives an error wrapping [ErrCorrupt], never a panic.
func DecodeTasks(p []byte) ([]Task, error) {
	d := decoder{p: p}
	if d.byte() != msgTasks {
		return nil, d.fail("not a task message")
	}
	n := d.count(maxBatch, "tasks")
	ts := make([]Task, 0, n)
	for i := 0; i < n && d.err == nil; i++ {
		t := Task{ID: d.int("task id"), Seed: d.u64()}
		nops := d.count(maxOps, "ops")
		t.Ops = make([]Op, 0, nops)
		for j := 0; j < nops && d.err == nil; j++ {
			op := Op{Kind: Kind(d.byte()), Kernel: Kernel(d.byte())}
			op.Units = d.varint("units")
			op.Size = d.varint("size")
			op.D = time.Duration(d.varint64())
			op.Bytes = d.varint("bytes")
			if d.err == nil {
				if err := op.validate(); err != nil {
					return nil, fmt.Errorf("%w: task %d op %d: %v", ErrCorrupt, t.ID, j, err)
				}
			}
			t.Ops = append(t.Ops, op)
		}
		// The input is copied out of p, as unpickling makes a new bytes
		// object: the caller may reuse p for the next frame.
		if in := d.bytes(d.count(MaxBytes, "input bytes")); len(in) > 0 {
			t.Input = append([]byte(nil), in...)
		}
		t.Output = d.int("output bytes")
		if d.err == nil && t.Output > MaxBytes {
			return nil, fmt.Errorf("%w: task %d: output of %d bytes (max %d)", ErrCorrupt, t.ID, t.Output, MaxBytes)
		}
		ts = append(ts, t)
	}
	return ts, d.end()
}

// AppendReplies appends the encoding of a batch of replies to dst.
func AppendReplies(dst []byte, rs []Reply) []byte {
	dst = append(dst, msgReplies)
	dst = binary.AppendUvarint(dst, uint64(len(rs)))
	for _, r := range rs {
		dst = binary.AppendUvarint(dst, uint64(r.ID))
		dst = binary.LittleEndian.AppendUint64(dst, r.Sum)
		dst = binary.AppendVarint(dst, int64(r.Elapsed))
		dst = binary.AppendUvarint(dst, uint64(r.PID))
		dst = binary.AppendUvarint(dst, uint64(len(r.Err)))
		dst = append(dst, r.Err...)
		dst = binary.AppendUvarint(dst, uint64(len(r.Output)))
		dst = append(dst, r.Output...)
	}
	return dst
}

// DecodeReplies decodes a payload written by [AppendReplies]. Malformed
// input gives an error wrapping [ErrCorrupt], never a panic.
func DecodeReplies(p []byte) ([]Reply, error) {
	d := decoder{p: p}
	if d.byte() != msgReplies {
		return nil, d.fail("not a reply message")
	}
	n := d.count(maxBatch, "replies")
	rs := make([]Reply, 0, n)
	for i := 0; i < n && d.err == nil; i++ {
		var r Reply
		r.ID = d.int("task id")
		r.Sum = d.u64()
		r.Elapsed = time.Duration(d.varint64())
		r.PID = d.int("pid")
		r.Err = string(d.bytes(d.count(MaxFrame, "error bytes")))
		// Copied, as for a task's input: p may be reused.
		if out := d.bytes(d.count(MaxBytes, "output bytes")); len(out) > 0 {
			r.Output = append([]byte(nil), out...)
		}
		rs = append(rs, r)
	}
	return rs, d.end()
}

// decoder reads a payload, remembering the first error so that callers
// can decode a whole record and check once.
type decoder struct {
	p   []byte
	off int
	err error
}

func (d *decoder) fail(msg string) error {
	if d.err == nil {
		d.err = fmt.Errorf("%w at byte %d: %s", ErrCorrupt, d.off, msg)
	}
	return d.err
}

func (d *decoder) byte() byte {
	if d.err != nil || d.off >= len(d.p) {
		d.fail("truncated")
		return 0
	}
	b := d.p[d.off]
	d.off++
	return b
}

func (d *decoder) u64() uint64 {
	if d.err != nil || len(d.p)-d.off < 8 {
		d.fail("truncated")
		return 0
	}
	v := binary.LittleEndian.Uint64(d.p[d.off:])
	d.off += 8
	return v
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.p[d.off:])
	if n <= 0 {
		d.fail("bad varint")
		return 0
	}
	d.off += n
	return v
}

func (d *decoder) varint64() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.p[d.off:])
	if n <= 0 {
		d.fail("bad varint")
		return 0
	}
	d.off += n
	return v
}

// varint reads a signed varint that must fit an int32, as op fields do.
func (d *decoder) varint(what string) int {
	v := d.varint64()
	if v < math.MinInt32 || v > math.MaxInt32 {
		d.fail(what + " out of range")
		return 0
	}
	return int(v)
}

func (d *decoder) int(what string) int {
	v := d.uvarint()
	if v > math.MaxInt32 {
		d.fail(what + " out of range")
		return 0
	}
	return int(v)
}

// count reads a length and checks it against limit and against the bytes
// left, so a corrupt count cannot cause a huge allocation.
func (d *decoder) count(limit int, what string) int {
	v := d.uvarint()
	if v > uint64(limit) || v > uint64(len(d.p)-d.off) {
		d.fail(fmt.Sprintf("%d %s is more than the message holds", v, what))
		return 0
	}
	return int(v)
}

func (d *decoder) bytes(n int) []byte {
	if d.err != nil || len(d.p)-d.off < n {
		d.fail("truncated")
		return nil
	}
	b := d.p[d.off : d.off+n]
	d.off += n
	return b
}

func (d *decoder) end() error {
	if d.err == nil && d.off != len(d.p) {
		d.fail(fmt.Sprintf("%d trailing bytes", len(d.p)-d.off))
	}
	return d.err
}

// WriteFrame writes payload as one length-prefixed frame.
func WriteFrame(w io.Writer, payload []byte) error {
	if len(payload) > MaxFrame {
		return fmt.Errorf("frame of %d bytes exceeds %d", len(payload), MaxFrame)
	}
	var hdr [4]byte
	binary.LittleEndian.PutUint32(hdr[:], uint32(len(payload)))
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	_, err := w.Write(payload)
	return err
}

// ReadFrame reads one frame's payload, reusing buf when it is large enough.
// A clean end of input before a frame gives io.EOF; a frame cut short gives
// io.ErrUnexpectedEOF; an absurd length gives an error wrapping ErrCorrupt.
func ReadFrame(r *bufio.Reader, buf []byte) ([]byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	n := binary.LittleEndian.Uint32(hdr[:])
	if n > MaxFrame {
		return nil, fmt.Errorf("%w: frame length %d exceeds %d", ErrCorrupt, n, MaxFrame)
	}
	if cap(buf) < int(n) {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	if _, err := io.ReadFull(r, buf); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return buf, nil
}
