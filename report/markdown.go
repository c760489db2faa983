package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"
)

// writeMarkdown renders the page as Markdown, linking the charts' PNGs.
func writeMarkdown(w io.Writer, pg *page) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s\n", pg.title)
	for _, bl := range pg.blocks {
		b.WriteByte('\n')
		switch x := bl.(type) {
		case heading:
			fmt.Fprintf(&b, "%s %s\n", strings.Repeat("#", x.level), x.text)
		case para:
			fmt.Fprintf(&b, "%s\n", mdEscape(x.text))
		case bullets:
			for _, it := range x.items {
				fmt.Fprintf(&b, "- %s\n", mdEscape(it))
			}
		case table:
			if x.fold != "" {
				fmt.Fprintf(&b, "<details><summary>%s</summary>\n\n", x.fold)
			}
			b.WriteString("|")
			for _, h := range x.head {
				fmt.Fprintf(&b, " %s |", mdCell(h))
			}
			b.WriteString("\n|")
			for i := range x.head {
				if i < len(x.numeric) && x.numeric[i] {
					b.WriteString("---:|")
				} else {
					b.WriteString("---|")
				}
			}
			b.WriteString("\n")
			for _, r := range x.rows {
				b.WriteString("|")
				for _, c := range r {
					fmt.Fprintf(&b, " %s |", mdCell(c))
				}
				b.WriteString("\n")
			}
			if x.fold != "" {
				b.WriteString("\n</details>\n")
			}
		case figure:
			c := x.chart
			ext := "png"
			if c.SVGOnly {
				ext = "svg"
			}
			fmt.Fprintf(&b, "![%s](charts/%s.%s)\n\n%s", mdCell(c.Title), c.File, ext, mdEscape(c.Caption))
			if c.Partial != "" {
				fmt.Fprintf(&b, " **Partial: %s.**", mdEscape(c.Partial))
			}
			fmt.Fprintf(&b, " ([SVG](charts/%s.svg))\n", c.File)
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// mdEscape keeps text from being read as Markdown emphasis.
func mdEscape(s string) string {
	return strings.NewReplacer("*", `\*`, "_", `\_`, "<", "&lt;").Replace(s)
}

func mdCell(s string) string {
	return strings.ReplaceAll(mdEscape(s), "|", `\|`)
}
