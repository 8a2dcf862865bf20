package pcapng

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/netio/packet"
)

// block is one pcapng block as the test's own reader sees it.
type block struct {
	typ  uint32
	body []byte // between the length fields
}

// readBlocks checks the framing of every block (lengths, padding, byte
// order) and returns them.
func readBlocks(t *testing.T, data []byte) []block {
	t.Helper()
	le := binary.LittleEndian
	var out []block
	for off := 0; off < len(data); {
		if len(data)-off < 12 {
			t.Fatalf("offset %d: %d bytes left, not a block", off, len(data)-off)
		}
		typ, total := le.Uint32(data[off:]), int(le.Uint32(data[off+4:]))
		if total%4 != 0 || total < 12 || off+total > len(data) {
			t.Fatalf("offset %d: block type %#x has length %d (file %d bytes)", off, typ, total, len(data))
		}
		if trailer := int(le.Uint32(data[off+total-4:])); trailer != total {
			t.Fatalf("offset %d: block length %d, trailing length %d", off, total, trailer)
		}
		out = append(out, block{typ, data[off+8 : off+total-4]})
		off += total
	}
	return out
}

// readOptions reads a block's options; they must end with opt_endofopt.
func readOptions(t *testing.T, b []byte) map[uint16][]byte {
	t.Helper()
	le := binary.LittleEndian
	opts := map[uint16][]byte{}
	for len(b) >= 4 {
		code, n := le.Uint16(b), int(le.Uint16(b[2:]))
		if code == 0 {
			if n != 0 || len(b) != 4 {
				t.Fatalf("opt_endofopt with length %d and %d bytes after it", n, len(b)-4)
			}
			return opts
		}
		if 4+pad4(n) > len(b) {
			t.Fatalf("option %d of %d bytes overruns its block", code, n)
		}
		if !bytes.Equal(b[4+n:4+pad4(n)], make([]byte, pad4(n)-n)) {
			t.Fatalf("option %d: padding is not zero", code)
		}
		opts[code] = b[4 : 4+n]
		b = b[4+pad4(n):]
	}
	t.Fatalf("options end without opt_endofopt")
	return nil
}

// epb is an Enhanced Packet Block's content.
type epb struct {
	at    time.Time
	frame []byte
}

// parseFile checks a whole file's structure and returns its comment and
// packets.
func parseFile(t *testing.T, data []byte) (comment string, packets []epb) {
	t.Helper()
	le := binary.LittleEndian
	blocks := readBlocks(t, data)
	if len(blocks) < 2 || blocks[0].typ != 0x0A0D0D0A || blocks[1].typ != 1 {
		t.Fatalf("the file must open with a section header and an interface description; got %d blocks", len(blocks))
	}
	shb := blocks[0].body
	if le.Uint32(shb) != 0x1A2B3C4D || le.Uint16(shb[4:]) != 1 || le.Uint16(shb[6:]) != 0 {
		t.Fatalf("section header: magic %#x, version %d.%d", le.Uint32(shb), le.Uint16(shb[4:]), le.Uint16(shb[6:]))
	}
	shbOpts := readOptions(t, shb[16:])
	if string(shbOpts[4]) != "Sockdesk" {
		t.Errorf("shb_userappl = %q", shbOpts[4])
	}
	idb := blocks[1].body
	if le.Uint16(idb) != 1 {
		t.Errorf("link type %d, want 1 (Ethernet)", le.Uint16(idb))
	}
	if res := readOptions(t, idb[8:])[9]; !bytes.Equal(res, []byte{9}) {
		t.Errorf("if_tsresol = %v, want nanoseconds (9)", res)
	}
	for i, b := range blocks[2:] {
		if b.typ != 6 {
			t.Fatalf("block %d: type %#x, want an Enhanced Packet Block", i+2, b.typ)
		}
		ifID, ts := le.Uint32(b.body), uint64(le.Uint32(b.body[4:]))<<32|uint64(le.Uint32(b.body[8:]))
		caplen, origlen := int(le.Uint32(b.body[12:])), int(le.Uint32(b.body[16:]))
		if ifID != 0 || caplen != origlen || 20+pad4(caplen) != len(b.body) {
			t.Fatalf("packet %d: interface %d, captured %d of %d bytes in a %d-byte body", i, ifID, caplen, origlen, len(b.body))
		}
		if !bytes.Equal(b.body[20+caplen:], make([]byte, pad4(caplen)-caplen)) {
			t.Fatalf("packet %d: padding is not zero", i)
		}
		packets = append(packets, epb{time.Unix(0, int64(ts)), b.body[20 : 20+caplen]})
	}
	return string(shbOpts[1]), packets
}

