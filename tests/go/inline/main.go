// Test workload for the pprof tests: spins in main.hotLoop, which calls
// main.mix, a leaf small enough for the compiler to inline, and
// main.checksum (not inlined), for a wall-clock time. Most samples land in
// hotLoop with mix inlined into it, so a profile of this program has
// locations with two lines (mix inlined into hotLoop).
//
//	-s SECONDS     how long to spin (default 3)
//	-cpuprofile F  also write Go's own CPU profile (runtime/pprof) to F
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"time"
)

// mix is inlined into hotLoop (no //go:noinline; tiny body).
func mix(x uint64) uint64 {
	return x*6364136223846793005 + 1442695040888963407
}

//go:noinline
func checksum(x uint64) uint64 {
	for i := 0; i < 64; i++ {
		x ^= x >> 17
		x *= 0xbf58476d1ce4e5b9
	}
	return x
}

//go:noinline
func hotLoop(d time.Duration) uint64 {
	end := time.Now().Add(d)
	var x uint64
	for time.Now().Before(end) {
		for i := 0; i < 100000; i++ {
			x = mix(x)
		}
		x = checksum(x)
	}
	return x
}

func main() {
	seconds := flag.Float64("s", 3, "seconds to spin")
	cpuprofile := flag.String("cpuprofile", "", "write Go's CPU profile here")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer f.Close()
		defer pprof.StopCPUProfile()
	}
	fmt.Println(hotLoop(time.Duration(*seconds*float64(time.Second))) & 1)
}
