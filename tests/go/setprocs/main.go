// Test workload for reading GOMAXPROCS from outside: optionally sets it
// with runtime.GOMAXPROCS(-n) (what no environment or rule shows), then
// keeps a little CPU busy for -s seconds so a recording has samples.
package main

import (
	"flag"
	"fmt"
	"runtime"
	"time"
)

//go:noinline
func work(x uint64) uint64 {
	for i := 0; i < 100000; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	return x
}

func main() {
	n := flag.Int("n", 0, "runtime.GOMAXPROCS(n) at start when > 0")
	seconds := flag.Float64("s", 5, "seconds to run")
	flag.Parse()
	if *n > 0 {
		runtime.GOMAXPROCS(*n)
	}
	end := time.Now().Add(time.Duration(*seconds * float64(time.Second)))
	var x uint64
	for time.Now().Before(end) {
		x = work(x)
		time.Sleep(time.Millisecond)
	}
	fmt.Println(runtime.GOMAXPROCS(0), x&1)
}
