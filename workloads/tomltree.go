package workloads

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// This file reads a TOML document into a tree of values that remember the
// line they were written on, so that a task file's checks, which come after
// TOML's own, can name the line of the value they refuse. go-toml/v2's
// decoder checks the document as TOML (syntax, duplicate keys, redefined
// tables) and its parser gives every key and value its place in the input;
// the tree is built from the parser's expressions.

// tomlKind is the type of a [tomlValue].
type tomlKind uint8

const (
	tomlString tomlKind = iota + 1
	tomlInteger
	tomlFloat
	tomlBool
	tomlDateTime
	tomlArray
	tomlTable
)

func (k tomlKind) String() string {
	switch k {
	case tomlString:
		return "a string"
	case tomlInteger:
		return "an integer"
	case tomlFloat:
		return "a float"
	case tomlBool:
		return "a boolean"
	case tomlDateTime:
		return "a date-time"
	case tomlArray:
		return "an array"
	case tomlTable:
		return "a table"
	}
	return "a value"
}

// tomlValue is one value of a document and the line it starts on (for a
// table, the line of its header or of its first key).
type tomlValue struct {
	kind tomlKind
	line int
	str  string // a string's value; the raw text of other scalars
	num  int64  // an integer's value

	elems []*tomlValue // an array's elements

	keys   []string // a table's keys, in the order written
	fields map[string]*tomlValue
	// keyLines is the line of each key of a table, which is where a
	// value that spans lines (an array) is reported.
	keyLines map[string]int
}

func newTable(line int) *tomlValue {
	return &tomlValue{kind: tomlTable, line: line, fields: map[string]*tomlValue{}, keyLines: map[string]int{}}
}

func (t *tomlValue) set(key string, v *tomlValue, line int) {
	if _, ok := t.fields[key]; !ok {
		t.keys = append(t.keys, key)
	}
	t.fields[key] = v
	t.keyLines[key] = line
}

