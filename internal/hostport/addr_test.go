package hostport

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// Every address a person can mistype gets a reason that names the problem.
func TestSplitHostPortBadInput(t *testing.T) {
	for _, tc := range []struct {
		in        string
		allowZero bool
		want      string
	}{
		{"", false, "empty; expected HOST:PORT"},
		{"   ", false, "empty; expected HOST:PORT"},
		{"127.0.0.1", false, "missing port; expected HOST:PORT"},
		{"127.0.0.1:", false, "port is empty"},
		{"127.0.0.1:0", false, "port 0 is out of range 1-65535"},
		{"127.0.0.1:-1", true, "port -1 is out of range 0-65535"},
		{"127.0.0.1:65536", true, "port 65536 is out of range 0-65535"},
		{"127.0.0.1:abc", false, `port "abc" is not a number`},
		{"127.0.0.1:99999999999999999999", false, `port "99999999999999999999" is not a number`},
		{"::1:80", false, "put an IPv6 address in brackets, e.g. [::1]:9000"},
		{"fe80::1", false, "put an IPv6 address in brackets, e.g. [::1]:9000"},
		{"[::1]", false, "missing port; expected [IPv6]:PORT"},
		{"[::1]:", false, "port is empty"},
		{"[::1]x:80", false, "expected HOST:PORT"},
		{"[::1:80", false, "expected HOST:PORT"},
		{"[ ]:0", true, `host " " has a space or control character in it`},
		{"a b:80", false, `host "a b" has a space or control character in it`},
		{"[::1\n]:80", false, `host "::1\n" has a space or control character in it`},
	} {
		_, _, err := Split(tc.in, tc.allowZero)
		var ae *Error
		if !errors.As(err, &ae) || ae.Input != tc.in || ae.Reason != tc.want {
			t.Errorf("Split(%q) = %v; want reason %q", tc.in, err, tc.want)
		}
	}
	for _, tc := range []struct {
		in, host string
		port     int
	}{
		{"[::1]:9000", "::1", 9000},
		{" 127.0.0.1:80 ", "127.0.0.1", 80},
		{":0", "", 0},
		{"localhost:65535", "localhost", 65535},
		{"[fe80::1%lo]:1", "fe80::1%lo", 1},
	} {
		host, port, err := Split(tc.in, true)
		if err != nil || host != tc.host || port != tc.port {
			t.Errorf("Split(%q) = %q, %d, %v", tc.in, host, port, err)
		}
	}
	// Brackets or not, a bind address comes out right.
	for _, in := range []string{"::1", "[::1]", " [::1] "} {
		if got := BindAddress(in, 80); got != "[::1]:80" {
			t.Errorf("BindAddress(%q) = %q", in, got)
		}
	}
}

func FuzzSplitHostPort(f *testing.F) {
	for _, s := range []string{"127.0.0.1:80", "[::1]:9000", "::1:80", "[::1]", "host:0", ":7788", "",
		"a:b:c", "[fe80::1%eth0]:443", "127.0.0.1:-1", "127.0.0.1:65536", "x:+80", "[]:1", "[[::1]]:1"} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, allowZero bool) {
		host, port, err := Split(s, allowZero)
		if err != nil {
			var ae *Error
			if !errors.As(err, &ae) || ae.Input != s || ae.Reason == "" {
				t.Fatalf("Split(%q): error %v is not an Error about the input", s, err)
			}
			if host != "" || port != 0 {
				t.Fatalf("Split(%q) = %q, %d with an error", s, host, port)
			}
			return
		}
		lo := 1
		if allowZero {
			lo = 0
		}
		if port < lo || port > 65535 {
			t.Fatalf("Split(%q) accepted port %d", s, port)
		}
		if strings.IndexFunc(host, unicode.IsSpace) >= 0 || strings.IndexFunc(host, unicode.IsControl) >= 0 {
			t.Fatalf("Split(%q) accepted host %q", s, host)
		}
		// What comes out goes back in: joining and splitting again is the same.
		joined := Join(host, port)
		h2, p2, err := Split(joined, allowZero)
		if err != nil || h2 != host || p2 != port {
			t.Fatalf("Split(%q) = %q, %d; again from %q: %q, %d, %v", s, host, port, joined, h2, p2, err)
		}
		if !strings.HasSuffix(joined, ":"+strconv.Itoa(port)) {
			t.Fatalf("Join(%q, %d) = %q", host, port, joined)
		}
		// A bare IPv6 host is bracketed when joined, so the port cannot be misread.
		if strings.Contains(host, ":") && !strings.HasPrefix(joined, "[") {
			t.Fatalf("Join(%q, %d) = %q without brackets", host, port, joined)
		}
	})
}

func FuzzParsePort(f *testing.F) {
	for _, s := range []string{"80", "0", "-1", "65535", "65536", "abc", "", " 8080 ", "+1", "0x50", "٨٠"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, allowZero := range []bool{false, true} {
			n, err := ParsePort(s, allowZero)
			if err != nil {
				if n != 0 || err.Error() == "" {
					t.Fatalf("ParsePort(%q) = %d, %v", s, n, err)
				}
				continue
			}
			if n < 0 || n > 65535 || n == 0 && !allowZero {
				t.Fatalf("ParsePort(%q, %v) accepted %d", s, allowZero, n)
			}
		}
	})
}
