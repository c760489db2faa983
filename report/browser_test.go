package report

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// probe is appended to a copy of index.html: the page itself has no
// script. It reports each chart's rendered size and drawn content.
const probe = `<script>
addEventListener('load', () => {
  const out = [];
  for (const f of document.querySelectorAll('figure.chart')) {
    const svg = f.querySelector('svg');
    const r = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
    const st = svg ? getComputedStyle(svg) : {};
    let drawn = 0;
    if (svg) for (const p of svg.querySelectorAll('path')) { const b = p.getBBox(); if (b.width > 0 || b.height > 0) drawn++; }
    const texts = svg ? svg.querySelectorAll('text').length : 0;
    out.push(f.id + ' ' + Math.round(r.width) + 'x' + Math.round(r.height) + ' ' + st.display + ' ' + st.visibility + ' paths=' + drawn + ' texts=' + texts);
  }
  const pre = document.createElement('pre');
  pre.id = 'probe';
  pre.textContent = 'PROBE-BEGIN\n' + out.join('\n') + '\nPROBE-END';
  document.body.appendChild(pre);
});
</script>`

func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestBrowserShowsEveryChart renders index.html in headless Chromium and
// checks that every chart is laid out at a readable size and has drawn
// content. It is skipped where no Chromium is installed or can run, except
// in CI (CI=true), where it fails (.ci/run installs Debian's).
func TestBrowserShowsEveryChart(t *testing.T) {
	dir := reportOf(t, "synthetic")
	lines := probeCharts(t, filepath.Join(dir, "index.html"))
	t.Logf("charts as the browser laid them out:\n%s", strings.Join(lines, "\n"))
	checkChartsDrawn(t, lines, 14, 20)
}

// inCI reports whether the tests run in CI, where every check must run:
// CI providers set CI=true, and so does .ci/run.
func inCI() bool { return os.Getenv("CI") == "true" }

// noBrowser skips the test for want of a browser, or fails it in CI, where
// a skipped browser check would let a broken page pass.
func noBrowser(t *testing.T, format string, args ...any) {
	t.Helper()
	if inCI() {
		t.Fatalf(format+" (CI=true: the browser check must run)", args...)
	}
	t.Skipf(format, args...)
}

// probeCharts renders the page at path in headless Chromium, with probe
// added to a copy of it, and returns the probe's line for each chart. It
// skips the test in -short mode, and where no Chromium can run unless in CI.
func probeCharts(t *testing.T, path string) []string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: skipping the browser check")
	}
	bin := chromium()
	if bin == "" {
		noBrowser(t, "no Chromium found (chromium, chromium-browser): cannot check the page in a browser; apt-get install chromium")
	}
	html, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	page := filepath.Join(tmp, "probe.html")
	if err := os.WriteFile(page, bytes.Replace(html, []byte("</body>"), []byte(probe+"</body>"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
		"--user-data-dir="+filepath.Join(tmp, "profile"), "--window-size=1100,900", "--virtual-time-budget=10000",
		"--dump-dom", "file://"+page)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		noBrowser(t, "Chromium could not run here (%v); stderr: %.500s", err, stderr.String())
	}
	m := regexp.MustCompile(`(?s)PROBE-BEGIN\n(.*?)\nPROBE-END`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no probe output in the DOM dump (%d bytes); stderr: %.500s", len(out), stderr.String())
	}
	return strings.Split(string(m[1]), "\n")
}

// checkChartsDrawn fails for every chart that is not laid out visibly at a
// readable size with at least minPaths drawn paths and some text, and when
// there are not want charts.
func checkChartsDrawn(t *testing.T, lines []string, want, minPaths int) {
	t.Helper()
	if len(lines) != want {
		t.Errorf("browser saw %d charts, want %d:\n%s", len(lines), want, strings.Join(lines, "\n"))
	}
	re := regexp.MustCompile(`^chart-(\S+) (\d+)x(\d+) (\S+) (\S+) paths=(\d+) texts=(\d+)$`)
	for _, l := range lines {
		f := re.FindStringSubmatch(l)
		if f == nil {
			t.Errorf("bad probe line %q", l)
			continue
		}
		w, h, paths, texts := atoi(f[2]), atoi(f[3]), atoi(f[6]), atoi(f[7])
		if w < 600 || h < 300 || f[4] == "none" || f[5] != "visible" || paths < minPaths || texts < 5 {
			t.Errorf("chart %s is not visibly drawn: %s", f[1], l)
		}
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}
