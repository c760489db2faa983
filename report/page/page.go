// Package page lays out a report's content once and renders it twice: as a
// self-contained HTML document (html/template, styles and charts inline,
// no scripts, nothing fetched) and as Markdown linking the charts' files,
// so that index.html and summary.md say the same things. It knows blocks
// of text, tables and figures, not benchmarks: package report and package
// compare decide what a page says.
package page

import (
	"fmt"
	"strings"

	"github.com/concbench/concbench/report/chart"
)

// A Page is a report's content, independent of its format.
type Page struct {
	Title  string
	Blocks []Block
}

// A Block is one of Heading, Para, Bullets, Table and Figure.
type Block interface{ block() }

// A Heading is a section title; level 2 headings make the HTML's
// navigation bar.
type Heading struct {
	Level int
	Text  string
	ID    string // the HTML anchor
}

// A Para is a paragraph of plain text.
type Para struct{ Text string }

// Bullets are a list; Class "warn" colours it as warnings in HTML.
type Bullets struct {
	Items []string
	Class string
}

// A Table is a header row and rows of cells.
type Table struct {
	Head []string
	Rows [][]string
	// Numeric marks right-aligned columns.
	Numeric []bool
	// Fold, if set, collapses the table under this summary (<details>).
	Fold string
}

// A Figure is a chart, drawn inline in HTML and linked in Markdown.
type Figure struct{ Chart *chart.Chart }

func (Heading) block() {}
func (Para) block()    {}
func (Bullets) block() {}
func (Table) block()   {}
func (Figure) block()  {}

// H adds a heading.
func (p *Page) H(level int, text string) {
	p.Blocks = append(p.Blocks, Heading{level, text, anchor(text)})
}

// P adds a paragraph, formatted as by fmt.Sprintf.
func (p *Page) P(format string, args ...any) {
	p.Blocks = append(p.Blocks, Para{Text: fmt.Sprintf(format, args...)})
}

// Add adds blocks.
func (p *Page) Add(b ...Block) { p.Blocks = append(p.Blocks, b...) }

// Warnings adds a "Warnings" section listing items, coloured as warnings
// in HTML; nothing when there are none.
func (p *Page) Warnings(items []string) {
	if len(items) > 0 {
		p.H(2, "Warnings")
		p.Add(Bullets{Items: items, Class: "warn"})
	}
}

// Has reports whether the page has a heading with text.
func (p *Page) Has(text string) bool {
	for _, b := range p.Blocks {
		if h, ok := b.(Heading); ok && h.Text == text {
			return true
		}
	}
	return false
}

// Charts lists the charts of the page's figures, in page order.
func (p *Page) Charts() []*chart.Chart {
	var out []*chart.Chart
	for _, b := range p.Blocks {
		if f, ok := b.(Figure); ok {
			out = append(out, f.Chart)
		}
	}
	return out
}

func anchor(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-':
			b.WriteByte('-')
		}
	}
	return b.String()
}
