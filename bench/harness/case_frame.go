package main

import (
	"context"
	"fmt"
)

// tcpFraming is case 1's framing rows: `tcp serve --log --quiet --frame line`
// next to the same command unframed, in the same run, fed the same stream of
// lines. With framing every line is an event and a log line, without it every
// read (up to 64 KiB) is: so the cost depends on the line length, and both a
// short one (64 B, the sender's default: 16.7M lines a GiB) and a long one
// (1 KiB: 1M lines a GiB) are measured. The sides alternate, cfg.repeat times
// each, and the best run of each is kept.
func (b *bench) tcpFraming(ctx context.Context) error {
	n := b.cfg.tcpBytes
	for _, lineLen := range []int{64, 1024} {
		var best [2]float64
		var sums [2]logSummary
		for range b.cfg.repeat {
			for side, extra := range [][]string{nil, {"--frame", "line"}} {
				got, sum, err := b.sockdeskTCP(ctx, screenQuiet, extra, lineLen)
				if err != nil {
					return err
				}
				if got > best[side] {
					best[side], sums[side] = got, sum
				}
			}
		}
		what := fmt.Sprintf("TCP receive %s in %d B lines: tcp serve --log --quiet --frame line", sizeText(n), lineLen)
		b.add(row{id: "1", what: what, sockdesk: fmt.Sprintf("%.0f MB/s", best[1]), baseline: fmt.Sprintf("%.0f MB/s unframed", best[0]),
			ratio: fmt.Sprintf("%.2f", best[1]/best[0]), target: ">= 0.90", pass: passMiss(best[1] >= 0.9*best[0])})
		lines := n / int64(lineLen)
		sum := sums[1]
		ok := sum.bytes == n && sum.badLines == 0 && int64(sum.received) == lines+btoi(n%int64(lineLen) != 0)
		b.add(row{id: "1", what: "  one log line per line sent, every byte", sockdesk: fmt.Sprintf("%d B in %d lines", sum.bytes, sum.received),
			baseline: fmt.Sprintf("%d B in %d lines sent", n, lines), target: "all", pass: passMiss(ok)})
	}
	return nil
}

func btoi(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
