// Package webtrace shows what a browser does to fetch a page: DNS, the route
// (interface, gateway and its MAC, read from the system), TCP connect, TLS, the
// request and response as they went over the wire, and who closed, each step with
// its timing and a sentence on what it is.
package webtrace
