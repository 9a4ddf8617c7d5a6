// Test workload: spins on CPU in main.spinLeaf (called by main.spinMiddle)
// for a wall-clock time, with no allocation, so nearly every sample of it
// lands in those two functions.
package main

import (
	"flag"
	"fmt"
	"time"
)

//go:noinline
func spinLeaf(x uint64) uint64 {
	for i := 0; i < 200000; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	return x
}

//go:noinline
func spinMiddle(d time.Duration) uint64 {
	end := time.Now().Add(d)
	var x uint64
	for time.Now().Before(end) {
		x = spinLeaf(x)
	}
	return x
}

func main() {
	seconds := flag.Float64("s", 3, "seconds to spin")
	wait := flag.Float64("w", 0, "seconds to sleep first")
	flag.Parse()
	time.Sleep(time.Duration(*wait * float64(time.Second)))
	fmt.Println(spinMiddle(time.Duration(*seconds*float64(time.Second))) & 1)
}
