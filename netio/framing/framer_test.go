package framing

import (
	"bytes"
	"encoding/binary"
	"math"
	"runtime"
	"slices"
	"strings"
	"testing"
)

func mustParse(t testing.TB, spec string) Spec {
	t.Helper()
	s, err := Parse(spec)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// frames feeds each read in turn, then ends the stream, and returns every frame.
func frames(t testing.TB, spec string, max int, reads ...string) []frameOut {
	t.Helper()
	f := NewFramer(mustParse(t, spec), max)
	var out []frameOut
	drain := func() {
		for fr, ok := f.Next(); ok; fr, ok = f.Next() {
			out = append(out, frameOut{string(fr.Data), string(fr.Message), fr.Status})
		}
	}
	for _, r := range reads {
		f.Feed([]byte(r))
		drain()
	}
	f.End()
	drain()
	return out
}

func c(data, msg string) frameOut  { return frameOut{data, msg, Complete} }
func whole(data string) frameOut   { return frameOut{data, data, Complete} }
func over(data string) frameOut    { return frameOut{data, data, Overflow} }
func overEnd(d, m string) frameOut { return frameOut{d, m, Overflow} }
func incomplete(d string) frameOut { return frameOut{d, d, Incomplete} }
func malformed(d string) frameOut  { return frameOut{d, d, Malformed} }

func TestFramerModes(t *testing.T) {
	mbap := func(tid uint16, pdu string) string { // a Modbus TCP ADU: MBAP header + unit + PDU
		h := make([]byte, 7)
		binary.BigEndian.PutUint16(h[0:], tid)
		binary.BigEndian.PutUint16(h[4:], uint16(1+len(pdu)))
		h[6] = 0x11
		return string(h) + pdu
	}
	req, resp := mbap(1, "\x03\x00\x6b\x00\x03"), mbap(1, "\x03\x06\x02\x2b\x00\x00\x00\x64")
	tests := []struct {
		name  string
		spec  string
		max   int
		reads []string
		want  []frameOut
	}{
		{"line: coalesced in one read", "line", 0, []string{"OK\r\nOK\r\n"}, []frameOut{c("OK\r\n", "OK"), c("OK\r\n", "OK")}},
		{"line: one frame over many reads", "line", 0, []string{"PI", "N", "G", "\r", "\n"}, []frameOut{c("PING\r\n", "PING")}},
		{"line: LF alone", "line", 0, []string{"a\nb\r\n\n"}, []frameOut{c("a\n", "a"), c("b\r\n", "b"), c("\n", "")}},
		{"line: a CR alone does not end a frame", "line", 0, []string{"a\rb\n"}, []frameOut{c("a\rb\n", "a\rb")}},
		{"line: rest at the end is incomplete", "line", 0, []string{"x\ny", "z"}, []frameOut{c("x\n", "x"), incomplete("yz")}},
		{"line: exactly max is complete", "line", 4, []string{"abc\n"}, []frameOut{c("abc\n", "abc")}},
		{"line: longer than max overflows, tail included", "line", 4, []string{"abcdefghij\r", "\nok\n"},
			[]frameOut{over("abcd"), over("efgh"), overEnd("ij\r\n", "ij"), c("ok\n", "ok")}},
		{"line: CRLF cut by max", "line", 3, []string{"ab\r\nc\n"}, []frameOut{over("ab\r"), overEnd("\n", ""), c("c\n", "c")}},
		{"delim: split across reads", "delim:0d0a", 0, []string{"AB\r", "\nCD\r", "\n"}, []frameOut{c("AB\r\n", "AB"), c("CD\r\n", "CD")}},
		{"delim: byte by byte", "delim:0d0a", 0, strings.Split("x\r\ry\r\n", ""), []frameOut{c("x\r\ry\r\n", "x\r\ry")}},
		{"delim: one byte", "delim:03", 0, []string{"\x02a\x03\x02b", "\x03"}, []frameOut{c("\x02a\x03", "\x02a"), c("\x02b\x03", "\x02b")}},
		{"delim: overlapping", "delim:616261", 0, []string{"xabab", "a", "ba"}, []frameOut{c("xaba", "x"), c("baba", "b")}},
		{"delim: not before its message", "delim:0d0a", 0, []string{"a\r", "\n\n", "b\r\n"}, []frameOut{c("a\r\n", "a"), c("\nb\r\n", "\nb")}},
		{"delim: split by max", "delim:0d0a", 4, []string{"abcde\r", "\nef\r\n"}, []frameOut{over("abcd"), overEnd("e\r\n", "e"), c("ef\r\n", "ef")}},
		{"delim: straddling a max cut", "delim:0d0a", 3, []string{"ab\r\ncdefg"}, []frameOut{over("ab\r"), overEnd("\n", ""), over("cde"), incomplete("fg")}},
		{"fixed: coalesced", "fixed:3", 0, []string{"abcdefgh"}, []frameOut{whole("abc"), whole("def"), incomplete("gh")}},
		{"fixed: split", "fixed:4", 0, []string{"a", "bc", "d", "ef", "gh"}, []frameOut{whole("abcd"), whole("efgh")}},
		{"fixed: N above max", "fixed:5", 2, []string{"abcdefghij"}, []frameOut{over("ab"), over("cd"), over("e"), over("fg"), over("hi"), over("j")}},
		{"length 1 byte", "length:0:1", 0, []string{"\x03abc\x00\x01z"}, []frameOut{whole("\x03abc"), whole("\x00"), whole("\x01z")}},
		{"length 2 bytes be, offset", "length:2:2", 0, []string{"ab\x00", "\x02xy", "cd\x00\x00"}, []frameOut{whole("ab\x00\x02xy"), whole("cd\x00\x00")}},
		{"length 2 bytes le", "length:0:2:le", 0, []string{"\x02\x00xy\x01"}, []frameOut{whole("\x02\x00xy"), incomplete("\x01")}},
		{"length 4 bytes be, ADJUST counts the header", "length:0:4:be:-4", 0, []string{"\x00\x00\x00\x06xy\x00\x00\x00\x04"}, []frameOut{whole("\x00\x00\x00\x06xy"), whole("\x00\x00\x00\x04")}},
		{"length 4 bytes le, positive ADJUST", "length:1:4:le:2", 0, []string{"T\x01\x00\x00\x00", "pcc"}, []frameOut{whole("T\x01\x00\x00\x00pcc")}},
		{"length: field split across reads", "length:1:4", 0, []string{"T\x00", "\x00", "\x00\x01", "!"}, []frameOut{whole("T\x00\x00\x00\x01!")}},
		{"length: shorter than the header", "length:0:2:-4", 0, []string{"\x00\x01\x00\x03\x00\x04xy"}, []frameOut{malformed("\x00\x01"), malformed("\x00\x03"), whole("\x00\x04"), incomplete("xy")}},
		{"length: header longer than max", "length:4:1", 3, []string{"abcd\x02xyz"}, []frameOut{over("abc"), over("d\x02x"), over("y"), incomplete("z")}},
		{"modbus-tcp: request and response coalesced", "modbus-tcp", 0, []string{req + resp}, []frameOut{whole(req), whole(resp)}},
		{"modbus-tcp: split in the MBAP header", "modbus-tcp", 0, []string{req[:3], req[3:5], req[5:] + resp[:9], resp[9:]}, []frameOut{whole(req), whole(resp)}},
		{"none: one frame per read", "none", 0, []string{"ab", "c\nd"}, []frameOut{whole("ab"), whole("c\nd")}},
		{"none: a read longer than max", "none", 2, []string{"abcde", "f"}, []frameOut{over("ab"), over("cd"), over("e"), whole("f")}},
		{"idle: without Expire, only End ends", "idle:20ms", 0, []string{"ab", "cd"}, []frameOut{incomplete("abcd")}},
		{"idle: a full frame waits for the next byte", "idle:20ms", 2, []string{"ab", "c"}, []frameOut{over("ab"), incomplete("c")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := frames(t, tt.spec, tt.max, tt.reads...)
			compare(t, tt.spec, got, tt.want)
			// The same stream in one read and a byte at a time gives the same frames.
			if s := mustParse(t, tt.spec); s.Mode() != None {
				stream := strings.Join(tt.reads, "")
				compare(t, "one read", frames(t, tt.spec, tt.max, stream), tt.want)
				compare(t, "bytes", frames(t, tt.spec, tt.max, strings.Split(stream, "")...), tt.want)
			}
		})
	}
}

func TestIdleExpire(t *testing.T) {
	f := NewFramer(mustParse(t, "idle:20ms"), 4)
	if f.IdleTimeout().Milliseconds() != 20 {
		t.Fatalf("IdleTimeout = %v", f.IdleTimeout())
	}
	next := func() []frameOut {
		var out []frameOut
		for fr, ok := f.Next(); ok; fr, ok = f.Next() {
			out = append(out, frameOut{string(fr.Data), string(fr.Message), fr.Status})
		}
		return out
	}
	if f.Expire(); next() != nil || f.Pending() {
		t.Fatal("Expire with nothing pending made a frame")
	}
	f.Feed([]byte("AB"))
	compare(t, "fed", next(), nil)
	f.Feed([]byte("C"))
	compare(t, "fed", next(), nil)
	if !f.Pending() {
		t.Fatal("not pending with ABC held")
	}
	f.Expire()
	compare(t, "expired", next(), []frameOut{whole("ABC")})
	if f.Pending() {
		t.Fatal("pending after Expire")
	}
	// Exactly max bytes, then the pause: complete.
	f.Feed([]byte("abcd"))
	compare(t, "full", next(), nil)
	f.Expire()
	compare(t, "expired full", next(), []frameOut{whole("abcd")})
	// A message past max: Overflow pieces, the last one too; the next is whole.
	f.Feed([]byte("0123456789"))
	compare(t, "long", next(), []frameOut{over("0123"), over("4567")})
	f.Expire()
	compare(t, "long end", next(), []frameOut{over("89")})
	f.Feed([]byte("x"))
	f.Expire()
	compare(t, "after", next(), []frameOut{whole("x")})
	// A message of exactly 2 x max: its pieces went out; Expire still ends it.
	f.Feed([]byte("abcdefgh"))
	f.Feed(nil)
	compare(t, "2 x max", next(), []frameOut{over("abcd")})
	f.Feed([]byte("i"))
	compare(t, "2 x max + 1", next(), []frameOut{over("efgh")})
	f.Expire()
	compare(t, "tail", next(), []frameOut{over("i")})
	if f.Pending() {
		t.Fatal("pending after Expire")
	}
}

func TestExpireIgnoredOutsideIdle(t *testing.T) {
	for _, spec := range []string{"none", "line", "delim:00", "fixed:4", "length:0:1", "modbus-tcp"} {
		f := NewFramer(mustParse(t, spec), 0)
		if f.IdleTimeout() != 0 {
			t.Errorf("%s: IdleTimeout = %v", spec, f.IdleTimeout())
		}
		f.Feed([]byte("\x05ab"))
		for _, ok := f.Next(); ok; _, ok = f.Next() {
		}
		f.Expire()
		if fr, ok := f.Next(); ok && spec != "none" {
			t.Errorf("%s: Expire made a frame %q", spec, fr.Data)
		}
	}
}

func TestFeedBeforeDrainPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("no panic")
		}
	}()
	f := NewFramer(mustParse(t, "line"), 0)
	f.Feed([]byte("a\nb\n"))
	f.Next()
	f.Feed([]byte("c\n"))
}

