package app

import (
	"strings"
)

// shown is what a session shows about its state and its problems, as a person
// reads it: the session bar's state, then each field's message (hint or error),
// named by the field an error is about ("Local port: port 70000 is out of range
// 0-65535"). Tests look for words in it.
func shown(s *session) string {
	parts := []string{s.bar.Text()}
	parts = append(parts, formShown(s.form)...)
	for _, tf := range s.toolForms {
		parts = append(parts, formShown(tf.form)...)
	}
	return strings.Join(parts, "\n")
}

// formShown is each of a form's notes that says something, named by its field.
func formShown(f *fieldForm) []string {
	var out []string
	for _, r := range f.rows {
		text := strings.TrimPrefix(r.noteText(), "⚠ ")
		if r.err != nil && r.note == nil {
			text = errorText(r.err)
		}
		if text == "" {
			continue
		}
		name := r.errName
		if name == "" && r.name != nil {
			name = r.name()
		}
		out = append(out, name+": "+text)
	}
	return out
}

// fieldErrors are the errors shown at a form's fields, named as formShown names them.
func fieldErrors(f *fieldForm) string {
	var out []string
	for _, r := range f.rows {
		if r.err == nil {
			continue
		}
		name := r.errName
		if name == "" && r.name != nil {
			name = r.name()
		}
		out = append(out, name+": "+strings.TrimPrefix(r.noteText(), "⚠ "))
	}
	return strings.Join(out, "\n")
}
