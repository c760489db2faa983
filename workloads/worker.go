package workloads

import (
	"bufio"
	"context"
	"fmt"
	"io"
)

// ServeWorker is a worker process's loop: it reads frames of tasks from r,
// runs each task with [Exec], one at a time, and writes one frame of
// replies per frame of tasks to w. It returns nil at a clean end of input,
// which is how a parent tells a worker to exit.
func ServeWorker(env *Env, r io.Reader, w io.Writer) error {
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
