package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// bins are the programs a run uses, built fresh into one directory.
type bins struct {
	dir                                                string
	sockdesk                                           string
	tcprecv, tcpsend, udprecv, udpsend, tcpecho, hello string
}

func build(dir string) (bins, error) {
	b := bins{dir: dir}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return b, err
	}
	// The real program, as users run it (Fyne linked in, cgo and all).
	if err := goBuild(filepath.Join(dir, "sockdesk"), "."); err != nil {
		return b, err
	}
	if err := goBuild(dir+string(filepath.Separator), "./bench/baseline/..."); err != nil {
		return b, err
	}
	p := func(name string) string { return filepath.Join(dir, name) }
	b.sockdesk = p("sockdesk")
	b.tcprecv, b.tcpsend, b.udprecv, b.udpsend = p("tcprecv"), p("tcpsend"), p("udprecv"), p("udpsend")
	b.tcpecho, b.hello = p("tcpecho"), p("hello")
	return b, nil
}

func goBuild(out, pkg string) error {
	cmd := exec.Command("go", "build", "-o", out, pkg)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", pkg, err, msg)
	}
	return nil
}
