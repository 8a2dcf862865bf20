package payload

import "testing"

// BenchmarkTemplate measures filling in one generator message: the fast path of
// a message without slots, and a message with a counter.
func BenchmarkTemplate(b *testing.B) {
	for _, tc := range []struct{ name, input string }{
		{"fixed", "hello, device 0123456789"},
		{"counter", "seq={counter} hello, device"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			tmpl, err := ParseTemplate(tc.input, ModeText, nil)
			if err != nil {
				b.Fatal(err)
			}
			buf := make([]byte, 0, 64)
			b.ReportAllocs()
			for i := range b.N {
				buf = tmpl.Append(buf[:0], uint64(i))
			}
		})
	}
}
