package netio

// gigabyte is how much TestTCPServerGigabyteWithoutNewlines streams: a full GiB,
// which takes about 3 s, and about 25 s under the race detector, on the 2-core
// machines this project is tested on.
const gigabyte = 1 << 30
