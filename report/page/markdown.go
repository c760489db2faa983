package page

import (
	"bytes"
	"fmt"
	"io"
	"strings"
)

// WriteMarkdown renders the page as Markdown, linking the charts' PNGs
// (their SVGs where only those are rendered).
func WriteMarkdown(w io.Writer, pg *Page) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s\n", pg.Title)
	for _, bl := range pg.Blocks {
		b.WriteByte('\n')
		switch x := bl.(type) {
		case Heading:
			fmt.Fprintf(&b, "%s %s\n", strings.Repeat("#", x.Level), x.Text)
		case Para:
			fmt.Fprintf(&b, "%s\n", mdEscape(x.Text))
		case Bullets:
			for _, it := range x.Items {
				fmt.Fprintf(&b, "- %s\n", mdEscape(it))
			}
		case Table:
			if x.Fold != "" {
				fmt.Fprintf(&b, "<details><summary>%s</summary>\n\n", x.Fold)
			}
			b.WriteString("|")
			for _, h := range x.Head {
				fmt.Fprintf(&b, " %s |", mdCell(h))
			}
			b.WriteString("\n|")
			for i := range x.Head {
				if i < len(x.Numeric) && x.Numeric[i] {
					b.WriteString("---:|")
				} else {
					b.WriteString("---|")
				}
			}
			b.WriteString("\n")
			for _, r := range x.Rows {
				b.WriteString("|")
				for _, c := range r {
					fmt.Fprintf(&b, " %s |", mdCell(c))
				}
				b.WriteString("\n")
			}
			if x.Fold != "" {
				b.WriteString("\n</details>\n")
			}
		case Figure:
			c := x.Chart
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
