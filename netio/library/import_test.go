package library

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestExportImportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	lib := full(t)
	out := filepath.Join(dir, "export.json")
	if err := lib.Export(out); err != nil {
		t.Fatal(err)
	}
	src, err := ReadSource(out, Detect, testCheck)
	if err != nil {
		t.Fatal(err)
	}
	if src.Format != FormatSockdesk || len(src.Notes) != 0 {
		t.Errorf("format %q, notes %v", src.Format, src.Notes)
	}
	empty := New(testCheck)
	plan, err := empty.PlanImport(src.Messages)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Clashes()) != 0 {
		t.Errorf("clashes importing into an empty library: %v", plan.Clashes())
	}
	res, err := empty.Import(plan)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(empty.Messages(), lib.Messages()) {
		t.Errorf("imported:\n%+v\nexported:\n%+v", empty.Messages(), lib.Messages())
	}
	if len(res.Added) != lib.Len() {
		t.Errorf("result %+v", res)
	}

	// Importing the same file again changes nothing and asks nothing.
	plan, _ = empty.PlanImport(src.Messages)
	res, err = empty.Import(plan)
	if err != nil || len(plan.Clashes()) != 0 || len(res.Unchanged) != lib.Len() || len(res.Added) != 0 {
		t.Errorf("re-import: %+v, %v, clashes %v", res, err, plan.Clashes())
	}
}

func TestExportGroup(t *testing.T) {
	out := filepath.Join(t.TempDir(), "modbus.json")
	lib := full(t)
	if err := lib.Group("modbus").Export(out); err != nil {
		t.Fatal(err)
	}
	got, err := Load(out, testCheck)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Messages(), lib.InGroup("Modbus")) || got.Len() != 1 {
		t.Errorf("exported group: %+v", got.Messages())
	}
}

// clashSetup is a library A B C and incoming a (changed) B (same) D C (changed).
func clashSetup(t *testing.T) (*Library, []Message) {
	t.Helper()
	l := New(testCheck)
	mustAdd(t, l, sample("A"), sample("B"), sample("C"))
	a := sample("a")
	a.Payload = "incoming a"
	c := sample("C")
	c.Group = "incoming"
	return l, []Message{a, sample("B"), sample("D"), c}
}

func TestClashPolicies(t *testing.T) {
	cases := []struct {
		policy  Decision
		names   []string
		payload string // A's (or its replacement's) payload
		res     Result
	}{
		{Keep, []string{"A", "B", "C", "D"}, "hello A",
			Result{Added: []string{"D"}, Kept: []string{"a", "C"}, Unchanged: []string{"B"}}},
		{Replace, []string{"a", "B", "C", "D"}, "incoming a",
			Result{Added: []string{"D"}, Replaced: []string{"a", "C"}, Unchanged: []string{"B"}}},
		{Rename, []string{"A", "B", "C", "a (2)", "D", "C (2)"}, "hello A",
			Result{Added: []string{"D"}, Renamed: []Renamed{{"a", "a (2)"}, {"C", "C (2)"}}, Unchanged: []string{"B"}}},
	}
	for _, c := range cases {
		t.Run(c.policy.String(), func(t *testing.T) {
			l, incoming := clashSetup(t)
			plan, err := l.PlanImport(incoming)
			if err != nil {
				t.Fatal(err)
			}
			var clashing []string
			for _, cl := range plan.Clashes() {
				clashing = append(clashing, cl.Existing.Name+"/"+cl.Incoming.Name)
			}
			if !slices.Equal(clashing, []string{"A/a", "C/C"}) {
				t.Errorf("clashes %q", clashing)
			}
			plan.DecideAll(c.policy)
			res, err := l.Import(plan)
			if err != nil {
				t.Fatal(err)
			}
			wantNames(t, l, c.names...)
			if m := l.Messages()[0]; m.Payload != c.payload {
				t.Errorf("first message %+v, want payload %q", m, c.payload)
			}
			if !resultEqual(res, c.res) {
				t.Errorf("result %+v, want %+v", res, c.res)
			}
		})
	}
}

func resultEqual(a, b Result) bool {
	return slices.Equal(a.Added, b.Added) && slices.Equal(a.Replaced, b.Replaced) && slices.Equal(a.Renamed, b.Renamed) &&
		slices.Equal(a.Kept, b.Kept) && slices.Equal(a.Unchanged, b.Unchanged)
}

