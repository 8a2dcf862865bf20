package packet

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// onesSum is the test's own Internet checksum, written apart from Checksum:
// a 64-bit sum folded once at the end.
func onesSum(parts ...[]byte) uint16 {
	var all []byte
	for _, p := range parts {
		all = append(all, p...)
	}
	if len(all)%2 == 1 {
		all = append(all, 0)
	}
	var s uint64
	for i := 0; i < len(all); i += 2 {
		s += uint64(all[i])<<8 | uint64(all[i+1])
	}
	for s>>16 != 0 {
		s = s&0xffff + s>>16
	}
	return ^uint16(s)
}

// udpExchange sends one datagram over loopback and returns what the
// receiving socket saw: its own address, the sender's, the bytes.
func udpExchange(t *testing.T, network, addr string, payload []byte) (local, peer netip.AddrPort, got []byte) {
	t.Helper()
	server, err := net.ListenPacket(network, addr)
	if err != nil {
		t.Skipf("no %s loopback here: %v", network, err)
	}
	defer server.Close()
	client, err := net.Dial(network, server.LocalAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	if _, err := client.Write(payload); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 2048)
	server.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, from, err := server.(*net.UDPConn).ReadFromUDPAddrPort(buf)
	if err != nil {
		t.Fatal(err)
	}
	return server.LocalAddr().(*net.UDPAddr).AddrPort(), from, buf[:n]
}

func TestBuildUDPOverIPv4FieldByField(t *testing.T) {
	local, peer, payload := udpExchange(t, "udp4", "127.0.0.1:0", []byte("hello, layers"))
	f, err := Build(Message{Direction: Received, Protocol: UDP, Local: local, Peer: peer, Payload: payload, TTL: 64, TTLSource: FromSystem, IPID: 0x1234})
	if err != nil {
		t.Fatal(err)
	}

	// The frame as the test builds it by hand: peer -> local.
	want := make([]byte, 14+20+8+len(payload))
	binary.BigEndian.PutUint16(want[12:], 0x0800)
	ip := want[14:34]
	ip[0] = 0x45
	binary.BigEndian.PutUint16(ip[2:], uint16(20+8+len(payload)))
	binary.BigEndian.PutUint16(ip[4:], 0x1234)
	ip[6] = 0x40 // DF
	ip[8] = 64
	ip[9] = 17
	src, dst := peer.Addr().As4(), local.Addr().As4()
	copy(ip[12:], src[:])
	copy(ip[16:], dst[:])
	binary.BigEndian.PutUint16(ip[10:], onesSum(ip))
	udp := want[34:42]
	binary.BigEndian.PutUint16(udp[0:], peer.Port())
	binary.BigEndian.PutUint16(udp[2:], local.Port())
	binary.BigEndian.PutUint16(udp[4:], uint16(8+len(payload)))
	copy(want[42:], payload)
	pseudo := append(append(append([]byte{}, src[:]...), dst[:]...), 0, 17, 0, byte(8+len(payload)))
	binary.BigEndian.PutUint16(udp[6:], onesSum(pseudo, want[34:]))

	checkFields(t, f, want)
	if !bytes.Equal(f.Bytes, want) {
		t.Fatalf("frame\n got %x\nwant %x", f.Bytes, want)
	}
	if !f.Loopback {
		t.Error("a frame between two loopback addresses should say it is loopback")
	}
	if got := Checksum(f.Bytes[14:34], 0); got != 0 {
		t.Errorf("the IPv4 header checksum does not verify: sum over the header gives %#04x, want 0", got)
	}
	if !VerifyTransport(peer.Addr(), local.Addr(), UDP, f.Bytes[34:]) {
		t.Error("the UDP checksum does not verify")
	}

	wantValues := map[string]string{
		"IPv4/source": peer.Addr().String(), "IPv4/destination": local.Addr().String(),
		"IPv4/TTL": "64", "IPv4/total length": "41", "UDP/source port": itoa(peer.Port()),
		"UDP/destination port": itoa(local.Port()), "UDP/length": "21",
		"Ethernet II/source": "00:00:00:00:00:00 (loopback)",
	}
	wantSources := map[string]Source{
		"IPv4/TTL": FromSystem, "IPv4/identification": Reconstructed, "IPv4/source": FromSocket,
		"IPv4/header checksum": Computed, "UDP/checksum": Computed, "Ethernet II/source": Reconstructed,
	}
	checkValues(t, f, wantValues, wantSources)
	if s := f.Layers[0].Sentence; s.Format != FormatLoopback {
		t.Errorf("loopback Ethernet sentence = %q", s)
	}
}

