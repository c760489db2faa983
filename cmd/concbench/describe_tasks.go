package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/concbench/concbench/bench"
)

// describeTasks prints the CPython suite's cells for profile p at cores
// cores, for the interpreter whose costs the file at costsPath holds ("-":
// standard input), and returns the exit status.
func describeTasks(p bench.Profile, cores int, costsPath string, stdout, stderr io.Writer) int {
	if costsPath == "" {
		fmt.Fprintln(stderr, "concbench describe: -tasks needs -python FILE, the CPython suite's costs (concbench_py --costs)")
		return 2
	}
	in, name := io.Reader(os.Stdin), "standard input"
	if costsPath != "-" {
		f, err := os.Open(costsPath)
		if err != nil {
			fmt.Fprintf(stderr, "concbench describe: %v\n", err)
			return 1
		}
		defer f.Close()
		in, name = f, costsPath
	}
	costs, err := bench.ReadPythonCosts(in, name)
	if err != nil {
		fmt.Fprintf(stderr, "concbench describe: %v\n", err)
		return 1
	}
	set, err := bench.BuildPython(p, cores, costs)
	if err != nil {
		fmt.Fprintf(stderr, "concbench describe: %v\n", err)
		return 1
	}
	w := bufio.NewWriter(stdout)
	if err := set.WriteJSON(w); err != nil {
		fmt.Fprintf(stderr, "concbench describe: %v\n", err)
		return 1
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintf(stderr, "concbench describe: %v\n", err)
		return 1
	}
	return 0
}

// fileList is a flag that repeats, each use one file.
type fileList []string

func (l *fileList) String() string { return strings.Join(*l, " ") }

// Set adds a file.
func (l *fileList) Set(path string) error {
	*l = append(*l, path)
	return nil
}
