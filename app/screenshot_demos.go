package app

import (
	"context"
	"net"
	"strconv"
	"time"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/framing"
	"github.com/sockdesk/sockdesk/netio/payload"
)

// demo starts the relay on loopback in front of a GBK echo server of its own and
// has a client talk through it, so a screenshot shows both directions in the log
// and a pair in the list. Loopback only. The returned function stops the client
// and the echo server (the relay stops with its tab).
func (p *relayPanel) demo() (func(), error) {
	gbk, _ := charset.Lookup("gbk")
	target := netio.NewTCPServer(netio.TCPServerConfig{Bind: "127.0.0.1:0", Echo: true, Charset: gbk})
	if err := target.Start(context.Background()); err != nil {
		return nil, err
	}
	p.charset.SetSelected("GBK")
	p.bindAddr.SetText("127.0.0.1")
	p.bindPort.SetText("0")
	p.targetHost.SetText("127.0.0.1")
	p.targetPort.SetText(strconv.Itoa(target.Addr().(*net.TCPAddr).Port))
	p.toggle()
	if p.relay == nil {
		target.Close()
		return func() {}, nil
	}
	client := netio.NewTCPClient(netio.TCPClientConfig{Addr: p.relay.Addr().String(), Charset: gbk})
	if err := client.Start(context.Background()); err != nil {
		target.Close()
		return nil, err
	}
	for _, text := range []string{"你好，设备", "GET STATUS\r\n", "温度=23.5℃"} {
		if payload, err := payload.Parse(text, payload.ModeEscapes, gbk); err == nil {
			client.Send(payload)
		}
	}
	return func() {
		client.Close()
		target.Close()
	}, nil
}

// demo starts the server on loopback with line framing and has three clients of
// its own talk to it, so a screenshot shows the client table and their messages,
// a row per line however the writes were cut. Loopback only. The returned
// function closes the clients (the server stops with its tab).
func (p *tcpServerPanel) demo() (func(), error) {
	gbk, _ := charset.Lookup("gbk")
	p.charset.SetSelected("GBK")
	p.bindAddr.SetText("127.0.0.1")
	p.bindPort.SetText("0")
	p.echo.SetChecked(true)
	p.framing.mode.SetSelectedIndex(int(framing.Line))
	p.toggle()
	if p.srv == nil {
		return func() {}, nil
	}
	var clients []*netio.TCPClient
	stop := func() {
		for _, c := range clients {
			c.Close()
		}
	}
	for i, name := range []string{"传感器 A", "传感器 B", "网关"} {
		c := netio.NewTCPClient(netio.TCPClientConfig{Addr: p.srv.Addr().String(), Charset: gbk})
		if err := c.Start(context.Background()); err != nil {
			stop()
			return nil, err
		}
		clients = append(clients, c)
		for j := range 4 {
			if b, err := payload.Parse(name+": 温度="+strconv.Itoa(20+i+j)+"℃\\r\\n", payload.ModeEscapes, gbk); err == nil {
				c.Send(b)
			}
		}
	}
	p.send.entry.SetText("STATUS?")
	return stop, nil
}

// demo connects the client to an echo server of its own on loopback and sends it a
// few messages. Loopback only. The returned function stops the server.
func (p *tcpClientPanel) demo() (func(), error) {
	gbk, _ := charset.Lookup("gbk")
	srv := netio.NewTCPServer(netio.TCPServerConfig{Bind: "127.0.0.1:0", Echo: true, Charset: gbk})
	if err := srv.Start(context.Background()); err != nil {
		return nil, err
	}
	p.charset.SetSelected("GBK")
	p.host.SetText("127.0.0.1")
	p.port.SetText(strconv.Itoa(srv.Addr().(*net.TCPAddr).Port))
	p.send.entry.SetText("AT+STATUS?")
	p.send.eol.SetSelectedIndex(int(lineEndCRLF))
	p.connect()
	go func() {
		for range 50 {
			time.Sleep(20 * time.Millisecond)
			if c := p.live.Load(); c != nil {
				for i := range 8 {
					if b, err := payload.Parse("设备 "+strconv.Itoa(i)+": 正常\\r\\n", payload.ModeEscapes, gbk); err == nil {
						c.Send(b)
					}
				}
				return
			}
		}
	}()
	return func() { srv.Close() }, nil
}
