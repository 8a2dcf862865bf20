package main

import (
	"context"
	"fmt"
	"math"
	"net"
	"time"
)

// genSummary is the part of `sockdesk gen --json` the harness reads.
type genSummary struct {
	Messages uint64  `json:"messages"`
	Elapsed  float64 `json:"elapsed_s"`
	MsgRate  float64 `json:"msgs_per_s"`
	End      string  `json:"end"`
}

// generator is case 3: `sockdesk gen udp` at full rate against the baseline
// sender (a bare WriteTo loop), both into a socket nobody reads (the kernel drops
// what its buffer cannot hold: the cheapest receiver, the same for both); then
// paced runs at 1,000, 10,000 and 50,000 msg/s, measured by the baseline receiver
// from the first arrival to the last.
func (b *bench) generator(ctx context.Context) error {
	sink, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return err
	}
	defer sink.Close()
	to := sink.LocalAddr().String()
	count, size := fmt.Sprint(b.cfg.genCount), fmt.Sprint(b.cfg.udpSize)
	var base, sd float64
	for i := range b.cfg.repeat {
		for _, first := range []bool{i%2 == 0, i%2 != 0} {
			if first {
				var s udpSent
				if err := runJSON(ctx, &s, b.bins.udpsend, "-addr", to, "-count", count, "-size", size); err != nil {
					return err
				}
				b.notef("3", "baseline sender: %.0f msg/s", s.MsgsPerS)
				base = math.Max(base, s.MsgsPerS)
			} else {
				var s genSummary
				if err := runJSON(ctx, &s, b.bins.sockdesk, "gen", "udp", to, "--count", count, "--size", size, "--json"); err != nil {
					return err
				}
				b.notef("3", "sockdesk gen udp: %.0f msg/s (%d messages in %.2fs)", s.MsgRate, s.Messages, s.Elapsed)
				sd = math.Max(sd, s.MsgRate)
			}
		}
	}
	b.add(row{id: "3", what: fmt.Sprintf("gen udp, full rate, %s x %s B", count, size), sockdesk: fmt.Sprintf("%.0f msg/s", sd),
		baseline: fmt.Sprintf("%.0f msg/s", base), ratio: fmt.Sprintf("%.2f", sd/base), target: ">= 0.90", pass: passMiss(sd >= 0.9*base)})

	for _, rate := range []int{1000, 10000, 50000} {
		if err := b.paced(ctx, rate); err != nil {
			return err
		}
	}
	return nil
}

// paced runs one paced generator run into the baseline receiver.
func (b *bench) paced(ctx context.Context, rate int) error {
	n := int(math.Round(float64(rate) * b.cfg.pacedSecs))
	recv, err := start(ctx, nil, b.bins.udprecv, "-idle", "1s")
	if err != nil {
		return err
	}
	var port struct{ Port int }
	if err := recv.readJSON(&port); err != nil {
		return err
	}
	var s genSummary
	if err := runJSON(ctx, &s, b.bins.sockdesk, "gen", "udp", hostPort(port.Port), "--rate", fmt.Sprint(rate), "--count", fmt.Sprint(n),
		"--size", fmt.Sprint(b.cfg.udpSize), "--json"); err != nil {
		recv.stop(time.Minute)
		return err
	}
	var got udpGot
	if err := recv.readJSON(&got); err != nil {
		return err
	}
	recv.drain()
	if err := recv.wait(time.Minute); err != nil {
		return err
	}
	ratio := got.Rate / float64(rate)
	b.add(row{id: "3", what: fmt.Sprintf("gen udp --rate %d, %d msgs (rate at the receiver)", rate, n), sockdesk: fmt.Sprintf("%.1f msg/s", got.Rate),
		baseline: fmt.Sprintf("%d msg/s asked", rate), ratio: fmt.Sprintf("%.4f", ratio), target: "within 2%", pass: passMiss(math.Abs(ratio-1) <= 0.02)})
	b.notef("3", "gen --rate %d: gen says %.1f msg/s over %.3fs; the receiver got %d of %d over %.3fs", rate, s.MsgRate, s.Elapsed, got.Msgs, n, got.Span)
	return nil
}
