package gen

import (
	"context"
	"fmt"
	"net"

	"github.com/sockdesk/sockdesk/netio"
)

// RunUDP runs the generator through u, every message one datagram to dst, and
// returns the final progress when the run ends: by its count or duration, by ctx
// (both with a nil error), or at the first send that fails (with its error). The
// destination is resolved and checked once, not per message as SendTo would, and
// a multicast destination gets the endpoint's interface, TTL and loop settings as
// a single send does.
func (g *Generator) RunUDP(ctx context.Context, u *netio.UDPEndpoint, dst *net.UDPAddr) (Progress, error) {
	w, err := u.NewBatch(dst, g.opts.Sent)
	if err != nil {
		return g.Progress(), err
	}
	if g.maxLen > netio.MaxUDPPayload {
		field := "message"
		if g.opts.Size > 0 {
			field = "size"
		}
		return g.Progress(), &Error{field, fmt.Sprintf("%d bytes is more than a UDP datagram can carry (%d bytes)", g.maxLen, netio.MaxUDPPayload)}
	}
	return g.run(ctx, w)
}

// RunTCP runs the generator through the connection of c and returns the final
// progress when the run ends: by its count or duration, by ctx (both with a nil
// error), or at the first write that fails (with its error). Messages due
// together are written together. The connection stays open; see
// netio.TCPClient.CloseWrite.
func (g *Generator) RunTCP(ctx context.Context, c *netio.TCPClient) (Progress, error) {
	w, err := c.NewBatch(g.opts.Sent)
	if err != nil {
		return g.Progress(), err
	}
	if g.maxLen == 0 {
		return g.Progress(), &Error{"size", "a TCP message must have at least one byte"}
	}
	return g.run(ctx, w)
}
