package cli

import (
	"bufio"
	"encoding/json"
	"encoding/xml"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sockdesk/sockdesk/internal/loopbacktest"
)

// startLinePeer is a line-protocol device on loopback: "LOGIN x" -> "OK x",
// "TEMP" -> "T=21.5", anything else -> "ERR". The test's cleanup stops it.
func startLinePeer(t *testing.T) string {
	return loopbacktest.Serve(t, func(c *net.TCPConn) {
		r := bufio.NewReader(c)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			cmd := strings.TrimSpace(line)
			reply := "ERR\r\n"
			switch {
			case strings.HasPrefix(cmd, "LOGIN "):
				reply = "OK " + strings.TrimPrefix(cmd, "LOGIN ") + "\r\n"
			case cmd == "TEMP":
				reply = "T=21.5\r\n"
			}
			c.Write([]byte(reply))
		}
	})
}

func writeSeqFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

var stepLine = regexp.MustCompile(`^\d\d:\d\d:\d\d\.\d\d\d (PASS|FAIL|SKIP|STOP) `)

// sockdesk run: every step printed with its time and result, exit 0, --var
// fills a placeholder, and --junit writes a file that parses with a case per step.
func TestRunSequencePasses(t *testing.T) {
	addr := startLinePeer(t)
	file := writeSeqFile(t, "login.yaml", `connect: tcp://`+addr+`
frame: line
steps:
  - send: "LOGIN {user}\r\n"
  - expect: "OK {user}"
  - send: "TEMP\r\n"
  - expect_re: 'T=(?P<temp>[0-9.]+)'
  - send: "LOGIN t{temp}\r\n"
  - expect: "OK t21.5"
`)
	junit := filepath.Join(t.TempDir(), "out.xml")
	code, out, errOut := run(t, nil, "run", file, "--var", "user=admin", "--junit", junit)
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q, stdout:\n%s", code, errOut, out)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 8 {
		t.Fatalf("want 7 result lines and a summary:\n%s", out)
	}
	for _, l := range lines[:7] {
		if !stepLine.MatchString(l) || !strings.Contains(l, "PASS") || !strings.HasSuffix(l, " ms)") {
			t.Errorf("result line %q", l)
		}
	}
	if !strings.Contains(lines[1], `step 1 (line 4) send "LOGIN {user}\r\n": sent "LOGIN admin\r\n"`) {
		t.Errorf("send line %q", lines[1])
	}
	if !strings.HasPrefix(lines[7], "RESULT pass: 7 passed, 0 failed, 0 skipped in ") {
		t.Errorf("summary %q", lines[7])
	}
	var doc struct {
		Suite struct {
			Tests int `xml:"tests,attr"`
			Cases []struct {
				Name string `xml:"name,attr"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	b, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(b, &doc); err != nil || doc.Suite.Tests != 7 || len(doc.Suite.Cases) != 7 {
		t.Fatalf("JUnit: %v\n%s", err, b)
	}
}

// A failed step: exit 1, the FAIL line with what was expected and what came,
// the messages received while waiting, the steps not run, and one stderr line
// naming the file, line and column.
func TestRunSequenceFails(t *testing.T) {
	addr := startLinePeer(t)
	file := writeSeqFile(t, "fail.yaml", "connect: tcp://"+addr+"\nframe: line\nsteps:\n  - send: \"HELLO\\r\\n\"\n  - expect: OK\n  - send: x\n")
	code, out, errOut := run(t, nil, "run", file)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stdout:\n%s", code, out)
	}
	want := file + `:5:5: step 2 (line 5) expect "OK" failed: expected a message containing "OK", got "ERR\r\n"`
	if line := strings.TrimPrefix(oneLine(t, errOut), "sockdesk: "); line != want {
		t.Errorf("stderr\n got  %s\n want %s", line, want)
	}
	for _, w := range []string{
		`FAIL step 2 (line 5) expect "OK": expected a message containing "OK", got "ERR\r\n" (`,
		"     received while waiting:\n       \"ERR\\r\\n\"\n",
		"SKIP step 3 (line 6) send \"x\" (not run)\n",
		"RESULT fail: 2 passed, 1 failed, 1 skipped in ",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("stdout lacks %q:\n%s", w, out)
		}
	}
}

// --json: one object per result and a summary.
func TestRunSequenceJSON(t *testing.T) {
	addr := startLinePeer(t)
	file := writeSeqFile(t, "j.yaml", "connect: tcp://"+addr+"\nframe: line\nsteps:\n  - send: \"TEMP\\r\\n\"\n  - expect: \"T=99\"\n    timeout: 300ms\n")
	code, out, _ := run(t, nil, "run", file, "--json")
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	var objs []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("not JSON: %q", l)
		}
		objs = append(objs, m)
	}
	if len(objs) != 4 {
		t.Fatalf("want 3 steps and a summary:\n%s", out)
	}
	f := objs[2]
	if f["result"] != "fail" || f["line"] != 5.0 || f["kind"] != "expect" || f["got"] != `"T=21.5\r\n"` ||
		f["expected"] != `a message containing "T=99"` || f["step"] != "2" {
		t.Errorf("failed step object %v", f)
	}
	if s := objs[3]; s["event"] != "summary" || s["result"] != "fail" || s["passed"] != 2.0 || s["failed"] != 1.0 {
		t.Errorf("summary %v", s)
	}
}

// Bad files and bad arguments exit 2 with what is wrong and where.
func TestRunSequenceUsageErrors(t *testing.T) {
	bad := writeSeqFile(t, "bad.yaml", "connect: tcp://127.0.0.1:9\nsteps:\n  - send: x\n    expect: y\n")
	good := writeSeqFile(t, "good.yaml", "connect: tcp://127.0.0.1:9\nsteps:\n  - send: x\n")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run"}, "FILE: missing; give the sequence file to run"},
		{[]string{"run", bad}, bad + `:4:5: step 1 has two actions, send and expect: one per step (start another with "- ")`},
		{[]string{"run", filepath.Join(t.TempDir(), "none.yaml")}, "open ..."},
		{[]string{"run", good, "--var", "x"}, "--var x: want NAME=VALUE"},
		{[]string{"run", good, "--var", "9x=1"}, `--var 9x=1: variable "9x": a name is letters, digits and _, not starting with a digit`},
		{[]string{"run", good, "extra"}, `unexpected argument "extra" (one sequence file at a time)`},
	} {
		t.Run(strings.Join(c.args[1:], " "), func(t *testing.T) { expectUsageError(t, c.args, c.want) })
	}
}
