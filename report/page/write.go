package page

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"golang.org/x/sync/errgroup"

	"github.com/concbench/concbench/report/chart"
)

// Write renders the page into dir: its figures' charts into dir/charts
// (SVG, and PNG unless a chart is SVGOnly), the page as HTML into
// dir/htmlName and as Markdown into dir/mdName. Rendering is most of a
// report's time and the charts are independent, so they render
// concurrently; only the charts the page links are rendered.
func Write(dir string, pg *Page, htmlName, mdName string) error {
	if err := os.MkdirAll(filepath.Join(dir, "charts"), 0o755); err != nil {
		return fmt.Errorf("creating the report directory: %w", err)
	}
	charts := pg.Charts()
	svgs := make([][]byte, len(charts))
	pngs := make([][]byte, len(charts))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
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
		return err
	}
	byChart := make(map[*chart.Chart][]byte, len(charts))
	for i, c := range charts {
		byChart[c] = svgs[i]
		if err := WriteFile(filepath.Join(dir, "charts", c.File+".svg"), svgs[i]); err != nil {
			return err
		}
		if c.SVGOnly {
			continue
		}
		if err := WriteFile(filepath.Join(dir, "charts", c.File+".png"), pngs[i]); err != nil {
			return err
		}
	}
	var buf bytes.Buffer
	if err := WriteHTML(&buf, pg, byChart); err != nil {
		return err
	}
	if err := WriteFile(filepath.Join(dir, htmlName), buf.Bytes()); err != nil {
		return err
	}
	buf.Reset()
	if err := WriteMarkdown(&buf, pg); err != nil {
		return err
	}
	return WriteFile(filepath.Join(dir, mdName), buf.Bytes())
}

// WriteFile writes a file of a report.
func WriteFile(name string, data []byte) error {
	if err := os.WriteFile(name, data, 0o644); err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	return nil
}