// Frames that lie within one read are handed out in place, without a copy or an
// allocation; only a frame carried over between reads is copied.
func TestFramesAliasTheRead(t *testing.T) {
	read := []byte(strings.Repeat(strings.Repeat("x", 99)+"\n", 655))
	f := NewFramer(mustParse(t, "line"), 0)
	f.Feed(read[:150])
	fr, _ := f.Next()
	if &fr.Data[0] != &read[0] {
		t.Fatal("a frame inside the read was copied")
	}
	if _, ok := f.Next(); ok {
		t.Fatal("a frame from half a line")
	}
	f.Feed(read[150:300])
	if fr, _ = f.Next(); &fr.Data[0] == &read[100] || string(fr.Data) != string(read[100:200]) {
		t.Fatal("the frame split across reads should be a copy of it")
	}
	if fr, _ = f.Next(); &fr.Data[0] != &read[200] {
		t.Fatal("the next frame inside the read was copied")
	}
	f.Next()
	allocs := testing.AllocsPerRun(20, func() {
		f.Feed(read)
		for _, ok := f.Next(); ok; _, ok = f.Next() {
		}
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per 64 KiB read of lines", allocs)
	}
}

// heapGrowth runs fn and returns how many bytes it allocated in all.
func heapGrowth(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// A peer that sends 100 MiB without ever ending a frame costs a Framer at most
// one maximum frame of memory: 100 Overflow frames, and the stream is still in
// step when the message finally ends.
func TestHundredMiBWithoutAnEnd(t *testing.T) {
	const total, maxFrame = 100 << 20, 1 << 20
	read := bytes.Repeat([]byte("x"), 64<<10)
	tests := []struct {
		spec string
		tail string     // sent after the 100 MiB
		want []frameOut // the frames the tail brings
	}{
		{"line", "\r\nabc\r\n", []frameOut{overEnd("\r\n", ""), c("abc\r\n", "abc")}},
		{"delim:0d0a", "\r\nabc\r\n", []frameOut{overEnd("\r\n", ""), c("abc\r\n", "abc")}},
		// The 100th MiB waits for a byte or the pause; the pause ends the message.
		{"idle:1s", "", []frameOut{over(strings.Repeat("x", maxFrame))}},
		// A length field at the start announces 100 MiB + 6 bytes.
		{"length:0:4:-4", "\r\nabcd\x00\x00\x00\x04", []frameOut{over("\r\nabcd"), whole("\x00\x00\x00\x04")}},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			f := NewFramer(mustParse(t, tt.spec), maxFrame)
			first := slices.Clone(read)
			binary.BigEndian.PutUint32(first, total+6) // read by length:0:4:-4 only
			var overflows, inFrames int
			alloc := heapGrowth(func() {
				for sent := 0; sent < total; sent += len(read) {
					if sent == 0 {
						f.Feed(first)
					} else {
						f.Feed(read)
					}
					for fr, ok := f.Next(); ok; fr, ok = f.Next() {
						if fr.Status != Overflow || len(fr.Data) != maxFrame {
							t.Fatalf("frame of %d bytes, %s", len(fr.Data), fr.Status)
						}
						overflows++
						inFrames += len(fr.Data)
					}
					if cap(f.pend) > maxFrame {
						t.Fatalf("framer holds %d bytes", cap(f.pend))
					}
				}
			})
			// The carry-over buffer doubles its way up to 1 MiB once.
			if alloc > 3*maxFrame {
				t.Errorf("framing 100 MiB allocated %d bytes", alloc)
			}
			f.Feed([]byte(tt.tail))
			f.Expire()
			var tail []frameOut
			for fr, ok := f.Next(); ok; fr, ok = f.Next() {
				tail = append(tail, frameOut{string(fr.Data), string(fr.Message), fr.Status})
				inFrames += len(fr.Data)
			}
			compare(t, "after 100 MiB", tail, tt.want)
			if overflows+len(tail) < total/maxFrame || inFrames != total+len(tt.tail) {
				t.Errorf("%d overflow frames and %d more hold %d bytes; sent %d", overflows, len(tail), inFrames, total+len(tt.tail))
			}
		})
	}
}

