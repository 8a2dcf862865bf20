// Package extract turns received messages into named numbers: the values a
// telemetry source puts in its text (`温度=23.5℃ 湿度=41%`), its JSON or its
// binary frames, for a plot, a time-series CSV file or a script.
//
// A Rule is parsed from a spec:
//
//	kv                       key=value or key: value pairs (also the full-width ＝ and ：)
//	                         whose value starts with a number; units after it are ignored
//	re:REGEX                 a Go regular expression (RE2); each named group
//	                         (?P<name>...) of its first match is read as a number
//	json                     every numeric field of a JSON message, named by its path:
//	                         a.b for objects, a[0] for arrays
//	csv                      comma-, semicolon-, tab- or space-separated numbers,
//	                         named v1, v2, ... by their column (each line starts at v1)
//	bin:NAME@OFFSET:TYPE[*SCALE]
//	                         a binary field at a byte offset (decimal or 0x hex), TYPE
//	                         one of u8 i8 u16be u16le i16be i16le u32be u32le i32be
//	                         i32le f32be f32le f64be f64le, multiplied by SCALE if given
//
// A Set applies its rules, in order, to one received message, reading its raw
// bytes (bin) or its decoded text (the others), and appends the values it finds
// in the order they stand in the message. A message that holds no number gives no
// value and no error: nothing about a message is ever an error, only a bad spec.
//
// Numbers are read as people write them: an optional sign, digits with an optional
// fraction and exponent (-4.5e-3), or 0x hex digits; anything after the number (a
// unit: ℃, %, V) is ignored. Values are always finite: a number too large for a
// float64, or a binary float that is NaN or infinite, gives no value.
//
// Apply runs on every received message, so it does not allocate beyond growing the
// caller's slice once names have been seen: names found in messages are interned
// (up to maxInterned distinct names per Set) and never alias the message's memory.
//
// AppendText and AppendJSON write a message's values for a readable line
// (temp=23.5) and a JSON event ("values": {"temp": 23.5}); CSVFile writes them as
// a time series, one row per message, one column per name.
package extract
