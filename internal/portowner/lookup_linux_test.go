package portowner

import (
	"bytes"
	"errors"
	"io"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

func TestParseSocketTable(t *testing.T) {
	table := `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0000000000000000 100 0 0 10 0
   1: 00000000000000000000000001000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 77 1
`
	entries, err := parseSocketTable([]byte(table))
	if err != nil {
		t.Fatal(err)
	}
	want := []socketEntry{
		{addr: netip.MustParseAddr("127.0.0.1"), port: 8080, state: 0x0A, uid: 1000, inode: 4242},
		{addr: netip.MustParseAddr("::1"), port: 80, state: 0x0A, uid: 0, inode: 77},
	}
	if len(entries) != 2 || entries[0] != want[0] || entries[1] != want[1] {
		t.Errorf("parsed %+v\nwant %+v", entries, want)
	}
	if _, err := parseSocketTable([]byte("header\n 0: nonsense\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("a short line: %v, want an error naming line 2", err)
	}
}

// lsof is the macOS path; where lsof is installed it is checked here too.
func TestLsofFindsTheChild(t *testing.T) {
	if _, err := exec.LookPath("lsof"); err != nil {
		t.Skip("lsof is not installed")
	}
	child, tcpPort, udpPort := boundChild(t, nil)
	for _, q := range []struct {
		proto string
		port  uint16
	}{{"tcp", tcpPort}, {"udp", udpPort}} {
		procs, err := lookupLsof(q.proto, netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), q.port))
		if err != nil {
			t.Fatalf("lsof %s %d: %v", q.proto, q.port, err)
		}
		checkFound(t, "lsof "+q.proto, procs, child.Process.Pid)
	}
}

// A process that may not read another user's /proc/PID/fd cannot tell who
// holds the port, and must say so rather than guess.
func TestAnotherUsersProcessIsNotVisible(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root, to run the lookup as another user")
	}
	_, tcpPort, _ := boundChild(t, nil) // held by root

	// The test binary, somewhere user nobody may run it.
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// t.TempDir is DIR/NNN inside a per-test directory made 0700; open
	// that one too (and nothing above it).
	if err := os.Chmod(filepath.Dir(dir), 0o755); err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "portowner.test")
	if err := copyFile(os.Args[0], exe); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), helperEnv+"=lookup", "PORTOWNER_TEST_ADDR=127.0.0.1:"+strconv.Itoa(int(tcpPort)))
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("the lookup as user nobody: %v\n%s", err, out.String())
	}
	got := strings.TrimSpace(out.String())
	if !strings.HasPrefix(got, "error") || !strings.Contains(got, ErrNotVisible.Error()) || !strings.Contains(got, "uid 0") {
		t.Errorf("user nobody looking up root's port got %q, want ErrNotVisible naming uid 0", got)
	}
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return errors.Join(out.Close())
}