// A length field announcing more than the maximum frame size: the message goes
// out in Overflow pieces without the announced size ever being allocated, and
// the frames after it are read in step.
func TestLengthAnnouncingMoreThanMax(t *testing.T) {
	const maxFrame = 1024
	hdr := []byte{0xff, 0xff, 0xff, 0xff} // 4 GiB - 1: never allocated
	var n int
	// The least of a few tries: the test binary's other goroutines allocate a
	// little now and then, and the count is the whole process's.
	alloc := uint64(math.MaxUint64)
	for range 5 {
		f := NewFramer(mustParse(t, "length:0:4"), maxFrame)
		alloc = min(alloc, heapGrowth(func() {
			f.Feed(hdr)
			for _, ok := f.Next(); ok; _, ok = f.Next() {
				t.Fatal("a frame from a header")
			}
		}))
	}
	if alloc > 2*maxFrame {
		t.Fatalf("a 4 GiB length field allocated %d bytes", alloc)
	}
	// Now a realistic oversized message, then two ordinary ones.
	big := make([]byte, 4+5000)
	binary.BigEndian.PutUint32(big, 5000)
	stream := string(big) + "\x00\x00\x00\x02hi\x00\x00\x00\x00"
	got := frames(t, "length:0:4", maxFrame, stream[:3], stream[3:2000], stream[2000:])
	for _, g := range got[:5] {
		if g.Status != Overflow {
			t.Fatalf("piece %s", g)
		}
		n += len(g.Data)
	}
	if n != 5004 || len(got) != 7 {
		t.Fatalf("%d pieces holding %d bytes", len(got), n)
	}
	compare(t, "after", got[5:], []frameOut{whole("\x00\x00\x00\x02hi"), whole("\x00\x00\x00\x00")})
}
