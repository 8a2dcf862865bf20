//go:build linux

package cli

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/internal/loopbacktest"
)

// No answer to the handshake within --connect-timeout: status 1, one line saying so.
func TestTCPConnectTimeout(t *testing.T) {
	to := loopbacktest.FullListener(t)
	began := time.Now()
	code, out, errOut := run(t, nil, "tcp", "connect", to, "--connect-timeout", "200ms", "--send", "x")
	if code != 1 || out != "" {
		t.Fatalf("want exit 1 and no output, got %d, %q", code, out)
	}
	if line := oneLine(t, errOut); line != "sockdesk: connect "+to+": no answer within 200ms: i/o timeout" {
		t.Errorf("got %q", line)
	}
	if took := time.Since(began); took > 3*time.Second {
		t.Errorf("took %v", took)
	}
}

// asNobody is set in the child process of TestPrivilegedPortWithoutPermission.
const asNobody = "SOCKDESK_TEST_AS_NOBODY"

// A port below 1024 without the privilege to bind it: status 1 and a message that
// says why. Tests run as root here, where binding port 80 succeeds, so the check
// runs in a child process (this test binary, copied where nobody can run it) as the
// user nobody.
func TestPrivilegedPortWithoutPermission(t *testing.T) {
	if os.Getenv(asNobody) == "1" {
		// The child: report each command's status and stderr on stdout.
		for _, args := range [][]string{
			{"tcp", "serve", "--port", "80", "--bind", "127.0.0.1"},
			{"udp", "listen", "--port", "80", "--bind", "127.0.0.1"},
			{"udp", "send", "--to", "127.0.0.1:9", "--from", "127.0.0.1:80", "x"},
		} {
			code, _, errOut := run(t, nil, args...)
			fmt.Printf("%d %s", code, errOut)
		}
		return
	}
	if b, err := os.ReadFile("/proc/sys/net/ipv4/ip_unprivileged_port_start"); err == nil {
		if n, _ := strconv.Atoi(strings.TrimSpace(string(b))); n <= 80 {
			t.Skipf("ports from %d up need no privilege here", n)
		}
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	var cmd *exec.Cmd
	if os.Geteuid() == 0 {
		dir, err := os.MkdirTemp("", "sockdesk-nobody-")
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(dir)
		exe := filepath.Join(dir, "cli.test")
		if err := copyExecutable(self, exe); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		cmd = exec.Command(exe, "-test.run=^TestPrivilegedPortWithoutPermission$")
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		cmd.Dir = dir
	} else {
		cmd = exec.Command(self, "-test.run=^TestPrivilegedPortWithoutPermission$")
	}
	cmd.Env = append(os.Environ(), asNobody+"=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	want := "1 sockdesk: --port: permission denied binding 127.0.0.1:80 (ports below 1024 need privileges)\n" +
		"1 sockdesk: --port: permission denied binding 127.0.0.1:80 (ports below 1024 need privileges)\n" +
		"1 sockdesk: --from: permission denied binding 127.0.0.1:80 (ports below 1024 need privileges)\n"
	if got := strings.TrimSuffix(string(out), "PASS\n"); got != want {
		t.Errorf("as nobody:\n%s\nwant:\n%s", got, want)
	}
}

func copyExecutable(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}
