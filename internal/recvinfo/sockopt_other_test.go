//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package recvinfo

import "syscall"

func supported() bool { return false }

func setOutgoingTTL(fd uintptr, v6 bool, ttl int) error {
	if v6 {
		return nil
	}
	return syscall.SetsockoptInt(syscall.Handle(fd), syscall.IPPROTO_IP, syscall.IP_TTL, ttl)
}
