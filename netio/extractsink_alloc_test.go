package netio

import (
	"testing"

	"github.com/sockdesk/sockdesk/netio/extract"
)

// Each event's Values are its own (a kept event does not change with the next
// one), and cost one allocation, whatever how many values a message holds.
func TestExtractSinkValuesAreTheEventsOwn(t *testing.T) {
	set, err := extract.ParseAll([]string{"kv"})
	if err != nil {
		t.Fatal(err)
	}
	var kept []Event
	s := ExtractSink(set, SinkFunc(func(e Event) { kept = append(kept, e) }))
	for _, text := range []string{"a=1 b=2 c=3", "a=4 b=5 c=6", "nothing"} {
		s.Emit(Event{Kind: EventReceived, Data: []byte(text), Text: text})
	}
	if v := kept[0].Values; len(v) != 3 || v[0].Value != 1 || v[2].Value != 3 {
		t.Errorf("the first event's values became %v", v)
	}
	if v := kept[1].Values; len(v) != 3 || v[0].Value != 4 {
		t.Errorf("the second event's values %v", v)
	}
	if kept[2].Values != nil {
		t.Errorf("a message without numbers got %v", kept[2].Values)
	}

	if raceEnabled {
		return
	}
	discard := ExtractSink(set, SinkFunc(func(Event) {}))
	e := Event{Kind: EventReceived, Data: []byte("temp=23.5 hum=41 v=3.3 n=12"), Text: "temp=23.5 hum=41 v=3.3 n=12"}
	discard.Emit(e) // the names are interned at the first sight
	if n := testing.AllocsPerRun(1000, func() { discard.Emit(e) }); n > 1 {
		t.Errorf("%.1f allocations per event of four values, want 1", n)
	}
}
