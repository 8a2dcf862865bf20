package hostport

import (
	"errors"
	"strings"
	"testing"
)

// An address that is not an IP address and cannot be a host name is called
// invalid, and what it looks like it was meant to be is said, before any lookup.
func TestCheckHost(t *testing.T) {
	for _, h := range []string{"", "127.0.0.1", "0.0.0.0", "::", "::1", "fe80::1%eth0", "localhost", "example.com",
		"example.com.", "my_host", "a-b.c", "例子.测试", "xn--fsq.com", strings.Repeat("a", 63) + ".com"} {
		if err := CheckHost(h); err != nil {
			t.Errorf("CheckHost(%q) = %v", h, err)
		}
	}
	for _, c := range []struct {
		h    string
		want HostProblem
	}{
		{"999.1.1.1", BadIPv4}, {"256.0.0.1", BadIPv4}, {"1.2.3", BadIPv4}, {"1.2.3.4.5", BadIPv4}, {"12345", BadIPv4},
		{"1.2.3.", BadIPv4}, {"::g", BadIPv6}, {"1:2", BadIPv6}, {"fe80::1%", BadIPv6},
		{"-a.com", BadName}, {"a-.com", BadName}, {"a..b", BadName}, {"a b", BadName}, {"a/b", BadName},
		{"a@b", BadName}, {strings.Repeat("a", 64) + ".com", BadName}, {".", BadName},
	} {
		var he *HostError
		if err := CheckHost(c.h); !errors.As(err, &he) || he.Problem != c.want || he.Host != c.h {
			t.Errorf("CheckHost(%q) = %v, want problem %d", c.h, err, c.want)
		}
	}
	// Split says it for a host:port, the reason kept reachable.
	_, _, err := Split("999.1.1.1:80", false)
	var he *HostError
	if !errors.As(err, &he) || !strings.Contains(err.Error(), `"999.1.1.1" is not a valid IPv4 address`) {
		t.Errorf("Split: %v", err)
	}
}
