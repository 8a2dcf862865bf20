package pcapng

import (
	"encoding/binary"
	"time"
)

// Block types and option codes from the pcapng specification
// (draft-ietf-opsawg-pcapng).
const (
	blockSectionHeader  = 0x0A0D0D0A
	blockInterface      = 0x00000001
	blockEnhancedPacket = 0x00000006
	byteOrderMagic      = 0x1A2B3C4D

	optEndOfOpt    = 0
	optComment     = 1
	optSHBOS       = 3
	optSHBUserAppl = 4
	optIfName      = 2
	optIfTSResol   = 9

	linkTypeEthernet = 1
	tsResolNanos     = 9 // timestamps in units of 10^-9 s
)

var order = binary.LittleEndian

// option is one block option: a code and its value.
type option struct {
	code  uint16
	value []byte
}

func pad4(n int) int { return (n + 3) &^ 3 }

// appendBlock appends a block: type, total length, body, options (ended by
// opt_endofopt when there are any), total length again.
func appendBlock(dst []byte, blockType uint32, body []byte, opts []option) []byte {
	optLen := 0
	for _, o := range opts {
		optLen += 4 + pad4(len(o.value))
	}
	if len(opts) > 0 {
		optLen += 4
	}
	total := uint32(12 + pad4(len(body)) + optLen)
	dst = order.AppendUint32(dst, blockType)
	dst = order.AppendUint32(dst, total)
	dst = append(dst, body...)
	dst = append(dst, make([]byte, pad4(len(body))-len(body))...)
	for _, o := range opts {
		dst = order.AppendUint16(dst, o.code)
		dst = order.AppendUint16(dst, uint16(len(o.value)))
		dst = append(dst, o.value...)
		dst = append(dst, make([]byte, pad4(len(o.value))-len(o.value))...)
	}
	if len(opts) > 0 {
		dst = order.AppendUint32(dst, optEndOfOpt) // code 0, length 0
	}
	return order.AppendUint32(dst, total)
}

func sectionHeader(comment, application, osName string) []byte {
	var body []byte
	body = order.AppendUint32(body, byteOrderMagic)
	body = order.AppendUint16(body, 1) // major version
	body = order.AppendUint16(body, 0) // minor version
	body = order.AppendUint64(body, ^uint64(0))
	return appendBlock(nil, blockSectionHeader, body, []option{
		{optComment, []byte(comment)},
		{optSHBUserAppl, []byte(application)},
		{optSHBOS, []byte(osName)},
	})
}

func interfaceDescription(name string) []byte {
	var body []byte
	body = order.AppendUint16(body, linkTypeEthernet)
	body = order.AppendUint16(body, 0) // reserved
	body = order.AppendUint32(body, 0) // snap length: no limit
	return appendBlock(nil, blockInterface, body, []option{
		{optIfName, []byte(name)},
		{optIfTSResol, []byte{tsResolNanos}},
	})
}

// appendEnhancedPacket appends an Enhanced Packet Block holding the frame
// that appendFrame appends.
func appendEnhancedPacket(dst []byte, iface uint32, at time.Time, appendFrame func([]byte) ([]byte, error)) ([]byte, error) {
	start := len(dst)
	ts := uint64(at.UnixNano())
	dst = order.AppendUint32(dst, blockEnhancedPacket)
	dst = order.AppendUint32(dst, 0) // total length, filled in below
	dst = order.AppendUint32(dst, iface)
	dst = order.AppendUint32(dst, uint32(ts>>32))
	dst = order.AppendUint32(dst, uint32(ts))
	dst = order.AppendUint32(dst, 0) // captured length
	dst = order.AppendUint32(dst, 0) // original length
	dst, err := appendFrame(dst)
	if err != nil {
		return dst[:start], err
	}
	frameLen := len(dst) - start - 28
	dst = append(dst, make([]byte, pad4(frameLen)-frameLen)...)
	total := uint32(len(dst) - start + 4)
	order.PutUint32(dst[start+4:], total)
	order.PutUint32(dst[start+20:], uint32(frameLen))
	order.PutUint32(dst[start+24:], uint32(frameLen))
	return order.AppendUint32(dst, total), nil
}