func TestBuildTCPOverIPv6FieldByField(t *testing.T) {
	ln, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback here: %v", err)
	}
	defer ln.Close()
	client, err := net.Dial("tcp6", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	server, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()
	local := client.LocalAddr().(*net.TCPAddr).AddrPort()
	peer := client.RemoteAddr().(*net.TCPAddr).AddrPort()
	payload := []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")

	h := TCPHeader{Seq: 1000, Ack: 2000, Flags: PSH | ACK, Window: 512}
	f, err := Build(Message{Direction: Sent, Protocol: TCP, Local: local, Peer: peer, Payload: payload, TCP: &h})
	if err != nil {
		t.Fatal(err)
	}

	want := make([]byte, 14+40+20+len(payload))
	binary.BigEndian.PutUint16(want[12:], 0x86dd)
	ip := want[14:54]
	ip[0] = 0x60
	binary.BigEndian.PutUint16(ip[4:], uint16(20+len(payload)))
	ip[6] = 6
	ip[7] = 64 // nothing reported: the default
	src, dst := local.Addr().As16(), peer.Addr().As16()
	copy(ip[8:], src[:])
	copy(ip[24:], dst[:])
	tcp := want[54:74]
	binary.BigEndian.PutUint16(tcp[0:], local.Port())
	binary.BigEndian.PutUint16(tcp[2:], peer.Port())
	binary.BigEndian.PutUint32(tcp[4:], 1000)
	binary.BigEndian.PutUint32(tcp[8:], 2000)
	tcp[12] = 5 << 4
	tcp[13] = 0x18 // PSH, ACK
	binary.BigEndian.PutUint16(tcp[14:], 512)
	copy(want[74:], payload)
	segLen := make([]byte, 4)
	binary.BigEndian.PutUint32(segLen, uint32(20+len(payload)))
	pseudo := slices.Concat(src[:], dst[:], segLen, []byte{0, 0, 0, 6})
	binary.BigEndian.PutUint16(tcp[16:], onesSum(pseudo, want[54:]))

	checkFields(t, f, want)
	if !bytes.Equal(f.Bytes, want) {
		t.Fatalf("frame\n got %x\nwant %x", f.Bytes, want)
	}
	if !VerifyTransport(local.Addr(), peer.Addr(), TCP, f.Bytes[54:]) {
		t.Error("the TCP checksum does not verify")
	}
	checkValues(t, f, map[string]string{
		"IPv6/hop limit": "64", "IPv6/payload length": itoa(uint16(20 + len(payload))),
		"TCP/sequence number": "1000", "TCP/acknowledgement number": "2000", "TCP/flags": "PSH,ACK",
		"TCP/window": "512", "Application data/data": itoa(uint16(len(payload))) + " bytes",
	}, map[string]Source{
		"IPv6/hop limit": Reconstructed, "TCP/sequence number": Reconstructed, "TCP/window": Reconstructed,
		"TCP/source port": FromSocket, "Application data/data": FromSocket,
	})
}

// TCP over IPv4 with a SYN and its MSS option; the addresses are not
// loopback, so the given MACs are used.
func TestBuildTCPSynWithMACs(t *testing.T) {
	local := netip.MustParseAddrPort("192.0.2.10:40000")
	peer := netip.MustParseAddrPort("192.0.2.20:502")
	lm, _ := net.ParseMAC("02:00:00:00:00:0a")
	pm, _ := net.ParseMAC("02:00:00:00:00:14")
	f, err := Build(Message{Direction: Sent, Protocol: TCP, Local: local, Peer: peer,
		TCP:  &TCPHeader{Seq: 7, Flags: SYN, Window: 64240, MSS: 1460},
		Link: Link{LocalMAC: lm, PeerMAC: pm, Source: FromSystem}})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Bytes) != 14+20+24 || len(f.Layers) != 3 {
		t.Fatalf("a SYN with an MSS option: %d bytes in %d layers, want 58 in 3", len(f.Bytes), len(f.Layers))
	}
	if !bytes.Equal(f.Bytes[0:6], pm) || !bytes.Equal(f.Bytes[6:12], lm) {
		t.Errorf("Ethernet addresses % x", f.Bytes[:12])
	}
	tcp := f.Bytes[34:]
	if tcp[12] != 6<<4 || tcp[13] != 0x02 || !bytes.Equal(tcp[20:24], []byte{2, 4, 0x05, 0xb4}) {
		t.Errorf("TCP header % x: want data offset 6, SYN, MSS 1460", tcp)
	}
	if !VerifyTransport(local.Addr(), peer.Addr(), TCP, tcp) || Checksum(f.Bytes[14:34], 0) != 0 {
		t.Error("checksums do not verify")
	}
	if s := f.Layers[0].Sentence; s.Format != FormatEthernet || s.Args[0] != lm.String() {
		t.Errorf("Ethernet sentence %q", s)
	}
	checkValues(t, f, map[string]string{"TCP/acknowledgement number": "0 (not used: no ACK flag)", "TCP/option: MSS": "1460"},
		map[string]Source{"Ethernet II/destination": FromSystem})
}

func TestBuildUnknownMACsAndMappedAddresses(t *testing.T) {
	f, err := Build(Message{Direction: Received, Protocol: UDP,
		Local: netip.MustParseAddrPort("[::ffff:198.51.100.1]:9"), Peer: netip.MustParseAddrPort("198.51.100.2:10"), Payload: []byte{1}})
	if err != nil {
		t.Fatal(err)
	}
	if f.Layers[1].Name != "IPv4" || f.Loopback {
		t.Errorf("a v4-mapped address is IPv4 on the wire, not loopback: got %s, loopback %v", f.Layers[1].Name, f.Loopback)
	}
	if s := f.Layers[0].Sentence; s.Format != FormatEthernetUnknown {
		t.Errorf("Ethernet sentence %q, want the unknown-MAC one", s)
	}
}

