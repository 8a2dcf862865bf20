package sequence

import (
	"errors"
	"testing"
)

// Whatever the file holds, Parse returns a sequence or a FileError (or a
// VarError for vars), and never panics.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"connect: tcp://127.0.0.1:9000\nframe: line\nsteps:\n  - send: \"A {counter}\\r\\n\"\n  - expect_re: '(?P<x>\\d+)'\n  - send: '{x}'\n",
		"listen: tcp://:0\nsteps:\n  - repeat: 2\n    steps: [{expect_hex: '01 02'}, {wait: 1ms}]\n",
		"connect: udp://h:1\nvars: {a: b}\nsteps: [{send_hex: '{a} 0d', checksum: crc16-modbus}]\n",
		"connect: [a\n", "- - -", "steps: {a: b}", "&x a: *x",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		seq, err := Parse("fuzz.yaml", []byte(src), nil)
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("%T: %v", err, err)
			}
			return
		}
		if seq.Connect == nil || len(seq.Steps) == 0 {
			t.Fatalf("parsed without connection or steps: %q", src)
		}
	})
}
