package app

import (
	"context"
	"net"
	"strconv"

	"github.com/sockdesk/sockdesk/netio"
	"github.com/sockdesk/sockdesk/netio/charset"
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
