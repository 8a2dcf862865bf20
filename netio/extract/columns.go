package extract

import (
	"strconv"
	"strings"
)

// columns reads separated numbers, naming them v1, v2, ... by column. Fields are
// separated by commas, semicolons or tabs, or, on a line that has none of these,
// by runs of spaces. Every line of the message is a record of its own, starting
// again at v1. A field that is not a number (a header, an empty field) gives no
// value but keeps its column, so v3 is always the third column.
func (x *extractor) columns(s string) {
	for len(s) > 0 && !x.full() {
		line := s
		if nl := strings.IndexByte(s, '\n'); nl >= 0 {
			line, s = s[:nl], s[nl+1:]
		} else {
			s = ""
		}
		x.columnsOfLine(line)
	}
}

func (x *extractor) columnsOfLine(line string) {
	bySpace := true
	for i := 0; i < len(line); i++ {
		if c := line[i]; c == ',' || c == ';' || c == '\t' {
			bySpace = false
			break
		}
	}
	column := 0
	for i := 0; i <= len(line) && !x.full(); {
		if bySpace {
			for i < len(line) && isSpace(line[i]) {
				i++
			}
			if i == len(line) {
				return
			}
		}
		end := i
		for end < len(line) && !isSeparator(line[end], bySpace) {
			end++
		}
		column++
		if v, _, ok := leadingNumber(trimSpace(line[i:end])); ok {
			x.add(x.columnName(column), v)
		}
		i = end + 1
	}
}

func isSeparator(c byte, bySpace bool) bool {
	if bySpace {
		return isSpace(c)
	}
	return c == ',' || c == ';' || c == '\t'
}

// columnName is "v" and the 1-based column number.
func (x *extractor) columnName(column int) string {
	if column < len(columnNames) {
		return columnNames[column]
	}
	var buf [24]byte
	return x.names.intern(strconv.AppendInt(append(buf[:0], 'v'), int64(column), 10))
}

// columnNames are the names of the columns most messages have, made once.
var columnNames = func() []string {
	names := make([]string, 65)
	for i := 1; i < len(names); i++ {
		names[i] = "v" + strconv.Itoa(i)
	}
	return names
}()
