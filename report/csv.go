package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
)

// CSVHeader is the header of results.csv.
var CSVHeader = []string{"machine", "benchmark", "workload", "model", "cores", "param", "unit", "median", "ci_lo", "ci_hi", "n"}

// WriteCSV writes one tidy row per cell and unit: the median and its 95%
// confidence interval exactly as benchmath computes them (shortest
// round-tripping decimal), and the number of samples.
func WriteCSV(w io.Writer, cells []*Cell) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return fmt.Errorf("writing results.csv: %w", err)
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	for _, c := range cells {
		for _, u := range c.Units {
			s := c.Stats[u]
			rec := []string{c.Machine, c.Bench, c.Workload(), c.Model(), strconv.Itoa(c.Cores), c.Param(), u,
				f(s.Median), f(s.Lo), f(s.Hi), strconv.Itoa(s.N)}
			if err := cw.Write(rec); err != nil {
				return fmt.Errorf("writing results.csv: %w", err)
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("writing results.csv: %w", err)
	}
	return nil
}
