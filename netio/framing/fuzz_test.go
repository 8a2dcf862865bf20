package framing

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"
)

// run feeds stream to a Framer in reads that end at the given offsets (and one
// for the rest), calls Expire after the reads that end at an expire offset, then
// End, and returns the frames. Each read goes through one reused buffer that is
// scribbled over once the framer is done with it, as a socket's buffer is.
func run(t *testing.T, s Spec, maxFrame int, stream []byte, cuts, expires []int) []frameOut {
	t.Helper()
	f := NewFramer(s, maxFrame)
	var out []frameOut
	drain := func() {
		for fr, ok := f.Next(); ok; fr, ok = f.Next() {
			if len(fr.Data) == 0 || len(fr.Data) > maxFrame || !bytes.HasPrefix(fr.Data, fr.Message) {
				t.Fatalf("bad frame %q message %q (max frame %d)", fr.Data, fr.Message, maxFrame)
			}
			out = append(out, frameOut{string(fr.Data), string(fr.Message), fr.Status})
		}
		if cap(f.pend) > maxFrame {
			t.Fatalf("framer holds %d bytes, max frame %d", cap(f.pend), maxFrame)
		}
	}
	buf := make([]byte, len(stream))
	prev := 0
	for _, at := range append(slices.Clone(cuts), len(stream)) {
		n := copy(buf, stream[prev:at])
		f.Feed(buf[:n])
		if slices.Contains(expires, at) {
			f.Expire()
		}
		drain()
		for i := range buf[:n] {
			buf[i] = '#'
		}
		prev = at
	}
	f.End()
	drain()
	if f.Pending() {
		t.Fatal("framer still pending after End")
	}
	return out
}

// FuzzFramingSplit checks the property framing exists for: the frames do not
// depend on how the stream was cut into reads. For every spec the fuzzer comes
// up with, the stream is framed as cut by cuts, one byte per read, and whole,
// and each result must equal the reference (which sees the whole stream at
// once). A cut byte's high bit calls Expire after that read: idle frames end
// there, other modes ignore it. none is checked against the reference only (a
// read is its frame by definition).
//
// FRAMING_FUZZ_MODE=line (or any mode keyword) restricts a run to one mode.
func FuzzFramingSplit(f *testing.F) {
	f.Add("line", uint16(1000), []byte("OK\r\nOK\r\nPING\r\npartial"), []byte{1, 5, 0x83, 1})
	f.Add("line", uint16(3), []byte("abcdefgh\r\nxy\n\n"), []byte{2, 2, 2, 2, 2})
	f.Add("delim:0d0a", uint16(1000), []byte("A\r\r\nB\r\n\r\nC\r"), []byte{2, 1, 1, 1})
	f.Add("delim:616261", uint16(4), []byte("xabababaxxxxxxaba"), []byte{1, 3, 2})
	f.Add("fixed:3", uint16(1000), []byte("abcdefghij"), []byte{1, 4})
	f.Add("fixed:7", uint16(2), []byte("abcdefghijklmnop"), []byte{5})
	f.Add("length:0:1", uint16(1000), []byte("\x03abc\x00\x01z\x05ab"), []byte{2, 3})
	f.Add("length:2:2:le:-1", uint16(1000), []byte("ab\x03\x00xyAB\x00\x00CD\x01\x00"), []byte{3, 1})
	f.Add("length:0:4:-4", uint16(6), []byte("\x00\x00\x00\x0a123456\x00\x00\x00\x02xy\x00\x00\x00\x04"), []byte{7})
	f.Add("length:0:2", uint16(8), []byte("\xff\xffabcdefghijklmnopqrstuvwxyz"), []byte{1, 9})
	f.Add("modbus-tcp", uint16(1000), []byte("\x00\x01\x00\x00\x00\x06\x01\x03\x00\x00\x00\x0a\x00\x02\x00\x00\x00\x05\x01\x03\x02\x00\x07"), []byte{5, 11, 1})
	f.Add("idle:20ms", uint16(5), []byte("hello world, again"), []byte{0x83, 4, 0x85, 0x80})
	f.Add("none", uint16(4), []byte("abcdefghij"), []byte{3, 6})
	only := os.Getenv("FRAMING_FUZZ_MODE")
	f.Fuzz(func(t *testing.T, spec string, maxSeed uint16, stream, cutBytes []byte) {
		s, err := Parse(spec)
		if err != nil {
			if strings.TrimSpace(spec) != "" && !strings.HasPrefix(err.Error(), spec+": ") {
				t.Fatalf("Parse(%q): error %q does not start with the spec", spec, err)
			}
			t.Skip()
		}
		if only != "" && s.Mode().String() != only {
			t.Skip()
		}
		if back, err := Parse(s.String()); err != nil || back != s {
			t.Fatalf("Parse(%q) = %v, %v; want %#v", s.String(), back, err, s)
		}
		maxFrame := 1 + int(maxSeed)%300
		if maxSeed >= 60000 {
			maxFrame = DefaultMaxFrame
		}
		// Reads of 0 to 63 bytes, as cutBytes says.
		var cuts, expires []int
		at := 0
		for _, c := range cutBytes {
			at = min(at+int(c&0x3f), len(stream))
			cuts = append(cuts, at)
			if c&0x80 != 0 {
				expires = append(expires, at)
			}
		}
		readEnds := append(slices.Clone(cuts), len(stream))
		if s.Mode() != Idle {
			want := reference(s, maxFrame, stream, readEnds, nil)
			compare(t, "cut as given", run(t, s, maxFrame, stream, cuts, expires), want)
			if s.Mode() == None {
				return
			}
			compare(t, "one byte per read", run(t, s, maxFrame, stream, everyByte(len(stream)), expires), want)
			compare(t, "one read", run(t, s, maxFrame, stream, nil, nil), want)
			return
		}
		// Idle: frames end where Expire is called, whichever way the reads fell in between.
		want := reference(s, maxFrame, stream, nil, expires)
		compare(t, "cut as given", run(t, s, maxFrame, stream, cuts, expires), want)
		compare(t, "one byte per read", run(t, s, maxFrame, stream, everyByte(len(stream)), expires), want)
		compare(t, "cut only at expiry", run(t, s, maxFrame, stream, expires, expires), want)
	})
}

func everyByte(n int) []int {
	cuts := make([]int, n)
	for i := range cuts {
		cuts[i] = i
	}
	return cuts
}

func compare(t *testing.T, how string, got, want []frameOut) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Fatalf("%s:\n got  %v\n want %v", how, got, want)
	}
}
