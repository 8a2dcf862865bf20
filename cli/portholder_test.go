package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/sockdesk/sockdesk/internal/loopbacktest"
	"github.com/sockdesk/sockdesk/internal/portowner"
)

// wantHeldBy checks that line says the address in prefix is in use by the
// process pid (or, where this system's socket tables cannot be read, that
// it says so).
func wantHeldBy(t *testing.T, line, prefix string, pid int) {
	t.Helper()
	rest, ok := strings.CutPrefix(line, prefix+" is already in use")
	switch {
	case !ok:
		t.Errorf("got  %q\nwant %q...", line, prefix+" is already in use")
	case strings.HasPrefix(rest, "; ") && strings.Contains(rest, portowner.ErrUnsupported.Error()):
		t.Logf("the holder cannot be looked up here: %s", rest)
	case !strings.HasPrefix(rest, " by ") || !strings.Contains(rest, fmt.Sprintf(" (PID %d", pid)):
		t.Errorf("%q does not name the holder, PID %d", line, pid)
	}
}

// A port another process holds: every command that binds names it, with its
// PID, program and command line.
func TestPortInUseNamesTheHolder(t *testing.T) {
	holder, tcpPort, udpPort := loopbacktest.PortHolder(t, nil)
	pid := holder.Process.Pid
	tcp, udp := strconv.Itoa(tcpPort), strconv.Itoa(udpPort)
	pcapDir := t.TempDir()
	for _, c := range []struct {
		args   []string
		prefix string
	}{
		{[]string{"udp", "listen", "--port", udp, "--bind", "127.0.0.1"}, "sockdesk: --port: 127.0.0.1:" + udp},
		{[]string{"udp", "send", "--from", "127.0.0.1:" + udp, "--to", "127.0.0.1:9", "x"}, "sockdesk: --from: 127.0.0.1:" + udp},
		{[]string{"tcp", "serve", "--port", tcp}, "sockdesk: --port: port " + tcp},
		{[]string{"tcp", "relay", "--listen", "127.0.0.1:" + tcp, "--to", "127.0.0.1:9", "--pcap", filepath.Join(pcapDir, "relay.pcapng")}, "sockdesk: --listen: 127.0.0.1:" + tcp},
	} {
		code, out, errOut := run(t, nil, c.args...)
		if code != 1 || out != "" {
			t.Errorf("%q: exit %d, stdout %q", c.args, code, out)
		}
		line := oneLine(t, errOut)
		wantHeldBy(t, line, c.prefix, pid)
		// The command line is read from /proc on Linux (Windows gives the
		// program's path only).
		if runtime.GOOS == "linux" && !strings.Contains(line, "-test.run=^$)") {
			t.Errorf("%q: the holder's command line is not shown: %q", c.args, line)
		}
	}
	// The relay that did not start left no --pcap file, whole or partial.
	if left, err := os.ReadDir(pcapDir); err != nil || len(left) != 0 {
		t.Errorf("after a failed start the --pcap directory holds %v (%v)", left, err)
	}
}
