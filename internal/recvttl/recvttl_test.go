package recvttl

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

func receiveTTL(t *testing.T, c *net.UDPConn) (int, bool) {
	t.Helper()
	buf, oob := make([]byte, 64), make([]byte, OOBSize)
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, oobn, _, _, err := c.ReadMsgUDPAddrPort(buf, oob)
	if err != nil {
		t.Fatal(err)
	}
	return Parse(oob[:oobn])
}

func TestReceivedTTL(t *testing.T) {
	for _, tc := range []struct {
		name, network, listen, send, to string
		ttl                             int
	}{
		{"IPv4", "udp4", "127.0.0.1:0", "udp4", "127.0.0.1", 37},
		{"IPv6", "udp6", "[::1]:0", "udp6", "::1", 44},
		// "udp" on the unspecified address is one IPv6 socket taking IPv4 too.
		{"IPv4 on a dual-stack socket", "udp", "[::]:0", "udp4", "127.0.0.1", 29},
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
			if got, ok := receiveTTL(t, c); !ok || got != tc.ttl {
				t.Errorf("received TTL %d (found %v), the sender set %d", got, ok, tc.ttl)
			}
		})
	}
}

func TestWithoutEnableThereIsNoTTL(t *testing.T) {
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sendWithTTL(t, "udp4", c.LocalAddr().(*net.UDPAddr), 50)
	if ttl, ok := receiveTTL(t, c); ok {
		t.Errorf("a TTL of %d without Enable", ttl)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 64, 0, 0, 0})
	f.Add([]byte{255, 255, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, oob []byte) {
		if ttl, ok := Parse(oob); ok && (ttl < 0 || ttl > 255) {
			t.Errorf("TTL %d out of range", ttl)
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
