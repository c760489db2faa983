// Package testkit holds what the report packages' tests share: golden
// files rewritten by -regen, and the browser check of a page's charts. It
// is imported by tests only.
package testkit

import (
	"bytes"
	"context"
	"flag"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/report/chart"
)

// CheckPNG fails unless data is a PNG of a chart w × h points in size,
// as [chart.Chart.Size] or the chart's SVG gives it, at chart.DPI: 960 ×
// 560 pixels for most, taller for a chart of panels that needs it.
func CheckPNG(t *testing.T, name string, data []byte, w, h float64) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("decoding %s: %v", name, err)
	}
	px := func(pt float64) int { return int(math.Round(pt * chart.DPI / 72)) }
	if b := img.Bounds(); b.Dx() != px(w) || b.Dy() != px(h) {
		t.Errorf("%s is %dx%d, want %dx%d", name, b.Dx(), b.Dy(), px(w), px(h))
	}
}

var svgSize = regexp.MustCompile(`<svg\b[^>]*\bviewBox="0 0 ([0-9.]+) ([0-9.]+)"`)

// SVGSize returns the size in points of the chart an SVG document draws,
// from its viewBox.
func SVGSize(t *testing.T, name string, svg []byte) (w, h float64) {
	t.Helper()
	m := svgSize.FindSubmatch(svg)
	if m == nil {
		t.Fatalf("%s has no viewBox", name)
	}
	w, err := strconv.ParseFloat(string(m[1]), 64)
	if err == nil {
		h, err = strconv.ParseFloat(string(m[2]), 64)
	}
	if err != nil {
		t.Fatalf("%s: viewBox: %v", name, err)
	}
	return w, h
}

var nsPerOp = regexp.MustCompile(`(\s)([0-9.e+]+)(\s+ns/op)`)

// Scaled copies a result set with every ns/op multiplied by f and the
// machine renamed; it returns the copy's path.
func Scaled(t *testing.T, src, dir, machine string, f float64) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(src, "bench.txt"))
	if err != nil {
		t.Fatal(err)
	}
	out := nsPerOp.ReplaceAllFunc(data, func(m []byte) []byte {
		sub := nsPerOp.FindSubmatch(m)
		v, err := strconv.ParseFloat(string(sub[2]), 64)
		if err != nil {
			t.Fatal(err)
		}
		return []byte(string(sub[1]) + strconv.FormatFloat(v*f, 'f', -1, 64) + string(sub[3]))
	})
	out = regexp.MustCompile(`(?m)^machine: .*$`).ReplaceAll(out, []byte("machine: "+machine))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// The copy carries the source's matrix description, ahead of its
	// results: a set is read as one file here.
	if desc, err := os.ReadFile(filepath.Join(src, "matrix.txt")); err == nil {
		out = append(desc, out...)
	}
	path := filepath.Join(dir, "bench.txt")
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Regen is the -regen flag: rewrite golden files instead of comparing.
var Regen = flag.Bool("regen", false, "rewrite the golden files in testdata/")

// CheckGolden compares got with the golden file, or rewrites the file
// with -regen.
func CheckGolden(t *testing.T, golden string, got []byte) {
	t.Helper()
	if *Regen {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run the test with -regen to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs; rerun with -regen if the change is intended:\n%s", golden, FirstDiff(string(got), string(want)))
	}
}

// FirstDiff names the first line where got and want differ.
func FirstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + gl + "\nwant: " + wl
		}
	}
	return ""
}

// CheckBlock checks that the generated block name of the file at path
// (between <!-- figures:name --> and <!-- /figures:name -->) holds text,
// and with -regen rewrites it.
func CheckBlock(t *testing.T, path, name, text string) {
	t.Helper()
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	open, end := []byte("<!-- figures:"+name+" -->\n"), []byte("<!-- /figures:"+name+" -->")
	i, j := bytes.Index(doc, open), bytes.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("%s has no block %s (between %s and %s)", path, name, bytes.TrimSpace(open), end)
	}
	if got := string(doc[i+len(open) : j]); got != text {
		if !*Regen {
			t.Errorf("%s: block %s differs; rerun with -regen:\n got:\n%s\nwant:\n%s", path, name, got, text)
			return
		}
		out := append(append(append([]byte{}, doc[:i+len(open)]...), text...), doc[j:]...)
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

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

// InCI reports whether the tests run in CI, where every check must run:
// CI providers set CI=true, and so does .ci/run.
func InCI() bool { return os.Getenv("CI") == "true" }

// noBrowser skips the test for want of a browser, or fails it in CI, where
// a skipped browser check would let a broken page pass.
func noBrowser(t *testing.T, format string, args ...any) {
	t.Helper()
	if InCI() {
		t.Fatalf(format+" (CI=true: the browser check must run)", args...)
	}
	t.Skipf(format, args...)
}

// ProbeCharts renders the page at path in headless Chromium, with probe
// added to a copy of it, and returns the probe's line for each chart. It
// skips the test in -short mode, and where no Chromium can run unless in CI.
func ProbeCharts(t *testing.T, path string) []string {
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

// CheckChartsDrawn fails for every chart that is not laid out visibly at a
// readable size with at least minPaths drawn paths and some text, and when
// there are not want charts.
func CheckChartsDrawn(t *testing.T, lines []string, want, minPaths int) {
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
