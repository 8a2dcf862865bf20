//go:build !linux

package netio

// rawSender is the fast path of gen_udp_linux.go; elsewhere every datagram goes
// through the ordinary send.
type rawSender struct{}

func (w *udpGen) prepare() {}

func (w *udpGen) send() (int, error) { return w.sendEach(0) }
