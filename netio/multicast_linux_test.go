package netio

import (
	"context"
	"encoding/binary"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/internal/hostport"
	"github.com/sockdesk/sockdesk/internal/loopbacktest"
)

// Joining shows in the kernel's membership table (/proc/net/igmp) for the
// interface, and Close takes it out again.
func TestUDPMulticastLeavesOnClose(t *testing.T) {
	lo := loopbacktest.Interface(t)
	const group = "239.255.77.4"
	u, _ := startUDP(t, UDPConfig{Join: []string{group}, Iface: lo})
	if !igmpMember(t, lo, group) {
		t.Fatalf("%s is not in /proc/net/igmp for %s after joining", group, lo)
	}
	u.Close()
	if igmpMember(t, lo, group) {
		t.Errorf("%s is still in /proc/net/igmp for %s after Close", group, lo)
	}
}

// igmpMember reports whether /proc/net/igmp lists group under interface iface.
// Groups there are hex in the host's byte order.
func igmpMember(t *testing.T, iface, group string) bool {
	t.Helper()
	b, err := os.ReadFile("/proc/net/igmp")
	if err != nil {
		t.Skipf("skipped: cannot read the membership table: %v", err)
	}
	ip := net.ParseIP(group).To4()
	want := fmt.Sprintf("%08X", binary.NativeEndian.Uint32(ip))
	in := false
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) > 1 && !strings.HasPrefix(line, "\t") {
			in = f[1] == iface || strings.TrimSuffix(f[1], ":") == iface
			continue
		}
		if f := strings.Fields(line); in && len(f) > 0 && f[0] == want {
			return true
		}
	}
	return false
}

// netnsEnv marks the copy of the test binary that runs inside the namespace.
const netnsEnv = "SOCKDESK_TEST_MCAST_NETNS"

// The loopback interface cannot show IPv6 multicast or the loop switch on Linux
// (no MULTICAST flag, and lo delivers its own traffic whatever the switch says).
// This test re-runs itself in a network namespace it creates (unshare -n) with a
// veth pair sdmc0/sdmc1, which is multicast-capable: all traffic stays in that
// namespace, which ends with the process.
func TestUDPMulticastInNamespace(t *testing.T) {
	if os.Getenv(netnsEnv) == "" {
		runInNamespace(t)
		return
	}
	t.Run("IPv6 interface-local", func(t *testing.T) { runMulticastIPv6(t, "sdmc0", "ff01::5d:2") })
	t.Run("IPv6 link-local", func(t *testing.T) { runMulticastIPv6(t, "sdmc0", "ff02::5d:3") })
	t.Run("loop switch", testLoopSwitch)
}

// testLoopSwitch: with loop off no copy reaches this host's member, whether the
// datagram goes by a single send or by a batch (the generator's way); a second,
// looping sender proves the member still receives, so the missing copy is the switch.
func testLoopSwitch(t *testing.T) {
	for _, group := range []string{"239.255.77.5", "ff02::5d:4"} {
		l, lEvents := startUDP(t, UDPConfig{Join: []string{group}, Iface: "sdmc0"})
		dst := hostport.Join(group, l.LocalAddr().(*net.UDPAddr).Port)
		quiet, _ := startUDP(t, UDPConfig{Iface: "sdmc0", MulticastNoLoop: true})
		if err := quiet.SendTo(dst, []byte("not looped")); err != nil {
			t.Fatal(err)
		}
		quietBatch, _ := startUDP(t, UDPConfig{Iface: "sdmc0", MulticastNoLoop: true})
		addr, err := ResolveUDP(dst)
		if err != nil {
			t.Fatal(err)
		}
		b, err := quietBatch.NewBatch(addr, nil)
		if err != nil {
			t.Fatal(err)
		}
		b.Add([]byte("not looped (batch)"))
		if err := b.Flush(); err != nil {
			t.Fatal(err)
		}
		loud, _ := startUDP(t, UDPConfig{Iface: "sdmc0"})
		if err := loud.SendTo(dst, []byte("looped")); err != nil {
			t.Fatal(err)
		}
		lEvents.WaitFor(t, "looped datagram to "+group, func(e Event) bool { return e.Kind == EventReceived && e.Text == "looped" }, 1)
		for _, e := range lEvents.Events() {
			if e.Kind == EventReceived && strings.HasPrefix(e.Text, "not looped") {
				t.Errorf("%s: received %q although the sender turned loop off", group, e.Text)
			}
		}
	}
}

func runInNamespace(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("skipped: creating a network namespace with a veth pair needs root")
	}
	for _, tool := range []string{"unshare", "ip"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("skipped: %s is not installed, so the test cannot create a network namespace", tool)
		}
	}
	// DAD off, so the link-local addresses are usable at once rather than after a
	// second of duplicate detection. 192.0.2.1 (TEST-NET-1) exists only in the namespace.
	script := `set -e
ip link set lo up
ip link add sdmc0 type veth peer name sdmc1
echo 0 > /proc/sys/net/ipv6/conf/sdmc0/accept_dad
echo 0 > /proc/sys/net/ipv6/conf/sdmc1/accept_dad
ip addr add 192.0.2.1/24 dev sdmc0
ip link set sdmc0 up
ip link set sdmc1 up
exec "$0" -test.run '^TestUDPMulticastInNamespace$' -test.count=1 -test.v`
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "unshare", "-n", "sh", "-c", script, os.Args[0])
	cmd.Env = append(os.Environ(), netnsEnv+"=1")
	out, err := cmd.CombinedOutput()
	text := string(out)
	switch {
	case strings.Contains(text, "--- FAIL"):
		t.Fatalf("in the namespace:\n%s", text)
	case err != nil && !strings.Contains(text, "=== RUN"):
		t.Skipf("skipped: could not set up a network namespace with a veth pair: %v\n%s", err, text)
	case err != nil:
		t.Fatalf("in the namespace: %v\n%s", err, text)
	case !strings.Contains(text, "--- PASS: TestUDPMulticastInNamespace"):
		t.Fatalf("the namespace run did not pass:\n%s", text)
	}
	t.Logf("in the namespace:\n%s", text)
}
