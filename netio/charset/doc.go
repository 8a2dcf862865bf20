// Package charset is the registry of the character sets Sockdesk speaks (UTF-8,
// GBK, GB2312, GB18030, Big5, Shift_JIS, EUC-JP, EUC-KR, ISO-8859-1,
// Windows-1252, UTF-16), looked up by name or alias; a streaming Decoder that
// keeps a multi-byte character split across reads whole and shows undecodable
// bytes as \xNN; encoding that names a character the charset lacks; and the
// display escaping that keeps received text from steering a terminal or a log.
package charset
