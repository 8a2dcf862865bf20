package app

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/sockdesk/sockdesk/internal/loopbacktest"
)

// Opening a UDP session or starting a TCP server on a port a child process
// holds says at the port field which program holds it and its PID, in the
// UI language.
func TestPortHolderNamedAtThePortField(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the child's name is read from /proc here; other systems are covered by internal/portowner")
	}
	holder, tcpPort, udpPort := loopbacktest.PortHolder(t, nil)
	pid := holder.Process.Pid
	// The child is this test binary: /proc/PID/comm holds the first 15
	// bytes of its name.
	name := []rune(filepath.Base(os.Args[0]))
	if len(name) > 15 {
		name = name[:15]
	}
	e, _ := newTestEnv(t)

	u := newUDPPanel(e)
	t.Cleanup(u.Close)
	u.bindAddr.SetText("127.0.0.1")
	u.bindPort.SetText(strconv.Itoa(udpPort))
	test.Tap(u.openBtn)
	want := fmt.Sprintf("Local port: that port is already in use by %s (PID %d)", string(name), pid)
	if u.ep != nil || !strings.Contains(fieldErrors(u.form), want) {
		t.Errorf("UDP on a held port: fields say %q, want %q", fieldErrors(u.form), want)
	}

	useLanguage(t, "zh-Hans")
	s := newTCPServerPanel(e)
	t.Cleanup(s.Close)
	s.bindAddr.SetText("127.0.0.1")
	s.bindPort.SetText(strconv.Itoa(tcpPort))
	test.Tap(s.startBtn)
	want = fmt.Sprintf("端口: 该端口已被 %s（PID %d） 占用", string(name), pid)
	if s.srv != nil || !strings.Contains(fieldErrors(s.form), want) {
		t.Errorf("TCP server on a held port: fields say %q, want %q", fieldErrors(s.form), want)
	}
}
