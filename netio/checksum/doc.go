// Package checksum holds the checksums appended to messages and checked on
// receipt — CRC-16 (MODBUS, CCITT-FALSE, XMODEM), CRC-32, XOR and sum8 — with their
// byte order, and the verdict (Result) of checking a received message.
package checksum