func TestBuildRejectsBadMessages(t *testing.T) {
	v4 := netip.MustParseAddrPort("127.0.0.1:1")
	v6 := netip.MustParseAddrPort("[::1]:2")
	for _, tc := range []struct {
		name string
		m    Message
		want string
	}{
		{"mixed families", Message{Protocol: UDP, Local: v4, Peer: v6}, "one IPv4 and one IPv6"},
		{"no peer", Message{Protocol: UDP, Local: v4}, "both addresses are needed"},
		{"not a transport", Message{Protocol: 1, Local: v4, Peer: v4}, "only UDP and TCP"},
		{"too large", Message{Protocol: UDP, Local: v4, Peer: v4, Payload: make([]byte, 65508)}, "at most 65507 bytes"},
	} {
		_, err := Build(tc.m)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one saying %q", tc.name, err, tc.want)
		}
	}
	_, err := Build(Message{Protocol: UDP, Local: v4, Peer: v4, Payload: make([]byte, 65508)})
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("too large: %v is not ErrTooLarge", err)
	}
	if _, err := Build(Message{Protocol: UDP, Local: v4, Peer: v4, Payload: make([]byte, 65507)}); err != nil {
		t.Errorf("the largest UDP payload over IPv4: %v", err)
	}
}

func TestEveryLayerSentenceUsesAKnownFormat(t *testing.T) {
	local, peer, payload := udpExchange(t, "udp4", "127.0.0.1:0", []byte("x"))
	for _, p := range []Protocol{UDP, TCP} {
		f, err := Build(Message{Protocol: p, Local: local, Peer: peer, Payload: payload})
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range f.Layers {
			if !slices.Contains(Formats, l.Sentence.Format) {
				t.Errorf("%s: sentence format %q is not in Formats", l.Name, l.Sentence.Format)
			}
			if s := l.Sentence.String(); strings.Contains(s, "%!") {
				t.Errorf("%s: sentence %q has a bad argument", l.Name, s)
			}
		}
	}
}

// checkFields compares every described field's bytes with the test's frame,
// and checks the layers tile the frame.
func checkFields(t *testing.T, f *Frame, want []byte) {
	t.Helper()
	next := 0
	for _, l := range f.Layers {
		if l.Start != next {
			t.Errorf("%s starts at %d, want %d", l.Name, l.Start, next)
		}
		next = l.End
		for _, fl := range l.Fields {
			if fl.Start < l.Start || fl.End > l.End || fl.Start >= fl.End {
				t.Errorf("%s/%s: bytes %d-%d outside the layer's %d-%d", l.Name, fl.Name, fl.Start, fl.End, l.Start, l.End)
				continue
			}
			if fl.End > len(want) || !bytes.Equal(f.Bytes[fl.Start:fl.End], want[fl.Start:fl.End]) {
				t.Errorf("%s/%s (%q): got % x, want % x", l.Name, fl.Name, fl.Value, f.Bytes[fl.Start:fl.End], want[fl.Start:min(fl.End, len(want))])
			}
		}
	}
	if next != len(f.Bytes) {
		t.Errorf("layers end at %d, the frame at %d", next, len(f.Bytes))
	}
}

func checkValues(t *testing.T, f *Frame, values map[string]string, sources map[string]Source) {
	t.Helper()
	found := map[string]Field{}
	for _, l := range f.Layers {
		for _, fl := range l.Fields {
			found[l.Name+"/"+fl.Name] = fl
		}
	}
	for k, v := range values {
		if fl, ok := found[k]; !ok || fl.Value != v {
			t.Errorf("%s = %q, want %q", k, fl.Value, v)
		}
	}
	for k, s := range sources {
		if fl, ok := found[k]; !ok || fl.Source != s {
			t.Errorf("%s comes from %v, want %v", k, fl.Source, s)
		}
	}
}

func itoa(n uint16) string { return strconv.Itoa(int(n)) }

func TestAppendFrameMatchesBuild(t *testing.T) {
	local, peer, payload := udpExchange(t, "udp4", "127.0.0.1:0", []byte("same bytes"))
	for _, proto := range []Protocol{UDP, TCP} {
		m := Message{Direction: Received, Protocol: proto, Local: local, Peer: peer, Payload: payload, TTL: 9, TTLSource: FromSystem}
		f, err := Build(m)
		if err != nil {
			t.Fatal(err)
		}
		prefix := []byte("keep")
		got, err := AppendFrame(append(make([]byte, 0, 256), prefix...), m)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got[:4], prefix) || !bytes.Equal(got[4:], f.Bytes) {
			t.Errorf("%v: AppendFrame gives % x after the prefix, Build % x", proto, got[4:], f.Bytes)
		}
	}
}
