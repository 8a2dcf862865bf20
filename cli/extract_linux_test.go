//go:build linux

package cli

import (
	"strings"
	"testing"
)

// --values-csv on a full disk (/dev/full): the listener keeps running and
// showing values, says once that values are no longer written, and ends with
// status 1.
func TestValuesCSVDiskFull(t *testing.T) {
	l := start(t, nil, "udp", "listen", "--port", "0", "--bind", "127.0.0.1", "--json", "--count", "2",
		"--extract", "kv", "--values-csv", "/dev/full")
	c := udpSender(t, addr("127.0.0.1", l.waitPort()))
	c.Write([]byte("a=1"))
	l.waitEvents("the first datagram", 1, is("received"))
	c.Write([]byte("a=2"))
	if code := l.wait(); code != 1 {
		t.Fatalf("want exit 1, got %d; stderr %q", code, l.stderr)
	}
	if recv := receivedLines(l.stdout.lines()); len(recv) != 2 || valuesOf(t, recv[1])["a"] != 2 {
		t.Errorf("the screen should go on showing values: %q", recv)
	}
	errOut := l.stderr.String()
	if strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "sockdesk: values CSV /dev/full: ") ||
		!strings.Contains(errOut, "no space left on device; values are no longer written") {
		t.Errorf("stderr %q, want one line saying the values file stopped", errOut)
	}
}
