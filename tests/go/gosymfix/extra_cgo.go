//go:build cgo

package main

// Built with cgo the binary is linked by the system linker: C start-up code
// comes first in .text, so Go's text does not start at .text.

/*
static int twice(int x) { return 2 * x; }
*/
import "C"

import "bufio"

//go:noinline
func viaC() []uintptr {
	sink += int(C.twice(C.int(sink)))
	return grab(make([]uintptr, 64))
}

func extra(w *bufio.Writer) {
	emit(w, "cgo", viaC())
}
