package report

import (
	"bytes"
	"path/filepath"

	"github.com/concbench/concbench/report/page"
)

// Report is the whole pipeline: it loads the result files and directories
// in paths, analyses them and writes the report into dir. lax keeps
// malformed lines as warnings. Bad input returns an error wrapping
// *InputError.
func Report(dir string, paths []string, lax bool, opt Options) (*Analysis, error) {
	s, err := Load(paths, LoadOptions{Lax: lax})
	if err != nil {
		return nil, err
	}
	a, err := Analyze(s, opt)
	if err != nil {
		return nil, err
	}
	return a, a.Write(dir, opt)
}

// Write renders the analysis into dir: index.html, summary.md,
// results.csv, verdicts.csv and charts/*.svg and *.png.
func (a *Analysis) Write(dir string, opt Options) error {
	if err := page.Write(dir, a.buildPage(a.Charts(), opt), "index.html", "summary.md"); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, a.Set.Cells, a.Speedups(), a.Predictions()); err != nil {
		return err
	}
	if err := page.WriteFile(filepath.Join(dir, "results.csv"), buf.Bytes()); err != nil {
		return err
	}
	buf.Reset()
	if err := WriteVerdicts(&buf, a.Verdicts, a.Wording()); err != nil {
		return err
	}
	return page.WriteFile(filepath.Join(dir, "verdicts.csv"), buf.Bytes())
}
