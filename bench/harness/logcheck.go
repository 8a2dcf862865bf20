package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
)

// logSummary is what a sockdesk text log says was received.
type logSummary struct {
	lines     int   // all lines
	received  int   // RECV lines
	bytes     int64 // their byte counts added up
	seqs      int   // RECV lines whose text starts with an in-range sequence number
	dups      int   // sequence numbers seen more than once
	badLines  int   // lines that do not parse
	fileBytes int64
}

// readLog adds up the RECV lines of a text log ("2006-01-02 15:04:05.000 RECV
// tcp [peer] N B: text"). With maxSeq > 0 the text must start with a 10-digit
// sequence number 1..maxSeq (the baseline UDP sender's), each seen once.
func readLog(path string, maxSeq int) (logSummary, error) {
	var s logSummary
	f, err := os.Open(path)
	if err != nil {
		return s, err
	}
	defer f.Close()
	var seen []bool
	if maxSeq > 0 {
		seen = make([]bool, maxSeq+1)
	}
	r := bufio.NewReaderSize(f, 1<<20)
	const stamp = len("2006-01-02 15:04:05.000 ")
	for {
		line, err := r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			return s, fmt.Errorf("%s: a line longer than %d bytes", path, r.Size())
		}
		if len(line) > 0 {
			s.lines++
			s.fileBytes += int64(len(line))
			if len(line) > stamp+5 && string(line[stamp:stamp+5]) == "RECV " {
				n, text, ok := recvLine(line[stamp+5:])
				if !ok {
					s.badLines++
				} else {
					s.received++
					s.bytes += n
					if seen != nil {
						if q, ok := seqOf(text, maxSeq); ok {
							if seen[q] {
								s.dups++
							}
							seen[q] = true
							s.seqs++
						}
					}
				}
			}
		}
		if err == io.EOF {
			return s, nil
		}
		if err != nil {
			return s, err
		}
	}
}

// recvLine parses "tcp [peer] N B: text" into N and text.
func recvLine(b []byte) (int64, []byte, bool) {
	i := bytes.Index(b, []byte("] "))
	if i < 0 {
		return 0, nil, false
	}
	b = b[i+2:]
	j := bytes.Index(b, []byte(" B: "))
	if j < 0 {
		return 0, nil, false
	}
	n, err := strconv.ParseInt(string(b[:j]), 10, 64)
	if err != nil {
		return 0, nil, false
	}
	return n, b[j+4:], true
}

// seqOf reads the 10-digit sequence number at the start of text.
func seqOf(text []byte, maxSeq int) (int, bool) {
	if len(text) < 10 {
		return 0, false
	}
	n := 0
	for _, c := range text[:10] {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, n >= 1 && n <= maxSeq
}

// jsonLogSummary is what a JSON record (a --log-format json log, or --json
// output) says was received and dropped.
type jsonLogSummary struct {
	lines     int
	received  int    // received events
	seqs      int    // of them, with an in-range sequence number
	dups      int    // sequence numbers seen more than once
	dropped   uint64 // the dropped events' counts added up
	badLines  int    // lines that are not an event as sockdesk writes it
	fileBytes int64
}

// readJSONLog adds up a JSON record's received and dropped events. A received
// event's text that starts with a 10-digit sequence number 1..maxSeq is the
// baseline sender's; each must be seen once. Lines are looked at as sockdesk
// writes them, field by field, not decoded: a record of a million datagrams is
// gigabytes.
func readJSONLog(path string, maxSeq int) (jsonLogSummary, error) {
	var s jsonLogSummary
	f, err := os.Open(path)
	if err != nil {
		return s, err
	}
	defer f.Close()
	seen := make([]bool, maxSeq+1)
	r := bufio.NewReaderSize(f, 1<<20)
	for {
		line, err := r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			return s, fmt.Errorf("%s: a line longer than %d bytes", path, r.Size())
		}
		if len(line) > 0 {
			s.lines++
			s.fileBytes += int64(len(line))
			s.add(line, seen, maxSeq)
		}
		if err == io.EOF {
			return s, nil
		}
		if err != nil {
			return s, err
		}
	}
}

func (s *jsonLogSummary) add(line []byte, seen []bool, maxSeq int) {
	event, ok := jsonField(line, `"event":"`)
	if !ok || line[0] != '{' || !bytes.HasSuffix(line, []byte("}\n")) {
		s.badLines++
		return
	}
	switch {
	case bytes.HasPrefix(event, []byte(`received"`)):
		s.received++
		if text, ok := jsonField(line, `"text":"`); ok {
			if q, ok := seqOf(text, maxSeq); ok {
				if seen[q] {
					s.dups++
				}
				seen[q] = true
				s.seqs++
			}
		}
	case bytes.HasPrefix(event, []byte(`dropped"`)):
		v, ok := jsonField(line, `"dropped":`)
		n, err := strconv.ParseUint(string(digitsPrefix(v)), 10, 64)
		if !ok || err != nil {
			s.badLines++
			return
		}
		s.dropped += n
	}
}

// jsonField returns what follows key in line.
func jsonField(line []byte, key string) ([]byte, bool) {
	i := bytes.Index(line, []byte(key))
	if i < 0 {
		return nil, false
	}
	return line[i+len(key):], true
}

func digitsPrefix(b []byte) []byte {
	i := 0
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	return b[:i]
}