// parseTOML checks data as TOML and returns its root table. A document that
// is not valid TOML gives an error naming its line.
func parseTOML(data []byte) (*tomlValue, error) {
	var check map[string]any
	if err := toml.Unmarshal(data, &check); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			line, _ := de.Position()
			return nil, &tomlError{line: line, key: strings.Join(de.Key(), "."), msg: strings.TrimPrefix(de.Error(), "toml: ")}
		}
		return nil, &tomlError{line: 1, msg: strings.TrimPrefix(err.Error(), "toml: ")}
	}
	b := treeBuilder{data: data}
	b.p.Reset(data)
	root := newTable(1)
	cur := root
	for b.p.NextExpression() {
		e := b.p.Expression()
		var err error
		switch e.Kind {
		case unstable.KeyValue:
			err = b.keyValue(cur, e)
		case unstable.Table:
			keys, lines := b.key(e.Key())
			cur, err = b.descend(root, keys, lines)
		case unstable.ArrayTable:
			keys, lines := b.key(e.Key())
			cur, err = b.arrayTable(root, keys, lines)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := b.p.Error(); err != nil {
		// The decoder above accepted the document, so the parser should
		// too; say where it stopped all the same.
		return nil, &tomlError{line: 1, msg: err.Error()}
	}
	return root, nil
}

// tomlError is a document that is not valid TOML, or that the tree cannot
// hold.
type tomlError struct {
	line int
	key  string
	msg  string
}

func (e *tomlError) Error() string { return e.msg }

// treeBuilder turns the parser's expressions into a tree.
type treeBuilder struct {
	data []byte
	p    unstable.Parser
}

// line returns the line a node starts on, or def for a node with no place
// in the input (arrays, table headers).
func (b *treeBuilder) line(n *unstable.Node, def int) int {
	if n == nil || (n.Raw.Offset == 0 && n.Raw.Length == 0) {
		return def
	}
	return b.p.Shape(n.Raw).Start.Line
}

// key returns the parts of a (dotted) key and the line of each.
func (b *treeBuilder) key(it unstable.Iterator) (keys []string, lines []int) {
	for it.Next() {
		n := it.Node()
		keys = append(keys, string(n.Data))
		lines = append(lines, b.line(n, 1))
	}
	return keys, lines
}

// descend returns the table at keys below t, creating the tables that do
// not exist yet; a key that holds an array of tables leads to its last
// table, as TOML's headers do.
func (b *treeBuilder) descend(t *tomlValue, keys []string, lines []int) (*tomlValue, error) {
	for i, k := range keys {
		v, ok := t.fields[k]
		if !ok {
			v = newTable(lines[i])
			t.set(k, v, lines[i])
		}
		switch {
		case v.kind == tomlArray && len(v.elems) > 0 && v.elems[len(v.elems)-1].kind == tomlTable:
			v = v.elems[len(v.elems)-1]
		case v.kind != tomlTable:
			return nil, &tomlError{line: lines[i], key: strings.Join(keys[:i+1], "."),
				msg: fmt.Sprintf("%s is %s, not a table", strings.Join(keys[:i+1], "."), v.kind)}
		}
		t = v
	}
	return t, nil
}

// arrayTable appends a table to the array of tables at keys ([[keys]]) and
// returns it.
func (b *treeBuilder) arrayTable(root *tomlValue, keys []string, lines []int) (*tomlValue, error) {
	n := len(keys)
	parent, err := b.descend(root, keys[:n-1], lines[:n-1])
	if err != nil {
		return nil, err
	}
	line := lines[n-1]
	arr, ok := parent.fields[keys[n-1]]
	if !ok {
		arr = &tomlValue{kind: tomlArray, line: line}
		parent.set(keys[n-1], arr, line)
	}
	if arr.kind != tomlArray {
		return nil, &tomlError{line: line, key: strings.Join(keys, "."),
			msg: fmt.Sprintf("%s is %s, not an array of tables", strings.Join(keys, "."), arr.kind)}
	}
	t := newTable(line)
	arr.elems = append(arr.elems, t)
	return t, nil
}

// keyValue sets key = value in the table t.
func (b *treeBuilder) keyValue(t *tomlValue, e *unstable.Node) error {
	keys, lines := b.key(e.Key())
	n := len(keys)
	parent, err := b.descend(t, keys[:n-1], lines[:n-1])
	if err != nil {
		return err
	}
	v, err := b.value(e.Value(), lines[n-1])
	if err != nil {
		return err
	}
	parent.set(keys[n-1], v, lines[n-1])
	return nil
}

// value converts a value node; def is the line of its key, for the nodes
// that have no place of their own.
func (b *treeBuilder) value(n *unstable.Node, def int) (*tomlValue, error) {
	line := b.line(n, def)
	raw := string(n.Data)
	switch n.Kind {
	case unstable.String:
		return &tomlValue{kind: tomlString, line: line, str: raw}, nil
	case unstable.Integer:
		v, err := strconv.ParseInt(strings.ReplaceAll(raw, "_", ""), 0, 64)
		if err != nil {
			return nil, &tomlError{line: line, msg: fmt.Sprintf("integer %s: %v", raw, err)}
		}
		return &tomlValue{kind: tomlInteger, line: line, str: raw, num: v}, nil
	case unstable.Float:
		return &tomlValue{kind: tomlFloat, line: line, str: raw}, nil
	case unstable.Bool:
		return &tomlValue{kind: tomlBool, line: line, str: raw}, nil
	case unstable.DateTime, unstable.LocalDate, unstable.LocalDateTime, unstable.LocalTime:
		return &tomlValue{kind: tomlDateTime, line: line, str: raw}, nil
	case unstable.Array:
		arr := &tomlValue{kind: tomlArray, line: line}
		it := n.Children()
		for it.Next() {
			c := it.Node()
			if c.Kind == unstable.Comment {
				continue
			}
			v, err := b.value(c, line)
			if err != nil {
				return nil, err
			}
			arr.elems = append(arr.elems, v)
		}
		return arr, nil
	case unstable.InlineTable:
		t := newTable(line)
		it := n.Children()
		for it.Next() {
			c := it.Node()
			if c.Kind != unstable.KeyValue {
				continue
			}
			if err := b.keyValue(t, c); err != nil {
				return nil, err
			}
		}
		return t, nil
	}
	return nil, &tomlError{line: line, msg: fmt.Sprintf("unexpected TOML value of kind %s", n.Kind)}
}
