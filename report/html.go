package report

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"regexp"
	"strings"
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

// writeHTML renders the page as one self-contained HTML document: styles
// and charts inline, no scripts, nothing fetched.
func writeHTML(w io.Writer, pg *page) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>%s</title>\n<style>%s</style>\n</head>\n<body>\n<main>\n<h1>%s</h1>\n",
		html.EscapeString(pg.title), css, html.EscapeString(pg.title))
	b.WriteString("<nav>")
	for _, bl := range pg.blocks {
		if h, ok := bl.(heading); ok && h.level == 2 {
			fmt.Fprintf(&b, "<a href=\"#%s\">%s</a>", h.id, html.EscapeString(h.text))
		}
	}
	b.WriteString("</nav>\n")
	for _, bl := range pg.blocks {
		switch x := bl.(type) {
		case heading:
			fmt.Fprintf(&b, "<h%d id=\"%s\">%s</h%d>\n", x.level, x.id, html.EscapeString(x.text), x.level)
		case para:
			fmt.Fprintf(&b, "<p>%s</p>\n", html.EscapeString(x.text))
		case bullets:
			if x.class != "" {
				fmt.Fprintf(&b, "<ul class=\"%s\">\n", x.class)
			} else {
				b.WriteString("<ul>\n")
			}
			for _, it := range x.items {
				fmt.Fprintf(&b, "<li>%s</li>\n", html.EscapeString(it))
			}
			b.WriteString("</ul>\n")
		case table:
			if x.fold != "" {
				fmt.Fprintf(&b, "<details><summary>%s</summary>\n", html.EscapeString(x.fold))
			}
			b.WriteString("<table>\n<tr>")
			for _, h := range x.head {
				fmt.Fprintf(&b, "<th>%s</th>", html.EscapeString(h))
			}
			b.WriteString("</tr>\n")
			for _, r := range x.rows {
				b.WriteString("<tr>")
				for i, cell := range r {
					if i < len(x.numeric) && x.numeric[i] {
						fmt.Fprintf(&b, "<td class=\"n\">%s</td>", html.EscapeString(cell))
					} else {
						fmt.Fprintf(&b, "<td>%s</td>", html.EscapeString(cell))
					}
				}
				b.WriteString("</tr>\n")
			}
			b.WriteString("</table>\n")
			if x.fold != "" {
				b.WriteString("</details>\n")
			}
		case figure:
			fmt.Fprintf(&b, "<figure id=\"chart-%s\" class=\"chart\">\n", x.chart.File)
			b.Write(inlineSVG(x.svg, x.chart))
			fmt.Fprintf(&b, "\n<figcaption>%s", html.EscapeString(x.chart.Caption))
			if x.chart.Partial != "" {
				fmt.Fprintf(&b, " <span class=\"partial\">Partial: %s.</span>", html.EscapeString(x.chart.Partial))
			}
			if x.chart.SVGOnly {
				fmt.Fprintf(&b, " <a href=\"charts/%s.svg\">SVG</a></figcaption>\n</figure>\n", x.chart.File)
			} else {
				fmt.Fprintf(&b, " <a href=\"charts/%s.png\">PNG</a> · <a href=\"charts/%s.svg\">SVG</a></figcaption>\n</figure>\n", x.chart.File, x.chart.File)
			}
		}
	}
	b.WriteString("</main>\n</body>\n</html>\n")
	_, err := w.Write(b.Bytes())
	return err
}

var (
	xmlDecl  = regexp.MustCompile(`(?s)^<\?xml.*?\?>\s*(<!DOCTYPE[^>]*>\s*)?`)
	svgOpen  = regexp.MustCompile(`(?s)^<svg\b[^>]*>`)
	svgWidth = regexp.MustCompile(`\s(width|height)="[^"]*"`)
)

// inlineSVG prepares a chart's SVG document for an HTML page: no XML
// declaration, a viewBox so it scales, a title for screen readers, and
// element ids made unique per chart.
func inlineSVG(svg []byte, c *Chart) []byte {
	s := string(xmlDecl.ReplaceAll(svg, nil))
	open := svgOpen.FindString(s)
	if open == "" {
		return []byte(s)
	}
	tag := svgWidth.ReplaceAllString(open, "")
	tag = strings.TrimSuffix(tag, ">") + fmt.Sprintf(` viewBox="0 0 %.4g %.4g" role="img" aria-labelledby="title-%s">`, chartW.Points(), chartH.Points(), c.File) +
		fmt.Sprintf(`<title id="title-%s">%s</title>`, c.File, html.EscapeString(c.Title))
	s = tag + s[len(open):]
	// vgsvg numbers clip paths and such from 1 in every document; inline,
	// ids must be unique across the page.
	s = strings.ReplaceAll(s, `id="`, `id="`+c.File+`-`)
	s = strings.ReplaceAll(s, `url(#`, `url(#`+c.File+`-`)
	s = strings.ReplaceAll(s, `id="`+c.File+`-title-`, `id="title-`)
	return []byte(s)
}
