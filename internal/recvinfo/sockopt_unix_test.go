//go:build linux || darwin || freebsd || netbsd || openbsd

package recvinfo

import "golang.org/x/sys/unix"

func supported() bool { return true }

func setOutgoingTTL(fd uintptr, v6 bool, ttl int) error {
	if v6 {
		return unix.SetsockoptInt(int(fd), unix.IPPROTO_IPV6, unix.IPV6_UNICAST_HOPS, ttl)
	}
	return unix.SetsockoptInt(int(fd), unix.IPPROTO_IP, unix.IP_TTL, ttl)
}
