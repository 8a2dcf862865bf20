package app

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// plotDemoFeed is how long a plot screenshot's generators are fed before the
// window is captured: most of the chart's 10 s window.
const plotDemoFeed = 8 * time.Second

// plotDemoSensors are the generators feeding the plot demo: two sensors, each a
// `sockdesk gen` child on loopback (a peer of its own), at their own rates. The
// {counter} in a value makes it rise through the tenths and start again.
var plotDemoSensors = []struct{ message, rate string }{
	{"温度=23.{counter}℃ 电压=3.{counter}V", "25"},
	{"温度=21.{counter}℃", "40"},
}

// plotDemo opens the UDP session on loopback with a kv rule, shows its Plot tool
// over the last 10 s, and feeds it from generator children of this program, so
// a screenshot shows live curves from two peers (the voltage switched off in the
// legend). Loopback only; the generators stop after a bounded time, or when the
// returned function is called.
func (p *udpPanel) plotDemo() (func(), error) {
	p.bindAddr.SetText("127.0.0.1")
	p.bindPort.SetText("0")
	p.open()
	if p.ep == nil {
		return func() {}, nil
	}
	p.plot.rules.setSpecs([]string{"kv"})
	p.plot.chart.SetWindow(10 * time.Second)
	p.drawer.Show(toolPlot)
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*plotDemoFeed)
	var children []*exec.Cmd
	var wg sync.WaitGroup
	stop := func() {
		cancel()
		for _, c := range children {
			c.Wait()
		}
		wg.Wait()
	}
	for _, s := range plotDemoSensors {
		c := exec.CommandContext(ctx, exe, "gen", "udp", p.ep.LocalAddr().String(), s.message,
			"--rate", s.rate, "--duration", (3 * plotDemoFeed).String())
		if err := c.Start(); err != nil {
			stop()
			return nil, err
		}
		children = append(children, c)
	}
	// The voltage's series comes with the first datagram: switch it off then.
	wg.Add(1)
	go func() {
		defer wg.Done()
		var done atomic.Bool
		for !done.Load() && ctx.Err() == nil {
			time.Sleep(50 * time.Millisecond)
			p.ui.Do(func() {
				for _, key := range p.plot.chart.Series() {
					if strings.HasPrefix(key, "电压 ") {
						p.plot.chart.SetSeriesVisible(key, false)
						done.Store(true)
					}
				}
			})
		}
	}()
	return stop, nil
}
