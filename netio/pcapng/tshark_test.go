package pcapng

import (
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sockdesk/sockdesk/internal/pcapngtest"
	"github.com/sockdesk/sockdesk/netio/packet"
)

func TestTsharkDecodesAReconstructedHTTPFetchAndUDPExchange(t *testing.T) {
	if _, err := exec.LookPath("tshark"); err != nil {
		t.Skip("tshark is not installed (Debian package tshark): the file is not checked against Wireshark's dissectors")
	}
	events, request, response := recordHTTPExchange(t)
	events = append(events, recordUDPExchange(t, "udp4", "127.0.0.1:0")...)
	udp6 := recordUDPExchange(t, "udp6", "[::1]:0")
	events = append(events, udp6...)
	const mss = 40 // so the request is several segments
	file := filepath.Join(t.TempDir(), "exchange.pcapng")
	if err := os.WriteFile(file, writeEvents(t, Options{MSS: mss}, events), 0o644); err != nil {
		t.Fatal(err)
	}
	_, packets := parseFile(t, mustRead(t, file))

	listing := strings.Split(strings.TrimSpace(pcapngtest.Tshark(t, "-r", file)), "\n")
	if len(listing) != len(packets) {
		t.Fatalf("tshark lists %d packets, the file holds %d:\n%s", len(listing), len(packets), strings.Join(listing, "\n"))
	}

	// The server's port is not HTTP's, so tell tshark, as a user would
	// with Decode As.
	port := strconv.Itoa(int(events[0].conn.Peer.Port()))
	asHTTP := []string{"-r", file, "-d", "tcp.port==" + port + ",http"}
	req := strings.Fields(pcapngtest.Tshark(t, append(asHTTP, "-Y", "http.request", "-T", "fields",
		"-e", "http.request.method", "-e", "http.request.uri", "-e", "tcp.segment.count", "-e", "http.user_agent")...))
	if len(req) != 4 || req[0] != "GET" || req[1] != httpPath || req[3] != "sockdesk-pcapng-test" {
		t.Fatalf("tshark decoded the request as %q", req)
	}
	if n, _ := strconv.Atoi(req[2]); n != (len(request)+mss-1)/mss || n < 2 {
		t.Errorf("the request was reassembled from %s segments, want %d", req[2], (len(request)+mss-1)/mss)
	}
	resp := strings.Fields(pcapngtest.Tshark(t, append(asHTTP, "-Y", "http.response", "-T", "fields",
		"-e", "http.response.code", "-e", "http.content_length")...))
	if len(resp) != 2 || resp[0] != "200" || resp[1] != strconv.Itoa(len(httpBody)) {
		t.Errorf("tshark decoded the response as %q", resp)
	}

	// Following the stream gives back the bytes each way.
	sent, received := followRaw(t, pcapngtest.Tshark(t, "-q", "-r", file, "-z", "follow,tcp,raw,0"))
	if sent != request || received != response {
		t.Errorf("tshark's follow gives\n%q\n%q\nwant\n%q\n%q", sent, received, request, response)
	}

	// Checksums verify and TCP analysis finds nothing wrong (no lost,
	// retransmitted or out-of-order segment, no ACK of unseen data).
	bad := pcapngtest.Tshark(t, "-r", file, "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
		"-Y", "tcp.analysis.flags || (tcp && tcp.checksum.status != 1) || (ip && ip.checksum.status != 1) || (udp && udp.checksum.status != 1) || _ws.expert.severity >= 0x600000")
	if strings.TrimSpace(bad) != "" {
		t.Errorf("tshark finds problems:\n%s", bad)
	}

	// The UDP datagrams carry their bytes and ports.
	var want []string
	for _, e := range events {
		if e.kind == "datagram" {
			src, dst := e.msg.Local, e.msg.Peer
			if e.msg.Direction == packet.Received {
				src, dst = dst, src
			}
			want = append(want, src.Addr().Unmap().String()+" "+strconv.Itoa(int(src.Port()))+" "+strconv.Itoa(int(dst.Port()))+" "+hex.EncodeToString(e.msg.Payload))
		}
	}
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(pcapngtest.Tshark(t, "-r", file, "-Y", "udp", "-T", "fields",
		"-e", "ip.src", "-e", "ipv6.src", "-e", "udp.srcport", "-e", "udp.dstport", "-e", "udp.payload")), "\n") {
		got = append(got, strings.Join(strings.Fields(line), " "))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("tshark reads the datagrams as\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// followRaw reads `-z follow,tcp,raw`: hex lines, the second node's
// indented by a tab.
func followRaw(t *testing.T, out string) (first, second string) {
	t.Helper()
	var a, b []byte
	for _, line := range strings.Split(out, "\n") {
		trimmed := strings.TrimSpace(line)
		data, err := hex.DecodeString(trimmed)
		if trimmed == "" || err != nil {
			continue // the header and footer
		}
		if strings.HasPrefix(line, "\t") {
			b = append(b, data...)
		} else {
			a = append(a, data...)
		}
	}
	return string(a), string(b)
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
