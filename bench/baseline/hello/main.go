// Hello is the start-up baseline: the smallest Go program that prints a line.
package main

import "os"

func main() { os.Stdout.WriteString("hello\n") }
