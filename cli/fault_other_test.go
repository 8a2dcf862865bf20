//go:build !linux

package cli

// icmpShown says whether the engine reports ICMP port unreachable for UDP here:
// only Linux (IP_RECVERR) is tested.
const icmpShown = false
