//go:build !linux

package webtrace

// systemRoute would read the routing table and the neighbour cache. Outside
// Linux those sit behind routing sockets (macOS) or the IP Helper API
// (Windows), which the standard library does not expose, so the route step
// shows the interface and source address only and says the rest is not
// available here.
func systemRoute(ri *routeInfo) {}
