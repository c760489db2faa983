package report

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sync/errgroup"
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
	svgs, err := renderCharts(dir, charts)
	if err != nil {
		return err
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
	if err := WriteCSV(&buf, a.Set.Cells, a.Predictions()); err != nil {
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

// renderCharts renders every chart to SVG and PNG, writes both into
// dir/charts, and returns the SVGs for inlining. Rendering is most of a
// report's time and the charts are independent, so four render at once.
func renderCharts(dir string, charts []*Chart) ([][]byte, error) {
	svgs := make([][]byte, len(charts))
	pngs := make([][]byte, len(charts))
	var g errgroup.Group
	g.SetLimit(4)
	for i, c := range charts {
		g.Go(func() error {
			var err error
			if svgs[i], err = c.SVG(); err != nil {
				return err
			}
			if !c.SVGOnly {
				pngs[i], err = c.PNG()
			}
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for i, c := range charts {
		if err := writeFile(filepath.Join(dir, "charts", c.File+".svg"), svgs[i]); err != nil {
			return nil, err
		}
		if c.SVGOnly {
			continue
		}
		if err := writeFile(filepath.Join(dir, "charts", c.File+".png"), pngs[i]); err != nil {
			return nil, err
		}
	}
	return svgs, nil
}
