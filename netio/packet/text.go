package packet

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// DefaultHexLimit is how many bytes of a frame WriteText dumps when the
// caller gives no limit: every header and the start of the payload.
const DefaultHexLimit = 256

// WriteText renders f for a terminal, without colour: each layer with its
// byte range, sentence and fields (with where each value came from), then a
// hex dump of the frame's first hexLimit bytes (DefaultHexLimit if
// hexLimit <= 0) in which a row of letters under each line marks every
// byte's layer (E Ethernet, I IP, U UDP, T TCP, A application data).
func WriteText(w io.Writer, f *Frame, hexLimit int) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "Frame: %d bytes", len(f.Bytes))
	if f.Loopback {
		bw.WriteString(" (loopback)")
	}
	bw.WriteString("\n")
	for _, l := range f.Layers {
		fmt.Fprintf(bw, "\n%c %s, bytes %s (%d)\n", l.Mark, l.Name, byteRange(l.Start, l.End), l.End-l.Start)
		fmt.Fprintf(bw, "  %s\n", l.Sentence)
		for _, fl := range l.Fields {
			fmt.Fprintf(bw, "  %-24s %-32s %-8s %s\n", fl.Name, fl.Value, byteRange(fl.Start, fl.End), fl.Source)
		}
	}
	bw.WriteString("\n")
	writeHex(bw, f, hexLimit)
	return bw.Flush()
}

func byteRange(start, end int) string {
	if end-start <= 1 {
		return fmt.Sprint(start)
	}
	return fmt.Sprintf("%d-%d", start, end-1)
}

// writeHex dumps 16 bytes a line: offset, hex, printable ASCII, and under
// the hex a row of layer letters.
func writeHex(w *bufio.Writer, f *Frame, limit int) {
	if limit <= 0 {
		limit = DefaultHexLimit
	}
	marks := make([]byte, len(f.Bytes))
	for _, l := range f.Layers {
		for i := l.Start; i < l.End; i++ {
			marks[i] = l.Mark
		}
	}
	var legend []string
	for _, l := range f.Layers {
		legend = append(legend, string(l.Mark)+" "+l.Name)
	}
	fmt.Fprintf(w, "Hex (%s)\n", strings.Join(legend, ", "))

	n := min(len(f.Bytes), limit)
	for off := 0; off < n; off += 16 {
		line := f.Bytes[off:min(off+16, n)]
		var hexRow, markRow, text strings.Builder
		for i, c := range line {
			if i == 8 {
				hexRow.WriteByte(' ')
				markRow.WriteByte(' ')
			}
			fmt.Fprintf(&hexRow, "%02x ", c)
			markRow.WriteString(string(marks[off+i]) + "  ")
			if c >= 0x20 && c < 0x7f {
				text.WriteByte(c)
			} else {
				text.WriteByte('.')
			}
		}
		fmt.Fprintf(w, "%04x  %-49s %s\n", off, hexRow.String(), text.String())
		fmt.Fprintf(w, "      %s\n", strings.TrimRight(markRow.String(), " "))
	}
	if rest := len(f.Bytes) - n; rest > 0 {
		fmt.Fprintf(w, "... %d more bytes not shown\n", rest)
	}
}
