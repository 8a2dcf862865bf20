package extract

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// MaxColumns bounds the value columns of a CSVFile, so a peer that sends ever new
// names cannot grow every row without end; values under later names are counted
// (Ignored) and not written.
const MaxColumns = 1024

// TimeLayout is how a CSVFile writes the time column: local time to the
// millisecond with its UTC offset, which spreadsheets and scripts read as is.
const TimeLayout = "2006-01-02T15:04:05.000Z07:00"

// CSVFile writes values as a time series: a header "time,NAME,...", then one row
// per Write: the time, then each column's value, empty where the message gave
// none. Columns are in order of first appearance. It is safe for concurrent use.
//
// Rows go to the file as they come (through a buffer: Flush makes the file
// current, for a reader that follows it), so no row waits in memory and none is
// lost if the program dies. A name first seen after the header was written gets
// the next column at once: later rows have the extra field and earlier rows are
// one field short, until Close. Close then rewrites the file with the complete
// header and every row padded to full width, through a temporary file in the same
// directory that is synced and renamed over the original, so the file is either
// the complete, rectangular series or, if the rewrite fails, the original with
// every row (Close returns the error).
type CSVFile struct {
	path string

	mu            sync.Mutex
	f             *os.File
	w             *bufio.Writer
	columns       []string
	index         map[string]int // name -> column, 0-based among the value columns
	headerColumns int            // value columns in the header as written; -1 before it is written
	headerLen     int64          // bytes of the header as written
	row           []float64
	has           []bool
	line          []byte
	ignored       uint64
	err           error // the first write error: later writes are refused with it
	closed        bool
}

// CreateCSV creates (or truncates) the file at path. names are columns known
// before any message (Set.Names); more are added as they appear.
func CreateCSV(path string, names []string) (*CSVFile, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, fmt.Errorf("values CSV: %w", err)
	}
	c := &CSVFile{path: path, f: f, w: bufio.NewWriterSize(f, 64<<10), index: map[string]int{}, headerColumns: -1}
	for _, n := range names {
		c.column(n)
	}
	return c, nil
}

// Path is the file written.
func (c *CSVFile) Path() string { return c.path }

// Columns are the value column names so far, in order.
func (c *CSVFile) Columns() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.columns...)
}

// Ignored counts values not written because their name came after MaxColumns.
func (c *CSVFile) Ignored() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ignored
}

// column is the index of name's column, adding it if it is new; -1 when full.
func (c *CSVFile) column(name string) int {
	if i, ok := c.index[name]; ok {
		return i
	}
	if len(c.columns) >= MaxColumns {
		return -1
	}
	c.index[name] = len(c.columns)
	c.columns = append(c.columns, name)
	c.row = append(c.row, 0)
	c.has = append(c.has, false)
	return len(c.columns) - 1
}

// Write adds the row of one message received at t. A message without values adds
// no row. Of a name given twice, the last value is written. The error is the
// first write error met (by this or an earlier call), or os.ErrClosed.
func (c *CSVFile) Write(t time.Time, values []Value) error {
	if len(values) == 0 {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return os.ErrClosed
	}
	if c.err != nil {
		return c.err
	}
	for _, v := range values {
		i := c.column(v.Name)
		if i < 0 {
			c.ignored++
			continue
		}
		c.row[i], c.has[i] = v.Value, true
	}
	if c.headerColumns < 0 {
		c.writeHeader()
	}
	c.line = t.AppendFormat(c.line[:0], TimeLayout)
	for i := range c.columns {
		c.line = append(c.line, ',')
		if c.has[i] {
			c.line = strconv.AppendFloat(c.line, c.row[i], 'g', -1, 64)
			c.has[i] = false
		}
	}
	c.line = append(c.line, '\n')
	if _, err := c.w.Write(c.line); err != nil {
		c.err = fmt.Errorf("values CSV %s: %w", c.path, err)
	}
	return c.err
}

