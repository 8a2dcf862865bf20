package main

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// runCLIEnv, when set, makes the test binary run the command line with its
// words as arguments instead of the tests: the tests start this binary as a child
// to see what a user's shell would see, Fyne's package start-up included.
const runCLIEnv = "SOCKDESK_TEST_RUN_CLI"

func TestMain(m *testing.M) {
	if args := os.Getenv(runCLIEnv); args != "" {
		os.Exit(runCLI(strings.Fields(args)))
	}
	os.Exit(m.Run())
}

// No command-line output depends on Fyne's start-up in any locale: under C,
// POSIX, C.UTF-8 (the default of many containers and CI runners) or none at all,
// `sockdesk charsets` prints its list and nothing on stderr.
func TestCLIQuietInCLocale(t *testing.T) {
	for _, env := range [][]string{
		{"LANG=C.UTF-8"}, {"LANG=C"}, {"LANG=POSIX"}, {"LANG=POSIX.UTF-8"}, {},
		{"LC_ALL=C.UTF-8", "LANG=zh_CN.UTF-8"}, {"LANG=en_US.UTF-8"},
	} {
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(cleanLocaleEnv(), append(env, runCLIEnv+"=charsets")...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Errorf("%v: %v; stderr %q", env, err, stderr.String())
			continue
		}
		if stderr.Len() != 0 || !strings.Contains(stdout.String(), "GB18030") {
			t.Errorf("%v: stderr %q, stdout %q", env, stderr.String(), stdout.String())
		}
	}
}

// cleanLocaleEnv is this process's environment without the locale variables.
func cleanLocaleEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if name != "LANG" && name != "LANGUAGE" && !strings.HasPrefix(name, "LC_") {
			out = append(out, kv)
		}
	}
	return out
}
