//go:build !cgo

package main

import "bufio"

func extra(w *bufio.Writer) {}
