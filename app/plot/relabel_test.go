package plot

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Relabel writes every word again through the translation function, keeping
// the choices: the owner calls it when the UI language changes.
func TestRelabelRewritesEveryWord(t *testing.T) {
	marked := false
	tr := func(s string) string {
		if marked {
			return "«" + s + "»"
		}
		return s
	}
	c, w, _ := newTestChart(t, tr)
	c.OnExportCSV, c.OnExportPNG = func() {}, func() {}
	c.SetWindow(5 * time.Minute)
	c.SetPaused(true)
	for i := range MaxSeries + 1 {
		c.Add(string(rune('a'+i)), base, 1)
	}
	c.Tick()

	marked = true
	c.Relabel()
	words := append(collectTexts(w.Canvas().Content()), c.windowSelect.Options...)
	words = append(words, c.droppedLabel.Text)
	for _, s := range words {
		if s == "" || s[0] >= '0' && s[0] <= '9' || utf8.RuneCountInString(s) == 1 {
			continue // data: a value, a time, a series name
		}
		if !strings.HasPrefix(s, "«") {
			t.Errorf("%q is not relabelled", s)
		}
	}
	if c.Window() != 5*time.Minute || c.windowSelect.Selected != "«Last 5 min»" || !c.Paused() {
		t.Errorf("the choices changed: window %v (%q), paused %v", c.Window(), c.windowSelect.Selected, c.Paused())
	}
}
