package logview

import (
	"bytes"
	"encoding/csv"
	"slices"
	"testing"
	"time"

	"github.com/sockdesk/sockdesk/netio"
)

// A peer's "=HYPERLINK(...)" must not become a live formula in a spreadsheet; the
// exact bytes stay in the hex column.
func TestLogSaveCSVGuardsFormulas(t *testing.T) {
	evil := "=HYPERLINK(\"http://x\",\"click\")"
	events := []netio.Event{
		{Time: time.Now(), Kind: netio.EventReceived, Peer: "127.0.0.1:1", Data: []byte(evil), Text: evil},
		{Time: time.Now(), Kind: netio.EventReceived, Peer: "127.0.0.1:1", Data: []byte("ok"), Text: "ok"},
	}
	var buf bytes.Buffer
	if _, err := writeLogEvents(&buf, slices.Values(events), true, SideNone); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := recs[1][4]; got[0] != '\'' {
		t.Errorf("formula cell %q is not guarded", got)
	}
	if recs[1][5] != "3d48595045524c494e4b2822687474703a2f2f78222c22636c69636b2229" {
		t.Errorf("hex column %q lost the exact bytes", recs[1][5])
	}
	if recs[2][4] != "ok" {
		t.Errorf("plain cell changed: %q", recs[2][4])
	}
}
