package recvinfo

import (
	"errors"
	"net"
	"runtime"
	"testing"
	"time"
)

// sendWithTTL sends one datagram to addr from a socket whose outgoing TTL
// (hop limit for IPv6) is ttl.
func sendWithTTL(t *testing.T, network string, addr *net.UDPAddr, ttl int) {
	t.Helper()
	c, err := net.DialUDP(network, nil, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	rc, err := c.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var serr error
	rc.Control(func(fd uintptr) { serr = setOutgoingTTL(fd, network == "udp6", ttl) })
	if serr != nil {
		t.Fatal(serr)
	}
	if _, err := c.Write([]byte("ttl?")); err != nil {
		t.Fatal(err)
	}
}

// receive reads one datagram and returns its out-of-band data.
func receive(t *testing.T, c *net.UDPConn) []byte {
	t.Helper()
	buf, oob := make([]byte, 64), make([]byte, OOBSize)
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, oobn, _, _, err := c.ReadMsgUDPAddrPort(buf, oob)
	if err != nil {
		t.Fatal(err)
	}
	return oob[:oobn]
}

// Each receiving socket is bound to the unspecified address, so only the
// control message can tell which of this host's addresses the datagram was
// sent to: 127.0.0.0/8 is all local, so sending to 127.0.0.3 shows it.
func TestReceivedTTLAndDestination(t *testing.T) {
	for _, tc := range []struct {
		name, network, listen, send, to string
		ttl                             int
	}{
		{"IPv4", "udp4", "0.0.0.0:0", "udp4", "127.0.0.3", 37},
		{"IPv6", "udp6", "[::]:0", "udp6", "::1", 44},
		// "udp" on the unspecified address is one IPv6 socket taking IPv4 too.
		{"IPv4 on a dual-stack socket", "udp", "[::]:0", "udp4", "127.0.0.5", 29},
	} {
		t.Run(tc.name, func(t *testing.T) {
			network := tc.network
			c, err := net.ListenUDP(network, mustUDPAddr(t, network, tc.listen))
			if err != nil {
				t.Skipf("no %s loopback: %v", network, err)
			}
			defer c.Close()
			err = Enable(c)
			if !supported() {
				if !errors.Is(err, ErrUnsupported) {
					t.Fatalf("Enable on %s: %v, want ErrUnsupported", runtime.GOOS, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			to := &net.UDPAddr{IP: net.ParseIP(tc.to), Port: c.LocalAddr().(*net.UDPAddr).Port}
			sendWithTTL(t, tc.send, to, tc.ttl)
			oob := receive(t, c)
			if got, ok := ParseTTL(oob); !ok || got != tc.ttl {
				t.Errorf("received TTL %d (found %v), the sender set %d", got, ok, tc.ttl)
			}
			if got, ok := ParseDst(oob); !ok || got.Unmap().String() != tc.to {
				t.Errorf("received destination %v (found %v), the sender sent to %s", got, ok, tc.to)
			}
		})
	}
}

func TestWithoutEnableThereIsNothing(t *testing.T) {
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sendWithTTL(t, "udp4", c.LocalAddr().(*net.UDPAddr), 50)
	oob := receive(t, c)
	if ttl, ok := ParseTTL(oob); ok {
		t.Errorf("a TTL of %d without Enable", ttl)
	}
	if dst, ok := ParseDst(oob); ok {
		t.Errorf("a destination %v without Enable", dst)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 64, 0, 0, 0})
	f.Add([]byte{255, 255, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, oob []byte) {
		if ttl, ok := ParseTTL(oob); ok && (ttl < 0 || ttl > 255) {
			t.Errorf("TTL %d out of range", ttl)
		}
		if dst, ok := ParseDst(oob); ok && !dst.IsValid() {
			t.Error("an invalid destination reported as found")
		}
	})
}

func mustUDPAddr(t *testing.T, network, s string) *net.UDPAddr {
	t.Helper()
	a, err := net.ResolveUDPAddr(network, s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