func (c *CSVFile) writeHeader() {
	header := appendHeader(nil, c.columns)
	c.headerColumns, c.headerLen = len(c.columns), int64(len(header))
	if _, err := c.w.Write(header); err != nil {
		c.err = fmt.Errorf("values CSV %s: %w", c.path, err)
	}
}

// Flush writes what is buffered to the file.
func (c *CSVFile) Flush() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return os.ErrClosed
	}
	return c.flush()
}

func (c *CSVFile) flush() error {
	if c.err == nil {
		if err := c.w.Flush(); err != nil {
			c.err = fmt.Errorf("values CSV %s: %w", c.path, err)
		}
	}
	return c.err
}

// Close completes the file (see CSVFile) and closes it. It is idempotent; later
// calls return nil.
func (c *CSVFile) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	if c.headerColumns < 0 {
		c.writeHeader() // no row came: the file still says what it would hold
	}
	if err := c.flush(); err != nil {
		c.f.Close()
		return err // already says which file
	}
	var complete string
	var err error
	if c.headerColumns < len(c.columns) {
		complete, err = c.completed()
	}
	if err == nil {
		err = c.f.Sync()
	}
	if cerr := c.f.Close(); err == nil {
		err = cerr
	}
	// Renamed only once the original is closed: Windows refuses to replace an open file.
	if err == nil && complete != "" {
		err = os.Rename(complete, c.path)
	}
	if err != nil {
		if complete != "" {
			os.Remove(complete)
		}
		return fmt.Errorf("values CSV %s: %w", c.path, err)
	}
	return nil
}

// completed writes, beside the file, a synced copy with the full header and every
// row padded to it, and returns its name.
func (c *CSVFile) completed() (name string, err error) {
	dir, base := filepath.Split(c.path)
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return "", fmt.Errorf("completing the header: %w", err)
	}
	defer func() {
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(tmp.Name())
			name, err = "", fmt.Errorf("completing the header (the file keeps every row under the first header): %w", err)
		}
	}()
	info, err := c.f.Stat()
	if err != nil {
		return "", err
	}
	if err := tmp.Chmod(info.Mode().Perm()); err != nil {
		return "", err
	}
	w := bufio.NewWriterSize(tmp, 64<<10)
	if _, err := w.Write(appendHeader(nil, c.columns)); err != nil {
		return "", err
	}
	r := bufio.NewReaderSize(io.NewSectionReader(c.f, c.headerLen, info.Size()-c.headerLen), 64<<10)
	if err := padRows(w, r, 1+len(c.columns)); err != nil {
		return "", err
	}
	if err := w.Flush(); err != nil {
		return "", err
	}
	return tmp.Name(), tmp.Sync()
}

// padRows copies rows (which hold no quotes) from r to w, each with commas added
// up to fields fields.
func padRows(w *bufio.Writer, r *bufio.Reader, fields int) error {
	for {
		line, err := r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			return fmt.Errorf("a row longer than %d bytes", r.Size())
		}
		if len(line) > 0 {
			line = bytes.TrimSuffix(line, []byte("\n"))
			w.Write(line)
			for n := bytes.Count(line, []byte(",")) + 1; n < fields; n++ {
				w.WriteByte(',')
			}
			w.WriteByte('\n')
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// appendHeader is the header line: time, then the names, quoted where CSV needs
// it and kept from being run as spreadsheet formulas.
func appendHeader(b []byte, names []string) []byte {
	b = append(b, "time"...)
	for _, n := range names {
		b = append(b, ',')
		b = appendField(b, spreadsheetSafe(n))
	}
	return append(b, '\n')
}

func appendField(b []byte, s string) []byte {
	if !strings.ContainsAny(s, ",\"\r\n") {
		return append(b, s...)
	}
	b = append(b, '"')
	b = append(b, strings.ReplaceAll(s, `"`, `""`)...)
	return append(b, '"')
}

// spreadsheetSafe keeps a name from a message (a JSON key can be anything) from
// being run as a formula when the file is opened in a spreadsheet: such a cell
// gets a leading apostrophe, as OWASP advises.
func spreadsheetSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