// The app asks per clash: each decision is recorded by name.
func TestDecidePerClash(t *testing.T) {
	l, incoming := clashSetup(t)
	plan, _ := l.PlanImport(incoming)
	if got := names(plan.Incoming()); !slices.Equal(got, []string{"a", "B", "D", "C"}) {
		t.Errorf("Incoming = %q", got)
	}
	if err := plan.Decide("D", Keep); err == nil {
		t.Error("a decision for a message that does not clash was taken")
	}
	if err := plan.Decide("a", Undecided); err == nil {
		t.Error("Undecided was taken as a decision")
	}
	if err := plan.Decide("A", Replace); err != nil { // any case
		t.Fatal(err)
	}
	if got := plan.Undecided(); !slices.Equal(got, []string{"C"}) {
		t.Errorf("Undecided = %q", got)
	}
	before := l.Messages()
	_, err := l.Import(plan)
	var ue *UndecidedError
	if !errors.As(err, &ue) || !slices.Equal(ue.Names, []string{"C"}) || !strings.Contains(err.Error(), `"C"`) {
		t.Fatalf("import with an undecided clash: %v", err)
	}
	if !slices.Equal(l.Messages(), before) {
		t.Error("a refused import changed the library")
	}
	plan.Decide("C", Rename)
	plan.DecideAll(Keep) // decides nothing more
	if _, err := l.Import(plan); err != nil {
		t.Fatal(err)
	}
	wantNames(t, l, "a", "B", "C", "D", "C (2)")
}

// A clash that appears after planning (the library changed meanwhile) is
// not silently resolved.
func TestImportReplansClashes(t *testing.T) {
	l := New(nil)
	plan, err := l.PlanImport([]Message{sample("new")})
	if err != nil {
		t.Fatal(err)
	}
	other := sample("NEW")
	other.Payload = "made meanwhile"
	mustAdd(t, l, other)
	var ue *UndecidedError
	if _, err := l.Import(plan); !errors.As(err, &ue) {
		t.Fatalf("import over a clash made after planning: %v", err)
	}
}

func TestRenameAvoidsIncomingNames(t *testing.T) {
	l := New(nil)
	mustAdd(t, l, sample("X"))
	x := sample("X")
	x.Note = "incoming"
	plan, _ := l.PlanImport([]Message{x, sample("X (2)")})
	plan.DecideAll(Rename)
	res, err := l.Import(plan)
	if err != nil {
		t.Fatal(err)
	}
	wantNames(t, l, "X", "X (3)", "X (2)")
	if !slices.Equal(res.Renamed, []Renamed{{"X", "X (3)"}}) {
		t.Errorf("renamed %+v", res.Renamed)
	}
}

func TestPlanImportRefusesBadMessages(t *testing.T) {
	l := New(testCheck)
	bad := sample("b")
	bad.Charset = "klingon"
	_, err := l.PlanImport([]Message{sample("a"), bad})
	var e *Error
	if !errors.As(err, &e) || e.Path != "messages[1].charset" {
		t.Errorf("bad incoming message: %v", err)
	}
	_, err = l.PlanImport([]Message{sample("a"), sample("A")})
	if !errors.As(err, &e) || e.Path != "messages[1].name" {
		t.Errorf("incoming names that clash among themselves: %v", err)
	}
}

func TestParseDecisionAndFormat(t *testing.T) {
	for s, want := range map[string]Decision{"keep": Keep, " Replace ": Replace, "RENAME": Rename} {
		if d, err := ParseDecision(s); d != want || err != nil {
			t.Errorf("ParseDecision(%q) = %v, %v", s, d, err)
		}
	}
	if _, err := ParseDecision("merge"); err == nil || err.Error() != `"merge" is not keep, replace or rename` {
		t.Errorf("ParseDecision(merge): %v", err)
	}
	for s, want := range map[string]Format{"": Detect, "auto": Detect, "PacketSender": FormatPacketSender, "sockdesk": FormatSockdesk} {
		if f, err := ParseFormat(s); f != want || err != nil {
			t.Errorf("ParseFormat(%q) = %q, %v", s, f, err)
		}
	}
	if _, err := ParseFormat("xtools"); err == nil {
		t.Error("ParseFormat(xtools) was accepted")
	}
}
