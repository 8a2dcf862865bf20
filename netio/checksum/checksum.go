package checksum

import (
	"fmt"
	"hash/crc32"
	"strings"
)

// ByteOrder is how a checksum wider than a byte is laid out on the wire.
type ByteOrder int

const (
	OrderDefault ByteOrder = iota // the algorithm's usual order (Checksum.Order)
	OrderBig                      // most significant byte first
	OrderLittle                   // least significant byte first
)

func (o ByteOrder) String() string {
	switch o {
	case OrderBig:
		return "big"
	case OrderLittle:
		return "little"
	}
	return "default"
}

// ParseByteOrder reads "big"/"be", "little"/"le", or "" (the default).
func ParseByteOrder(s string) (ByteOrder, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "default":
		return OrderDefault, nil
	case "big", "be", "big-endian":
		return OrderBig, nil
	case "little", "le", "little-endian":
		return OrderLittle, nil
	}
	return 0, fmt.Errorf("unknown byte order %q (known: big, little)", s)
}

// Checksum is one checksum algorithm that can be appended to a message and checked
// at its end. All are immutable and safe for concurrent use.
type Checksum struct {
	name    string
	aliases []string
	width   int       // bytes on the wire: 1, 2 or 4
	order   ByteOrder // the usual wire order
	check   uint32    // the catalogue's check value: the sum of "123456789"
	sum     func(p []byte) uint32
}

// checksums is the registry, in the order All returns it.
//
// CRC-16/CCITT is ambiguous in the wild; "crc16-ccitt" here is the variant most
// tools mean by it, CRC-16/CCITT-FALSE (catalogue name CRC-16/IBM-3740: poly
// 0x1021, init 0xFFFF, not reflected). The zero-init variant XMODEM is its own
// entry, as the two give different sums for the same bytes.
var checksums = []*Checksum{
	{name: "crc16-modbus", aliases: []string{"modbus", "crc-16/modbus"}, width: 2, order: OrderLittle, check: 0x4B37, sum: crc16Reflected(0xA001, 0xFFFF)},
	{name: "crc16-ccitt", aliases: []string{"crc16-ccitt-false", "crc16-ibm-3740", "crc-16/ibm-3740", "crc-16/ccitt-false"}, width: 2, order: OrderBig, check: 0x29B1, sum: crc16Normal(0x1021, 0xFFFF)},
	{name: "crc16-xmodem", aliases: []string{"xmodem", "crc-16/xmodem"}, width: 2, order: OrderBig, check: 0x31C3, sum: crc16Normal(0x1021, 0x0000)},
	{name: "crc32", aliases: []string{"crc-32", "crc32-ieee", "crc-32/iso-hdlc"}, width: 4, order: OrderBig, check: 0xCBF43926, sum: func(p []byte) uint32 { return crc32.ChecksumIEEE(p) }},
	{name: "xor", aliases: []string{"xor8", "bcc"}, width: 1, order: OrderBig, check: 0x31, sum: xor8},
	{name: "sum8", aliases: []string{"sum", "add8"}, width: 1, order: OrderBig, check: 0xDD, sum: sum8},
}

var checksumByAlias = func() map[string]*Checksum {
	m := make(map[string]*Checksum)
	for _, c := range checksums {
		m[c.name] = c
		for _, a := range c.aliases {
			m[a] = c
		}
	}
	return m
}()

// Name is the checksum's canonical name, e.g. "crc16-modbus".
func (c *Checksum) Name() string { return c.name }

// String returns the Name.
func (c *Checksum) String() string { return c.name }

// Width is the checksum's size on the wire, in bytes.
func (c *Checksum) Width() int { return c.width }

// Order is the algorithm's usual byte order on the wire: little-endian for
// MODBUS, big-endian for the others.
func (c *Checksum) Order() ByteOrder { return c.order }

// CheckValue is the catalogue's check value: the sum of the nine bytes "123456789".
func (c *Checksum) CheckValue() uint32 { return c.check }

// Sum computes the checksum of p.
func (c *Checksum) Sum(p []byte) uint32 { return c.sum(p) }

// All returns every checksum in a fixed order.
func All() []*Checksum { return append([]*Checksum(nil), checksums...) }

// Names are the canonical names, in the registry's order.
func Names() []string {
	out := make([]string, len(checksums))
	for i, c := range checksums {
		out[i] = c.name
	}
	return out
}