func writeEvents(t *testing.T, opts Options, events []event) []byte {
	t.Helper()
	var out bytes.Buffer
	w, err := NewWriter(&out, opts)
	if err != nil {
		t.Fatal(err)
	}
	feed(t, w, events)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestFileStructureOfARealExchange(t *testing.T) {
	events, request, response := recordHTTPExchange(t)
	events = append(events, recordUDPExchange(t, "udp4", "127.0.0.1:0")...)
	data := writeEvents(t, Options{MSS: 40, Comment: "session: test"}, events)
	comment, packets := parseFile(t, data)
	if !strings.HasPrefix(comment, ReconstructedComment) || !strings.HasSuffix(comment, "\nsession: test") {
		t.Errorf("section comment %q", comment)
	}

	// 3 handshake + request in 40-byte segments + one segment a read
	// (reads are at most 64 bytes, so two segments each) + 4 close + 2 UDP.
	want := 3 + (len(request)+39)/40 + 4 + 2
	for _, e := range events {
		if e.kind == "data" && e.dir == packet.Received {
			want += (len(e.payload) + 39) / 40
		}
	}
	if len(packets) != want {
		t.Fatalf("%d packets, want %d", len(packets), want)
	}
	// Every frame carries its event's time, to the nanosecond.
	if got, first := packets[0].at, events[0].at; !got.Equal(first) {
		t.Errorf("the SYN is stamped %v, the connect happened at %v", got, first)
	}
	last := events[len(events)-1].msg
	if got := packets[len(packets)-1]; !got.at.Equal(last.Time) || !bytes.HasSuffix(got.frame, last.Payload) {
		t.Errorf("the last frame (%v, % x) is not the last datagram (%v, %q)", got.at, got.frame, last.Time, last.Payload)
	}
	_ = response
}

// tcpSegment is what the test reads back from a frame's TCP header.
type tcpSegment struct {
	fromLocal bool
	seq, ack  uint32
	flags     packet.TCPFlags
	payload   []byte
}

func readTCP(t *testing.T, frame []byte, local netip.AddrPort) tcpSegment {
	t.Helper()
	if binary.BigEndian.Uint16(frame[12:]) != 0x0800 || frame[23] != 6 {
		t.Fatalf("not IPv4/TCP: % x", frame[:34])
	}
	if packet.Checksum(frame[14:34], 0) != 0 {
		t.Fatalf("IPv4 header checksum does not verify")
	}
	src := netip.AddrFrom4([4]byte(frame[26:30]))
	dst := netip.AddrFrom4([4]byte(frame[30:34]))
	tcp := frame[34:]
	if !packet.VerifyTransport(src, dst, packet.TCP, tcp) {
		t.Fatalf("TCP checksum does not verify")
	}
	off := int(tcp[12]>>4) * 4
	return tcpSegment{
		fromLocal: binary.BigEndian.Uint16(tcp) == local.Port(),
		seq:       binary.BigEndian.Uint32(tcp[4:]), ack: binary.BigEndian.Uint32(tcp[8:]),
		flags: packet.TCPFlags(tcp[13]), payload: tcp[off:],
	}
}

// The reconstructed stream must be one a receiver would accept: each side's
// sequence numbers continue where its last segment ended, every ACK counts
// what the other side had sent, and the bytes come back in order.
func TestTCPStreamIsConsistent(t *testing.T) {
	events, request, response := recordHTTPExchange(t)
	data := writeEvents(t, Options{MSS: 32}, events)
	_, packets := parseFile(t, data)
	local := events[0].conn.Local

	var segs []tcpSegment
	for _, p := range packets {
		segs = append(segs, readTCP(t, p.frame, local))
	}
	wantFlags := []packet.TCPFlags{packet.SYN, packet.SYN | packet.ACK, packet.ACK}
	for i, f := range wantFlags {
		if segs[i].flags != f || segs[i].fromLocal != (i != 1) {
			t.Fatalf("handshake segment %d: %v from local %v", i, segs[i].flags, segs[i].fromLocal)
		}
	}
	// The server closed first: its FIN, the client's ACK, the client's FIN,
	// the server's ACK.
	tail := segs[len(segs)-4:]
	closeOrder := []struct {
		fromLocal bool
		flags     packet.TCPFlags
	}{{false, packet.FIN | packet.ACK}, {true, packet.ACK}, {true, packet.FIN | packet.ACK}, {false, packet.ACK}}
	for i, want := range closeOrder {
		if tail[i].fromLocal != want.fromLocal || tail[i].flags != want.flags {
			t.Errorf("close segment %d: %v from local %v, want %v from local %v", i, tail[i].flags, tail[i].fromLocal, want.flags, want.fromLocal)
		}
	}

	next := map[bool]uint32{true: segs[0].seq, false: segs[1].seq}
	var sent, received []byte
	for i, s := range segs {
		if s.seq != next[s.fromLocal] {
			t.Fatalf("segment %d (%v): seq %d, want %d", i, s.flags, s.seq, next[s.fromLocal])
		}
		if s.flags&packet.ACK != 0 && s.ack != next[!s.fromLocal] {
			t.Fatalf("segment %d (%v): ack %d, want %d", i, s.flags, s.ack, next[!s.fromLocal])
		}
		if len(s.payload) > 32 {
			t.Fatalf("segment %d carries %d bytes, more than the MSS of 32", i, len(s.payload))
		}
		next[s.fromLocal] += uint32(len(s.payload))
		if s.flags&(packet.SYN|packet.FIN) != 0 {
			next[s.fromLocal]++
		}
		if s.fromLocal {
			sent = append(sent, s.payload...)
		} else {
			received = append(received, s.payload...)
		}
	}
	if string(sent) != request || string(received) != response {
		t.Errorf("the stream carries\n%q\n%q\nwant\n%q\n%q", sent, received, request, response)
	}
}

func TestCreateRenamesOnlyOnClose(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "session.pcapng")
	w, err := Create(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	feed(t, w, recordUDPExchange(t, "udp4", "127.0.0.1:0"))
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the file exists before Close: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, packets := parseFile(t, data); len(packets) != 2 {
		t.Errorf("%d packets, want 2", len(packets))
	}
	if err := w.Datagram(packet.Message{}); !errors.Is(err, ErrClosed) {
		t.Errorf("after Close: %v, want ErrClosed", err)
	}

	aborted := filepath.Join(dir, "aborted.pcapng")
	w, err = Create(aborted, Options{})
	if err != nil {
		t.Fatal(err)
	}
	w.Abort()
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "session.pcapng" {
		t.Errorf("after Abort the directory holds %v, want only session.pcapng", entries)
	}
}

// failingWriter accepts the file header, then fails.
type failingWriter struct{ n int }

func (f *failingWriter) Write(p []byte) (int, error) {
	if f.n += len(p); f.n > 200 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestWriteErrorsAreReturnedAndKept(t *testing.T) {
	w, err := NewWriter(&failingWriter{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := Conn{Local: netip.MustParseAddrPort("127.0.0.1:1000"), Peer: netip.MustParseAddrPort("127.0.0.1:2000")}
	var firstErr error
	for i := 0; i < 5000 && firstErr == nil; i++ {
		if firstErr = w.Data(c, packet.Sent, make([]byte, 1000), time.Now()); firstErr == nil {
			firstErr = w.Flush()
		}
	}
	if firstErr == nil || !strings.Contains(firstErr.Error(), "disk full") {
		t.Fatalf("error %v, want the writer's", firstErr)
	}
	if err := w.Fin(c, Local, time.Now()); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("a later call returned %v, want the kept error", err)
	}
	if err := w.Close(); err == nil {
		t.Error("Close after a write error returned nil")
	}
}

func TestBadCallsAreErrors(t *testing.T) {
	w, err := NewWriter(&bytes.Buffer{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	c := Conn{Local: netip.MustParseAddrPort("127.0.0.1:1000"), Peer: netip.MustParseAddrPort("127.0.0.1:2000")}
	now := time.Now()
	if err := w.Fin(c, Local, now); err != nil {
		t.Fatal(err)
	}
	if err := w.Data(c, packet.Sent, []byte("late"), now); err == nil || !strings.Contains(err.Error(), "after its FIN") {
		t.Errorf("data after FIN: %v", err)
	}
	if err := w.Datagram(packet.Message{Local: c.Local, Peer: c.Peer, Payload: []byte("x")}); err == nil || !strings.Contains(err.Error(), "has no time") {
		t.Errorf("a datagram without time: %v", err)
	}
	if err := w.Datagram(packet.Message{Local: c.Local, Peer: netip.MustParseAddrPort("[::1]:1"), Time: now}); err == nil || !strings.Contains(err.Error(), "one IPv4 and one IPv6") {
		t.Errorf("mixed families: %v", err)
	}
}

// A dual-stack socket names IPv4 peers as IPv4-mapped IPv6 addresses; the
// connection is the same however its events spell it.
func TestMappedAddressesNameTheSameConnection(t *testing.T) {
	var out bytes.Buffer
	w, err := NewWriter(&out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mapped := Conn{Local: netip.MustParseAddrPort("[::ffff:127.0.0.1]:1000"), Peer: netip.MustParseAddrPort("[::ffff:127.0.0.1]:2000")}
	plain := Conn{Local: netip.MustParseAddrPort("127.0.0.1:1000"), Peer: netip.MustParseAddrPort("127.0.0.1:2000")}
	now := time.Now()
	if err := w.Open(mapped, Peer, now); err != nil {
		t.Fatal(err)
	}
	if err := w.Data(plain, packet.Received, []byte("hi"), now); err != nil {
		t.Fatal(err)
	}
	w.Close()
	_, packets := parseFile(t, out.Bytes())
	syn, data := readTCP(t, packets[0].frame, plain.Local), readTCP(t, packets[3].frame, plain.Local)
	if data.seq != syn.seq+1 {
		t.Errorf("the data's seq %d does not follow the peer's SYN (%d): two connections were made", data.seq, syn.seq)
	}
}
