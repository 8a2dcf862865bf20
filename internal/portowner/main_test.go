package portowner

import (
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"testing"

	"github.com/sockdesk/sockdesk/internal/loopbacktest"
	"go.uber.org/goleak"
)

// helperEnv makes the test binary, started again by a test, act as a helper
// instead of running tests.
const helperEnv = "PORTOWNER_TEST_HELPER"

func TestMain(m *testing.M) {
	loopbacktest.HoldPortsIfAsked()
	if os.Getenv(helperEnv) == "lookup" {
		os.Exit(lookupHelper())
	}
	goleak.VerifyTestMain(m)
}

// lookupHelper looks up the port in PORTOWNER_TEST_PORT and prints the
// result: "found PID..." or "error TEXT".
func lookupHelper() int {
	procs, err := Lookup("tcp", netip.MustParseAddrPort(os.Getenv("PORTOWNER_TEST_ADDR")))
	if err != nil {
		fmt.Println("error", err)
		return 0
	}
	fmt.Println("found", procs)
	return 0
}

// boundChild starts the test binary as a port holder (loopbacktest.PortHolder)
// and returns it with its ports; it ends when the test does.
func boundChild(t *testing.T, configure func(*exec.Cmd)) (cmd *exec.Cmd, tcpPort, udpPort uint16) {
	t.Helper()
	cmd, tp, up := loopbacktest.PortHolder(t, configure)
	return cmd, uint16(tp), uint16(up)
}
