package report

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/concbench/concbench/report/internal/testkit"
)

// TestBrowserShowsEveryChart renders index.html in headless Chromium and
// checks that every chart is laid out at a readable size and has drawn
// content. It is skipped where no Chromium is installed or can run, except
// in CI (CI=true), where it fails (.ci/run installs Debian's).
func TestBrowserShowsEveryChart(t *testing.T) {
	dir := reportOf(t, "synthetic")
	lines := testkit.ProbeCharts(t, filepath.Join(dir, "index.html"))
	t.Logf("charts as the browser laid them out:\n%s", strings.Join(lines, "\n"))
	testkit.CheckChartsDrawn(t, lines, 15, 20) // 13 charts and a winner map per runtime (Go, CPython)
}