// Lookup finds a checksum by name or alias, ignoring case and white
// space. A suffix ":le" or ":be" (also ":little", ":big") chooses the byte order;
// without one the order is OrderDefault.
func Lookup(spec string) (*Checksum, ByteOrder, error) {
	key := strings.ToLower(strings.TrimSpace(spec))
	order := OrderDefault
	if name, suffix, ok := strings.Cut(key, ":"); ok {
		o, err := ParseByteOrder(suffix)
		if err != nil || o == OrderDefault {
			return nil, 0, fmt.Errorf("checksum %q: unknown byte order %q (use :le or :be)", spec, suffix)
		}
		key, order = strings.TrimSpace(name), o
	}
	if c, ok := checksumByAlias[key]; ok {
		return c, order, nil
	}
	return nil, 0, &UnknownError{Name: spec}
}

// UnknownError is returned by Lookup for a name it does not know.
type UnknownError struct{ Name string }

func (e *UnknownError) Error() string {
	return fmt.Sprintf("unknown checksum %q (known: %s)", e.Name, strings.Join(Names(), ", "))
}

// wireOrder resolves OrderDefault to the algorithm's usual order.
func (c *Checksum) wireOrder(o ByteOrder) ByteOrder {
	if o == OrderDefault {
		return c.order
	}
	return o
}

// Append appends the checksum of p to p in the given order and returns the
// extended slice. It allocates nothing when p has room for Width more bytes,
// so a sending loop can reuse one buffer.
func (c *Checksum) Append(p []byte, order ByteOrder) []byte {
	v := c.sum(p)
	little := c.wireOrder(order) == OrderLittle
	for i := range c.width {
		shift := 8 * (c.width - 1 - i)
		if little {
			shift = 8 * i
		}
		p = append(p, byte(v>>shift))
	}
	return p
}

// Result is the outcome of verifying the checksum at the end of a message.
type Result struct {
	Name  string // the checksum's Name
	Width int    // its width in bytes, for formatting the values
	OK    bool
	Short bool   // the message was shorter than the checksum, so nothing was checked
	Got   uint32 // the value the message carries in its last Width bytes
	Want  uint32 // the value computed over the bytes before them
}

// String says "crc16-modbus ok" or "crc16-modbus BAD (got 0x1234, want 0x4B37)".
func (r Result) String() string {
	switch {
	case r.OK:
		return r.Name + " ok"
	case r.Short:
		return fmt.Sprintf("%s BAD (message shorter than %d bytes)", r.Name, r.Width)
	}
	return fmt.Sprintf("%s BAD (got %s, want %s)", r.Name, r.hex(r.Got), r.hex(r.Want))
}

func (r Result) hex(v uint32) string { return fmt.Sprintf("0x%0*X", 2*r.Width, v) }

// GotHex and WantHex are the two values as 0x-prefixed hex of the checksum's width.
func (r Result) GotHex() string  { return r.hex(r.Got) }
func (r Result) WantHex() string { return r.hex(r.Want) }

// Verify takes the last Width bytes of msg as its checksum, in the given order,
// and compares them with the checksum computed over the rest.
func (c *Checksum) Verify(msg []byte, order ByteOrder) Result {
	r := Result{Name: c.name, Width: c.width}
	if len(msg) < c.width {
		r.Short = true
		return r
	}
	body, tail := msg[:len(msg)-c.width], msg[len(msg)-c.width:]
	little := c.wireOrder(order) == OrderLittle
	for i, b := range tail {
		shift := 8 * (c.width - 1 - i)
		if little {
			shift = 8 * i
		}
		r.Got |= uint32(b) << shift
	}
	r.Want = c.sum(body)
	r.OK = r.Got == r.Want
	return r
}

// crc16Reflected is a table-driven CRC-16 with reflected input and output
// (poly given reflected, e.g. 0xA001 for 0x8005), no final XOR.
func crc16Reflected(poly, init uint16) func([]byte) uint32 {
	var table [256]uint16
	for i := range table {
		crc := uint16(i)
		for range 8 {
			if crc&1 != 0 {
				crc = crc>>1 ^ poly
			} else {
				crc >>= 1
			}
		}
		table[i] = crc
	}
	return func(p []byte) uint32 {
		crc := init
		for _, b := range p {
			crc = crc>>8 ^ table[byte(crc)^b]
		}
		return uint32(crc)
	}
}

// crc16Normal is a table-driven CRC-16, most significant bit first, no final XOR.
func crc16Normal(poly, init uint16) func([]byte) uint32 {
	var table [256]uint16
	for i := range table {
		crc := uint16(i) << 8
		for range 8 {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ poly
			} else {
				crc <<= 1
			}
		}
		table[i] = crc
	}
	return func(p []byte) uint32 {
		crc := init
		for _, b := range p {
			crc = crc<<8 ^ table[byte(crc>>8)^b]
		}
		return uint32(crc)
	}
}

func xor8(p []byte) uint32 {
	var x byte
	for _, b := range p {
		x ^= b
	}
	return uint32(x)
}

func sum8(p []byte) uint32 {
	var s byte
	for _, b := range p {
		s += b
	}
	return uint32(s)
}
