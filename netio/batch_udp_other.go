//go:build !linux

package netio

// rawSender is the fast path of batch_udp_linux.go; elsewhere every datagram goes
// through the ordinary send.
type rawSender struct{}

func (w *UDPBatch) prepare() {}

func (w *UDPBatch) send() (int, error) { return w.sendEach(0) }
