package app

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/payload"
)

// The send box's Text/Hex switch converts what is in the box: the same bytes,
// written the new mode's way; and its line-end choice, appended to every message.

// convertError says why a message could not be written in another mode.
type convertError struct {
	kind convertProblem
	at   int   // 1-based byte position of the first byte in question, where there is one
	err  error // convertBadInput: why the message did not parse
}

type convertProblem int

const (
	convertBadInput     convertProblem = iota // the message is not valid in its own mode
	convertPlaceholders                       // {counter} and the like stand for bytes not known yet
	convertNotText                            // bytes that do not decode in the charset
	convertControl                            // a control byte that plain text cannot hold
)

func (e *convertError) Error() string { return fmt.Sprintf("convert: problem %d at %d", e.kind, e.at) }

// convertMessage writes text, a message in mode from, in mode to so that it makes
// the same bytes in cs: hex as "C4 E3 BA C3"; text with escapes with \r \n \t \\
// and \xNN for what has no character; plain text only when every byte decodes
// and none is a control character other than line breaks and tabs.
func convertMessage(text string, from, to payload.Mode, cs *charset.Charset) (string, error) {
	if from == to || text == "" {
		return text, nil
	}
	if cs == nil {
		cs = charset.UTF8
	}
	t, err := payload.ParseTemplate(text, from, cs)
	if err != nil {
		return "", &convertError{kind: convertBadInput, err: err}
	}
	if !t.Static() {
		return "", &convertError{kind: convertPlaceholders}
	}
	data := t.Append(nil, 1)
	switch to {
	case payload.ModeHex:
		return strings.ToUpper(spacedHex(data)), nil
	case payload.ModeEscapes:
		return escapeBytes(data, cs), nil
	}
	return plainText(data, cs)
}

// spacedHex is data as hex, a space between bytes.
func spacedHex(data []byte) string {
	var b strings.Builder
	for i, c := range data {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(hex.EncodeToString([]byte{c}))
	}
	return b.String()
}

// plainText is data decoded in cs, if that is exactly the text that encodes
// back to data and holds no control characters but line breaks and tabs.
func plainText(data []byte, cs *charset.Charset) (string, error) {
	text := cs.DecodeAll(data)
	if back, err := cs.Encode(text); err != nil || !bytes.Equal(back, data) {
		return "", &convertError{kind: convertNotText, at: firstUndecodable(data, cs)}
	}
	for i, r := range text {
		if r < 0x20 && r != '\n' && r != '\r' && r != '\t' || r == 0x7F {
			at, _ := cs.Encode(text[:i])
			return "", &convertError{kind: convertControl, at: len(at) + 1}
		}
	}
	return text, nil
}

// firstUndecodable is the 1-based position of the first byte of data that does
// not decode in cs.
func firstUndecodable(data []byte, cs *charset.Charset) int {
	at := 1
	for _, p := range decodePieces(data, cs) {
		if p.text == "" {
			return at
		}
		b, _ := cs.Encode(p.text)
		at += len(b)
	}
	return 1
}

// escapeBytes writes data as text with escapes in cs: characters as they are, a
// backslash doubled, \r \n \t, and \xNN for each byte of a control character or of
// something that does not decode. The result is checked by parsing it back; in
// the rare case that fails, every byte is written as \xNN.
func escapeBytes(data []byte, cs *charset.Charset) string {
	var b strings.Builder
	for _, piece := range decodePieces(data, cs) {
		if piece.text == "" {
			fmt.Fprintf(&b, `\x%02X`, piece.b)
			continue
		}
		escapeText(&b, piece.text, cs)
	}
	out := b.String()
	if back, err := payload.Parse(out, payload.ModeEscapes, cs); err == nil && bytes.Equal(back, data) {
		return out
	}
	b.Reset()
	for _, c := range data {
		fmt.Fprintf(&b, `\x%02X`, c)
	}
	return b.String()
}

// decodedPiece is text that decodes, or (text "") one byte b that does not.
type decodedPiece struct {
	text string
	b    byte
}

// maxCharBytes is the longest a character is in any charset offered (GB18030,
// UTF-8 and UTF-16 surrogate pairs: four bytes).
const maxCharBytes = 4

