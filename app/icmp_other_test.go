//go:build !linux

package app

// icmpShown says whether the engine reports ICMP port unreachable for UDP here:
// only Linux (IP_RECVERR) is tested.
const icmpShown = false
