package webtrace

import (
	"bufio"
	"bytes"
	"os"
	"runtime"
	"strings"
)

// Where Unix systems keep the hosts file and the resolver configuration. Variables
// so that tests could point elsewhere; Windows keeps neither here.
var (
	hostsPath      = "/etc/hosts"
	resolvConfPath = "/etc/resolv.conf"
)

// describeResolver says, as honestly as can be known, who answered a lookup of
// name. Go's resolver (and the C library's) does not say which nameserver
// answered, so for DNS the trace names the configured ones and says so.
func describeResolver(name string, custom bool) string {
	if custom {
		return "the resolver given to the trace"
	}
	if runtime.GOOS == "windows" {
		return "the system resolver"
	}
	if inHostsFile(name) {
		return "the hosts file " + hostsPath + ", which the system reads before asking DNS (no query was sent)"
	}
	if ns := nameservers(); len(ns) > 0 {
		return "the system resolver, asking " + strings.Join(ns, ", ") + " (from " + resolvConfPath +
			"); which of them answered is not reported"
	}
	return "the system resolver"
}

// inHostsFile reports whether the hosts file lists name.
func inHostsFile(name string) bool {
	b, err := os.ReadFile(hostsPath)
	if err != nil {
		return false
	}
	name = strings.TrimSuffix(name, ".")
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		f := strings.Fields(line)
		for _, h := range f[min(1, len(f)):] {
			if strings.EqualFold(strings.TrimSuffix(h, "."), name) {
				return true
			}
		}
	}
	return false
}

// nameservers lists the nameserver lines of resolv.conf.
func nameservers() []string {
	b, err := os.ReadFile(resolvConfPath)
	if err != nil {
		return nil
	}
	var ns []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] == "nameserver" {
			ns = append(ns, f[1])
		}
	}
	return ns
}
