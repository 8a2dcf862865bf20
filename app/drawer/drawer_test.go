package drawer

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// wide is content that wants w points of width.
func wide(w float32) fyne.CanvasObject {
	r := canvas.NewRectangle(theme.Color(theme.ColorNameForeground))
	r.SetMinSize(fyne.NewSize(w, 50))
	return r
}

func TestDrawerOpensFoldsAndFits(t *testing.T) {
	test.NewTempApp(t)
	main := widget.NewLabel("conversation")
	d := New(main)
	lang := "en"
	title := func() string {
		if lang == "en" {
			return "Connection"
		}
		return "连接"
	}
	d.Add("conn", title, theme.SettingsIcon(), wide(400))
	d.Add("tools", func() string { return "Generator" }, theme.MediaPlayIcon(), wide(900))
	var heard []string
	d.OnChanged = func(open string) { heard = append(heard, open) }

	w := test.NewWindow(d.Object())
	defer w.Close()
	w.Resize(fyne.NewSize(1000, 600))

	// The first tool is open, its pane fitted to it.
	if d.Open() != "conn" || !d.pane.Visible() {
		t.Fatalf("open %q", d.Open())
	}
	if pw := d.pane.Size().Width; pw < 400 || pw > 420 {
		t.Errorf("fitted pane %.0f wide for content of 400", pw)
	}
	if main.Position().X < d.pane.Position().X+d.pane.Size().Width {
		t.Error("the conversation overlaps the pane")
	}

	// A tool wider than half the drawer gets half and scrolls.
	test.Tap(d.tools[1].tab)
	if d.Open() != "tools" || d.title.Text != "Generator" {
		t.Fatalf("open %q titled %q", d.Open(), d.title.Text)
	}
	if pw := d.pane.Size().Width; pw > 500 {
		t.Errorf("pane %.0f wide: more than half", pw)
	}

	// Tapping the open tab folds the pane: the conversation takes the width.
	test.Tap(d.tools[1].tab)
	if d.Open() != "" || d.pane.Visible() {
		t.Fatalf("still open: %q", d.Open())
	}
	if got, want := main.Size().Width, d.root.Size().Width-d.strip.MinSize().Width; got != want {
		t.Errorf("folded: the conversation is %.0f wide, want %.0f", got, want)
	}
	if len(heard) != 2 || heard[0] != "tools" || heard[1] != "" {
		t.Errorf("OnChanged heard %q", heard)
	}

	// A dragged divider keeps its place for that tool, within bounds.
	d.Show("conn")
	before := d.pane.Size().Width
	d.divider.Dragged(&fyne.DragEvent{Dragged: fyne.Delta{DX: 100}})
	if got := d.pane.Size().Width; got != before+100 {
		t.Errorf("dragged pane %.0f, want %.0f", got, before+100)
	}
	d.divider.Dragged(&fyne.DragEvent{Dragged: fyne.Delta{DX: 5000}})
	if got := main.Size().Width; got < minMain {
		t.Errorf("dragged too far: the conversation is %.0f wide", got)
	}
	w.Resize(fyne.NewSize(1200, 600))
	if got := main.Size().Width; got < minMain {
		t.Errorf("after a resize the conversation is %.0f wide", got)
	}

	// A narrow tool gets room for sentences, not a column of words.
	d.Add("narrow", func() string { return "Files" }, theme.FolderIcon(), wide(50))
	d.Show("narrow")
	if pw := d.pane.Size().Width; pw != fitMin {
		t.Errorf("a narrow tool's pane is %.0f wide, want %d", pw, fitMin)
	}

	// Relabel asks the titles again.
	d.Show("conn")
	lang = "zh"
	d.Relabel()
	if d.tools[0].tab.Caption() != "连接" || d.title.Text != "连接" {
		t.Errorf("relabelled %q / %q", d.tools[0].tab.Caption(), d.title.Text)
	}

	// Marks and the fold button.
	d.SetMarked("tools", true)
	if !d.tools[1].tab.marked {
		t.Error("not marked")
	}
	test.Tap(d.foldBtn)
	if d.Open() != "" {
		t.Error("the fold button did not fold")
	}
}
