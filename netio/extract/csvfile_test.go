package extract

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.FixedZone("CST", 8*3600))

func at(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// noTempFiles checks the directory holds only the CSV file.
func noTempFiles(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

func TestCSVFileColumnsFromTheFirstRow(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v.csv")
	c, err := CreateCSV(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	must(t, c.Write(at(0), vals("温度", 23.5, "湿度", 41)))
	must(t, c.Write(at(1500), nil)) // no values: no row
	must(t, c.Write(at(2000), vals("湿度", 42, "湿度", 43)))
	must(t, c.Close())
	want := "time,温度,湿度\n" +
		"2025-03-01T12:00:00.000+08:00,23.5,41\n" +
		"2025-03-01T12:00:02.000+08:00,,43\n"
	if got := readFile(t, path); got != want {
		t.Errorf("file:\n%s\nwant:\n%s", got, want)
	}
	if !errors.Is(c.Write(at(3000), vals("a", 1)), os.ErrClosed) || c.Close() != nil {
		t.Error("after Close: Write must say closed, Close must be a no-op")
	}
}

// A name that first appears after rows were written: the rows go to the file at
// once (ragged), and Close completes the header and pads every row.
func TestCSVFileLateNames(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "v.csv")
	c, err := CreateCSV(path, []string{"rpm"})
	if err != nil {
		t.Fatal(err)
	}
	must(t, c.Write(at(0), vals("a", 1)))
	must(t, c.Write(at(1), vals("b", 2, "a", 3)))
	must(t, c.Write(at(2), vals("c", -4e-7)))
	must(t, c.Flush())
	live := "time,rpm,a\n" +
		"2025-03-01T12:00:00.000+08:00,,1\n" +
		"2025-03-01T12:00:00.001+08:00,,3,2\n" +
		"2025-03-01T12:00:00.002+08:00,,,,-4e-07\n"
	if got := readFile(t, path); got != live {
		t.Errorf("while open:\n%s\nwant:\n%s", got, live)
	}
	if got := strings.Join(c.Columns(), " "); got != "rpm a b c" {
		t.Errorf("columns %q", got)
	}
	must(t, c.Close())
	want := "time,rpm,a,b,c\n" +
		"2025-03-01T12:00:00.000+08:00,,1,,\n" +
		"2025-03-01T12:00:00.001+08:00,,3,2,\n" +
		"2025-03-01T12:00:00.002+08:00,,,,-4e-07\n"
	if got := readFile(t, path); got != want {
		t.Errorf("closed:\n%s\nwant:\n%s", got, want)
	}
	noTempFiles(t, dir)
}

func TestCSVFileManyRowsSurviveTheRewrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v.csv")
	c, err := CreateCSV(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	const rows = 20000 // several buffers' worth
	for i := range rows {
		v := vals("x", i)
		if i == rows/2 {
			v = append(v, vals("late", 1)...)
		}
		must(t, c.Write(at(i), v))
	}
	must(t, c.Close())
	lines := strings.Split(strings.TrimSuffix(readFile(t, path), "\n"), "\n")
	if len(lines) != rows+1 || lines[0] != "time,x,late" {
		t.Fatalf("%d lines, header %q", len(lines), lines[0])
	}
	for i, l := range lines[1:] {
		if strings.Count(l, ",") != 2 {
			t.Fatalf("row %d not padded: %q", i, l)
		}
	}
	if !strings.HasSuffix(lines[rows/2+1], ",10000,1") || !strings.HasSuffix(lines[rows], ",19999,") {
		t.Errorf("rows %q %q", lines[rows/2+1], lines[rows])
	}
}

func TestCSVFileNoRowsHasTheHeader(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v.csv")
	c, err := CreateCSV(path, []string{"a", "b"})
	if err != nil {
		t.Fatal(err)
	}
	must(t, c.Close())
	if got := readFile(t, path); got != "time,a,b\n" {
		t.Errorf("file %q", got)
	}
}

func TestCSVFileHeaderIsQuotedAndSafe(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v.csv")
	c, err := CreateCSV(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	must(t, c.Write(at(0), vals(`a,"b"`, 1, "=HYPERLINK(1)", 2, "line\nbreak", 3)))
	must(t, c.Close())
	want := "time,\"a,\"\"b\"\"\",'=HYPERLINK(1),\"line\nbreak\"\n2025-03-01T12:00:00.000+08:00,1,2,3\n"
	if got := readFile(t, path); got != want {
		t.Errorf("file %q\nwant %q", got, want)
	}
}

func TestCSVFileColumnsAreBounded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v.csv")
	c, err := CreateCSV(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	var row []Value
	for i := range MaxColumns + 5 {
		row = append(row, Value{Name: "n" + strconv.Itoa(i), Value: 1})
	}
	must(t, c.Write(at(0), row))
	must(t, c.Close())
	if c.Ignored() != 5 || len(c.Columns()) != MaxColumns {
		t.Errorf("ignored %d, %d columns", c.Ignored(), len(c.Columns()))
	}
}

func TestCSVFileReportsWriteErrors(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full here")
	}
	c, err := CreateCSV("/dev/full", nil)
	if err != nil {
		t.Fatal(err)
	}
	var werr error
	for i := 0; i < 100000 && werr == nil; i++ {
		werr = c.Write(at(i), vals("x", i))
	}
	if werr == nil {
		werr = c.Flush()
	}
	if werr == nil || !strings.Contains(werr.Error(), "/dev/full") {
		t.Fatalf("write error: %v", werr)
	}
	if err := c.Write(at(0), vals("x", 1)); err == nil {
		t.Error("a write after the error was accepted")
	}
	if err := c.Close(); err == nil {
		t.Error("Close did not report the error")
	}
}

func TestCSVFileCreateError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no", "such", "dir.csv")
	if _, err := CreateCSV(path, nil); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("got %v", err)
	}
}

// The rewrite fails (here: the path has become a directory): Close says so and
// leaves no temporary file.
func TestCSVFileRewriteFailure(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "v.csv")
	c, err := CreateCSV(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	must(t, c.Write(at(0), vals("a", 1)))
	must(t, c.Write(at(1), vals("b", 2)))
	must(t, os.Remove(path))
	must(t, os.MkdirAll(filepath.Join(path, "x"), 0o755))
	if err := c.Close(); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("Close: %v", err)
	}
	noTempFiles(t, dir)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
