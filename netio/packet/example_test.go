package packet_test

import (
	"net/netip"
	"os"

	"github.com/sockdesk/sockdesk/netio/packet"
)

// A Modbus/TCP request as a client sent it, drawn for --anatomy.
func ExampleWriteText() {
	f, err := packet.Build(packet.Message{
		Direction: packet.Sent,
		Protocol:  packet.TCP,
		Local:     netip.MustParseAddrPort("127.0.0.1:40000"),
		Peer:      netip.MustParseAddrPort("127.0.0.1:502"),
		Payload:   []byte{0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x01, 0x03, 0x00, 0x00, 0x00, 0x02},
	})
	if err != nil {
		panic(err)
	}
	packet.WriteText(os.Stdout, f, 0)
	// Output:
	// Frame: 66 bytes (loopback)
	//
	// E Ethernet II, bytes 0-13 (14)
	//   Loopback: this frame never reaches a wire. Linux's loopback device gives it an Ethernet header with both MAC addresses zero, as shown.
	//   destination              00:00:00:00:00:00 (loopback)     0-5      reconstructed
	//   source                   00:00:00:00:00:00 (loopback)     6-11     reconstructed
	//   type                     0x0800 (IPv4)                    12-13    computed
	//
	// I IPv4, bytes 14-33 (20)
	//   IPv4 carries the packet from host 127.0.0.1 to host 127.0.0.1; the TTL of 64 is how many routers it may still cross.
	//   version                  4                                14       computed
	//   header length            20 bytes (IHL 5)                 14       computed
	//   DSCP/ECN                 0x00                             15       reconstructed
	//   total length             52                               16-17    computed
	//   identification           0x0000                           18-19    reconstructed
	//   flags                    DF (don't fragment)              20       reconstructed
	//   fragment offset          0                                20-21    computed
	//   TTL                      64                               22       reconstructed
	//   protocol                 6 (TCP)                          23       socket API
	//   header checksum          0x3cc2                           24-25    computed
	//   source                   127.0.0.1                        26-29    socket API
	//   destination              127.0.0.1                        30-33    socket API
	//
	// T TCP, bytes 34-53 (20)
	//   TCP takes the segment from port 40000 to port 502 with flags PSH,ACK; sequence and acknowledgement numbers count the stream's bytes so nothing is lost or reordered.
	//   source port              40000                            34-35    socket API
	//   destination port         502                              36-37    socket API
	//   sequence number          1                                38-41    reconstructed
	//   acknowledgement number   1                                42-45    reconstructed
	//   header length            20 bytes (data offset 5)         46       computed
	//   flags                    PSH,ACK                          47       reconstructed
	//   window                   65535                            48-49    reconstructed
	//   checksum                 0x127a                           50-51    computed
	//   urgent pointer           0                                52-53    computed
	//
	// A Application data, bytes 54-65 (12)
	//   The application's 12 bytes: exactly what the program wrote, untouched by the layers below.
	//   data                     12 bytes                         54-65    socket API
	//
	// Hex (E Ethernet II, I IPv4, T TCP, A Application data)
	// 0000  00 00 00 00 00 00 00 00  00 00 00 00 08 00 45 00  ..............E.
	//       E  E  E  E  E  E  E  E   E  E  E  E  E  E  I  I
	// 0010  00 34 00 00 40 00 40 06  3c c2 7f 00 00 01 7f 00  .4..@.@.<.......
	//       I  I  I  I  I  I  I  I   I  I  I  I  I  I  I  I
	// 0020  00 01 9c 40 01 f6 00 00  00 01 00 00 00 01 50 18  ...@..........P.
	//       I  I  T  T  T  T  T  T   T  T  T  T  T  T  T  T
	// 0030  ff ff 12 7a 00 00 00 01  00 00 00 06 01 03 00 00  ...z............
	//       T  T  T  T  T  T  A  A   A  A  A  A  A  A  A  A
	// 0040  00 02                                             ..
	//       A  A
}
