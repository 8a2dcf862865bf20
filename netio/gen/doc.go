// Package gen is the traffic generator: it sends a message again and again
// through a netio endpoint, paced or as fast as the socket takes it, until a count
// or a duration, with progress readable while it runs. It sends through the
// endpoints' batch seams (netio.UDPBatch, netio.TCPBatch).
package gen
