package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// bench is one run: its configuration, programs, results and notes.
type bench struct {
	cfg   config
	bins  bins
	dir   string
	rows  []row
	notes []string
}

// row is one line of the table. Ratio is sockdesk over baseline; pass is what
// the target says of the figures ("" when the row has no target).
type row struct {
	id, what           string
	sockdesk, baseline string
	ratio              string
	target             string
	pass               string
}

func (b *bench) add(r row) { b.rows = append(b.rows, r) }

func (b *bench) notef(id, format string, a ...any) {
	line := fmt.Sprintf("[%s] "+format, append([]any{id}, a...)...)
	b.notes = append(b.notes, line)
	fmt.Println(line)
}

// fail records a case that could not run to its end.
func (b *bench) fail(id string, err error) {
	b.add(row{id: id, what: "could not run: " + firstLine(err.Error()), pass: "ERROR"})
	b.notef(id, "error: %v", err)
}

func passMiss(ok bool) string {
	if ok {
		return "pass"
	}
	return "MISS"
}

func (b *bench) printTable(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "case\twhat\tsockdesk\tbaseline\tratio\ttarget\tresult")
	for _, r := range b.rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.id, r.what, r.sockdesk, r.baseline, r.ratio, r.target, r.pass)
	}
	tw.Flush()
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

func mbps(bytes int64, secs float64) float64 { return float64(bytes) / secs / 1e6 }
