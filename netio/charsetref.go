package netio

import (
	"sync/atomic"

	"github.com/sockdesk/sockdesk/netio/charset"
)

// charsetRef is an endpoint's charset, which SetCharset may change while its
// goroutines read it. The zero value and a stored nil mean UTF-8.
type charsetRef struct {
	p atomic.Pointer[charset.Charset]
}

func (r *charsetRef) Store(cs *charset.Charset) { r.p.Store(cs) }

func (r *charsetRef) Load() *charset.Charset {
	if cs := r.p.Load(); cs != nil {
		return cs
	}
	return charset.UTF8
}

// streamDecoder decodes a stream in the charset of ref: when SetCharset changes
// it, the next read starts a decoder of the new charset. The bytes the old one
// held back (the start of a character the switch cut) are shown as bytes at the
// start of that read's text, so no byte goes missing from the text.
type streamDecoder struct {
	ref *charsetRef
	cs  *charset.Charset
	dec *charset.Decoder
}

func newStreamDecoder(ref *charsetRef) *streamDecoder {
	cs := ref.Load()
	return &streamDecoder{ref: ref, cs: cs, dec: cs.NewDecoder()}
}

// decode is charset.Decoder.DecodeOwned in the charset of now.
func (d *streamDecoder) decode(data []byte) string {
	if cs := d.ref.Load(); cs != d.cs {
		cut := d.dec.Flush()
		d.cs, d.dec = cs, cs.NewDecoder()
		if cut != "" {
			return cut + d.dec.Decode(data)
		}
	}
	return d.dec.DecodeOwned(data)
}

// flush is the text of the bytes held back at the end of the stream.
func (d *streamDecoder) flush() string { return d.dec.Flush() }
