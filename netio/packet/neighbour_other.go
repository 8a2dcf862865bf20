//go:build !linux

package packet

// Neighbours would read the neighbour table. Outside Linux it sits behind
// routing sockets (macOS) or the IP Helper API (Windows), not read here.
func Neighbours() ([]Neighbour, error) { return nil, ErrNoNeighbourTable }
