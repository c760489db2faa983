package page

import (
	"fmt"
	"html"
	"html/template"
	"io"
	"regexp"
	"strings"

	"github.com/concbench/concbench/report/chart"
)

const css = `
body{font:15px/1.45 -apple-system,"Segoe UI",Roboto,"Liberation Sans",Arial,sans-serif;color:#1d1d1f;margin:0;background:#fafafa}
main{max-width:1040px;margin:0 auto;padding:24px 28px 60px;background:#fff}
h1{font-size:26px;margin:8px 0 4px}h2{font-size:20px;margin:34px 0 10px;border-bottom:1px solid #ddd;padding-bottom:4px}h3{font-size:16px;margin:22px 0 6px}
table{border-collapse:collapse;margin:8px 0 14px;font-size:13px}
th,td{border-bottom:1px solid #e5e5e5;padding:3px 10px;text-align:left;vertical-align:top}
th{background:#f3f3f3;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
ul.warn li{color:#8a2a10}ul li{margin:3px 0}
figure{margin:18px 0 26px}figure svg{width:100%;height:auto;display:block;border:1px solid #e3e3e3}
figcaption{font-size:13px;color:#444;margin-top:6px}figcaption .partial{color:#a8321e;font-weight:600}
nav{font-size:13px;margin:6px 0 10px}nav a{margin-right:12px;color:#1b5fa8;text-decoration:none}
details summary{cursor:pointer;color:#1b5fa8;margin:6px 0}
`

var htmlPage = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>{{.CSS}}</style>
</head>
<body>
<main>
<h1>{{.Title}}</h1>
<nav>{{range .Nav}}<a href="#{{.ID}}">{{.Text}}</a>{{end}}</nav>
{{range .Blocks -}}
{{with .Heading}}{{if eq .Level 2}}<h2 id="{{.ID}}">{{.Text}}</h2>{{else if eq .Level 3}}<h3 id="{{.ID}}">{{.Text}}</h3>{{else}}<h4 id="{{.ID}}">{{.Text}}</h4>{{end}}
{{end -}}
{{with .Para}}<p>{{.Text}}</p>
{{end -}}
{{with .Bullets}}<ul{{with .Class}} class="{{.}}"{{end}}>
{{range .Items}}<li>{{.}}</li>
{{end}}</ul>
{{end -}}
{{with .Table}}{{if .Fold}}<details><summary>{{.Fold}}</summary>
{{end}}<table>
<tr>{{range .Head}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr>{{range .}}{{if .Num}}<td class="n">{{.Text}}</td>{{else}}<td>{{.Text}}</td>{{end}}{{end}}</tr>
{{end}}</table>
{{if .Fold}}</details>
{{end}}{{end -}}
{{with .Figure}}<figure id="chart-{{.File}}" class="chart">
{{.SVG}}
<figcaption>{{.Caption}}{{if .Partial}} <span class="partial">Partial: {{.Partial}}.</span>{{end}} {{if .SVGOnly}}<a href="charts/{{.File}}.svg">SVG</a>{{else}}<a href="charts/{{.File}}.png">PNG</a> · <a href="charts/{{.File}}.svg">SVG</a>{{end}}</figcaption>
</figure>
{{end -}}
{{end -}}
</main>
</body>
</html>
`))

// The template's views of the blocks: one field of a view is set.
type (
	htmlView struct {
		Title  string
		CSS    template.CSS
		Nav    []Heading
		Blocks []htmlBlock
	}
	htmlBlock struct {
		Heading *Heading
		Para    *Para
		Bullets *Bullets
		Table   *htmlTable
		Figure  *htmlFigure
	}
	htmlTable struct {
		Head []string
		Rows [][]htmlCell
		Fold string
	}
	htmlCell struct {
		Text string
		Num  bool
	}
	htmlFigure struct {
		*chart.Chart
		SVG template.HTML
	}
)

// WriteHTML renders the page as one self-contained HTML document, each
// figure's chart inline from svgs (its SVG document, as chart.SVG renders
// it).
func WriteHTML(w io.Writer, pg *Page, svgs map[*chart.Chart][]byte) error {
	v := htmlView{Title: pg.Title, CSS: template.CSS(css)}
	for _, bl := range pg.Blocks {
		var b htmlBlock
		switch x := bl.(type) {
		case Heading:
			b.Heading = &x
			if x.Level == 2 {
				v.Nav = append(v.Nav, x)
			}
		case Para:
			b.Para = &x
		case Bullets:
			b.Bullets = &x
		case Table:
			t := &htmlTable{Head: x.Head, Fold: x.Fold}
			for _, r := range x.Rows {
				row := make([]htmlCell, len(r))
				for i, c := range r {
					row[i] = htmlCell{c, i < len(x.Numeric) && x.Numeric[i]}
				}
				t.Rows = append(t.Rows, row)
			}
			b.Table = t
		case Figure:
			svg, ok := svgs[x.Chart]
			if !ok {
				return fmt.Errorf("writing the page: chart %s was not rendered", x.Chart.File)
			}
			// The SVG is the chart package's own output, made ready for
			// inlining: trusted markup, not text to escape.
			b.Figure = &htmlFigure{x.Chart, template.HTML(inlineSVG(svg, x.Chart))}
		}
		v.Blocks = append(v.Blocks, b)
	}
	return htmlPage.Execute(w, v)
}

var (
	xmlDecl = regexp.MustCompile(`(?s)^<\?xml.*?\?>\s*(<!DOCTYPE[^>]*>\s*)?(<!--.*?-->\s*)*`)
	svgOpen = regexp.MustCompile(`(?s)^<svg\b[^>]*>`)
	svgSize = regexp.MustCompile(`\s(width|height|viewBox)="[^"]*"`)
)

// inlineSVG prepares a chart's SVG document for an HTML page: no XML
// declaration or leading comment (vgsvg writes one), one viewBox, of the
// chart's own size, in place of vgsvg's size attributes so that it
// scales, a title for screen readers, and element ids made unique per
// chart.
func inlineSVG(svg []byte, c *chart.Chart) string {
	s := string(xmlDecl.ReplaceAll(svg, nil))
	open := svgOpen.FindString(s)
	if open == "" {
		return s
	}
	// The chart's own size: a chart of panels can be taller than most.
	w, h := c.Size()
	tag := svgSize.ReplaceAllString(open, "")
	tag = strings.TrimSuffix(tag, ">") + fmt.Sprintf(` viewBox="0 0 %g %g" role="img" aria-labelledby="title-%s">`, w, h, c.File) +
		fmt.Sprintf(`<title id="title-%s">%s</title>`, c.File, html.EscapeString(c.Title))
	s = tag + s[len(open):]
	// vgsvg numbers clip paths and such from 1 in every document; inline,
	// ids must be unique across the page.
	s = strings.ReplaceAll(s, `id="`, `id="`+c.File+`-`)
	s = strings.ReplaceAll(s, `url(#`, `url(#`+c.File+`-`)
	s = strings.ReplaceAll(s, `id="`+c.File+`-title-`, `id="title-`)
	return s
}
