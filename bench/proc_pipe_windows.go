package bench

import "os"

// blockingPipe returns an anonymous pipe. os.Pipe's handles on Windows are
// already synchronous (a read blocks its thread, as on Unix) and not
// inheritable: os/exec passes a child only the handles it is given.
func blockingPipe() (r, w *os.File, err error) { return os.Pipe() }
