package workloads

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// ServeWorker is a worker process's loop: it reads frames of tasks from r,
// runs each task with [Exec], one at a time, and writes one frame of
// replies per frame of tasks to w. It returns nil at a clean end of input,
// which is how a parent tells a worker to exit.
func ServeWorker(env *Env, r io.Reader, w io.Writer) error {
	return serveWorker(env, r, w, Fault{})
}

// FaultEnv is a test hook: the worker role reads it, and only it, to
// misbehave on purpose, so that the process models' handling of broken
// workers can be tested against real processes. Its value is
// MODE or MODE:ID (see [ParseFault]). Nothing but tests should set it.
const FaultEnv = "CONCBENCH_WORKER_FAULT"

// Fault is a misbehaviour injected into a worker through [FaultEnv].
type Fault struct {
	// Mode is one of:
	//   - "garbage": answer with a well-framed payload that is not a reply
	//     message, then carry on serving;
	//   - "truncate": write a reply frame cut short and exit with status 0,
	//     so only the frame shows that something is wrong;
	//   - "hang": read the task and never answer (until killed);
	//   - "die-after-read": read the task and exit with status 3 without
	//     answering.
	//
	// Empty means no fault.
	Mode string
	// Task is the ID of the task that triggers the fault; -1 means any.
	Task int
}

// ParseFault parses a [FaultEnv] value: "MODE" (any task) or "MODE:ID".
// An empty string is no fault.
func ParseFault(s string) (Fault, error) {
	if s == "" {
		return Fault{}, nil
	}
	mode, id, hasID := strings.Cut(s, ":")
	f := Fault{Mode: mode, Task: -1}
	switch mode {
	case "garbage", "truncate", "hang", "die-after-read":
	default:
		return Fault{}, fmt.Errorf("%s=%q: unknown fault mode %q", FaultEnv, s, mode)
	}
	if hasID {
		n, err := strconv.Atoi(id)
		if err != nil || n < 0 {
			return Fault{}, fmt.Errorf("%s=%q: bad task id %q", FaultEnv, s, id)
		}
		f.Task = n
	}
	return f, nil
}

func (f Fault) hits(ts []Task) bool {
	if f.Mode == "" {
		return false
	}
	for _, t := range ts {
		if f.Task < 0 || t.ID == f.Task {
			return true
		}
	}
	return false
}

// faultExitCode is the status of a worker that dies on purpose, so a test
// can tell it from a crash.
const faultExitCode = 3

// errFaultExit makes ChildMain exit with faultExitCode.
type errFaultExit struct{}

func (errFaultExit) Error() string { return "injected fault die-after-read" }

func serveWorker(env *Env, r io.Reader, w io.Writer, fault Fault) error {
	br := bufio.NewReader(r)
	bw := bufio.NewWriter(w)
	var in, out []byte
	for {
		p, err := ReadFrame(br, in)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading task frame: %w", err)
		}
		in = p
		ts, err := DecodeTasks(p)
		if err != nil {
			return fmt.Errorf("decoding task frame: %w", err)
		}
		if fault.hits(ts) {
			switch fault.Mode {
			case "garbage":
				if err := WriteFrame(bw, []byte("\x00garbage\xff\xfe")); err != nil {
					return err
				}
				if err := bw.Flush(); err != nil {
					return err
				}
				continue
			case "truncate":
				// A header that promises 64 bytes, then 5 of them, then exit.
				var hdr [4]byte
				binary.LittleEndian.PutUint32(hdr[:], 64)
				bw.Write(hdr[:])
				bw.Write([]byte{msgReplies, 1, 0, 0, 0})
				return bw.Flush()
			case "hang":
				time.Sleep(24 * time.Hour)
				return nil
			case "die-after-read":
				return errFaultExit{}
			}
		}
		replies := make([]Reply, len(ts))
		for i, t := range ts {
			res, err := Exec(context.Background(), env, t)
			replies[i] = Reply{Result: res}
			if err != nil {
				replies[i].Err = err.Error()
			}
		}
		out = AppendReplies(out[:0], replies)
		if err := WriteFrame(bw, out); err != nil {
			return fmt.Errorf("writing reply frame: %w", err)
		}
		if err := bw.Flush(); err != nil {
			return fmt.Errorf("writing reply frame: %w", err)
		}
	}
}