// decodePieces splits data into runs of text that decode in cs and the single
// bytes that do not. Data that decodes whole is one piece, found at once; else
// the bytes are walked a character at a time.
func decodePieces(data []byte, cs *charset.Charset) []decodedPiece {
	if text, ok := decodesExactly(data, cs); ok {
		return []decodedPiece{{text: text}}
	}
	var out []decodedPiece
	var run strings.Builder
	for i := 0; i < len(data); {
		n := 0
		for k := 1; k <= maxCharBytes && i+k <= len(data); k++ {
			if t, ok := decodesExactly(data[i:i+k], cs); ok && utf8.RuneCountInString(t) == 1 {
				run.WriteString(t)
				n = k
				break
			}
		}
		if n == 0 {
			if run.Len() > 0 {
				out = append(out, decodedPiece{text: run.String()})
				run.Reset()
			}
			out = append(out, decodedPiece{b: data[i]})
			n = 1
		}
		i += n
	}
	if run.Len() > 0 {
		out = append(out, decodedPiece{text: run.String()})
	}
	return out
}

// decodesExactly is data decoded in cs, if it decodes with no byte left over or
// shown as \xNN: its text encodes back to data, and holds no backslash (which
// DecodeAll's \xNN for an undecodable byte would make ambiguous) unless data does.
func decodesExactly(data []byte, cs *charset.Charset) (string, bool) {
	text := cs.DecodeAll(data)
	if strings.Contains(text, `\x`) && !bytes.Contains(data, []byte(`\x`)) {
		return "", false
	}
	back, err := cs.Encode(text)
	return text, err == nil && bytes.Equal(back, data)
}

// escapeText writes decoded text with escapes: a backslash doubled, \r \n \t,
// and \xNN for the bytes of other control characters.
func escapeText(b *strings.Builder, text string, cs *charset.Charset) {
	for _, r := range text {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7F || r == utf8.RuneError:
			enc, err := cs.Encode(string(r))
			if err != nil {
				enc = []byte(string(r))
			}
			for _, c := range enc {
				fmt.Fprintf(b, `\x%02X`, c)
			}
		default:
			b.WriteRune(r)
		}
	}
}

// convertText words why a switch to mode to left the message as it was.
func convertText(err error, to payload.Mode, cs *charset.Charset) string {
	var ce *convertError
	if !errors.As(err, &ce) {
		return errorText(err)
	}
	name := "UTF-8"
	if cs != nil {
		name = cs.Name()
	}
	switch ce.kind {
	case convertPlaceholders:
		return trf("Left as it was: placeholders ({counter} …) cannot be written as %s", modeLabel(to))
	case convertNotText:
		return trf("Left as it was: byte %d is not %s text; choose Text with escapes to see every byte", ce.at, name)
	case convertControl:
		return trf("Left as it was: byte %d is a control character plain text cannot hold; choose Text with escapes", ce.at)
	}
	return trf("Left as it was: %s", payloadText(ce.err))
}

// lineEnd is what the send box appends to every message.
type lineEnd int

const (
	lineEndNone lineEnd = iota
	lineEndCR
	lineEndLF
	lineEndCRLF
)

// lineEndNames are the choices as settings name them, indexed by lineEnd.
var lineEndNames = []string{"", "cr", "lf", "crlf"}

func (e lineEnd) String() string { return lineEndNames[e] }

func parseLineEnd(s string) lineEnd {
	for i, n := range lineEndNames {
		if n == s {
			return lineEnd(i)
		}
	}
	return lineEndNone
}

// eolOptions are the line-end Select's options, indexed by lineEnd.
func eolOptions() []string {
	return []string{tr("No line end"), "+ CR", "+ LF", "+ CR LF"}
}

// lineEnd is the chosen line end.
func (b *sendBox) lineEnd() lineEnd {
	if i := b.eol.SelectedIndex(); i > 0 && i < len(lineEndNames) {
		return lineEnd(i)
	}
	return lineEndNone
}

// bytes is the line end as a message in mode and cs carries it: the charset's
// characters in the text modes (two bytes each in UTF-16), the raw bytes 0D 0A
// in hex, where the user writes bytes.
func (e lineEnd) bytes(mode payload.Mode, cs *charset.Charset) []byte {
	chars := [...]string{"", "\r", "\n", "\r\n"}[e]
	if mode == payload.ModeHex || cs == nil {
		return []byte(chars)
	}
	b, err := cs.Encode(chars)
	if err != nil {
		return []byte(chars)
	}
	return b
}

// withLineEnd is a message with end appended as a {hex:..} placeholder, which
// stands for raw bytes in every mode. A lone { at the end of the message (plain
// text, as the placeholder syntax reads it) is written {{ first, so that it and
// the placeholder are not read as "{{" and text.
// In hex mode a space keeps the placeholder apart from the last group.
func withLineEnd(text string, mode payload.Mode, end []byte) string {
	if len(end) == 0 {
		return text
	}
	if n := len(text) - len(strings.TrimRight(text, "{")); n%2 == 1 {
		text += "{"
	}
	if mode == payload.ModeHex {
		text += " "
	}
	return text + "{hex:" + hex.EncodeToString(end) + "}"
}
