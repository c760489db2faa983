package report

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sync"
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
// results.csv and charts/*.svg and *.png.
func (a *Analysis) Write(dir string, opt Options) error {
	if err := os.MkdirAll(filepath.Join(dir, "charts"), 0o755); err != nil {
		return fmt.Errorf("creating the report directory: %w", err)
	}
	charts := a.Charts()
	svgs := make([][]byte, len(charts))
	pngs := make([][]byte, len(charts))
	errs := make([]error, len(charts))
	// Rendering is most of a report's time; charts are independent.
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i, c := range charts {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if svgs[i], errs[i] = c.SVG(); errs[i] != nil {
				return
			}
			pngs[i], errs[i] = c.PNG()
		}()
	}
	wg.Wait()
	for i, c := range charts {
		if errs[i] != nil {
			return errs[i]
		}
		if err := writeFile(filepath.Join(dir, "charts", c.File+".svg"), svgs[i]); err != nil {
			return err
		}
		if err := writeFile(filepath.Join(dir, "charts", c.File+".png"), pngs[i]); err != nil {
			return err
		}
	}
	pg := a.buildPage(charts, svgs, opt)
	var buf bytes.Buffer
	if err := writeHTML(&buf, pg); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dir, "index.html"), buf.Bytes()); err != nil {
		return err
	}
	buf.Reset()
	if err := writeMarkdown(&buf, pg); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dir, "summary.md"), buf.Bytes()); err != nil {
		return err
	}
	buf.Reset()
	if err := WriteCSV(&buf, a.Set.Cells); err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, "results.csv"), buf.Bytes())
}

func writeFile(name string, data []byte) error {
	if err := os.WriteFile(name, data, 0o644); err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	return nil
}
