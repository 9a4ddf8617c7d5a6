// Test workload for CI comparisons: two "builds" of one benchmark. The
// base build computes in main.compute; a build linked with
// -ldflags "-X main.mode=handoff" also hands a token back and forth
// between pairs of goroutines over unbuffered channels, so a large share
// of its CPU goes to the Go scheduler (runtime.schedule, findRunnable,
// park_m) — the regression a CI gate should catch.
//
//	-s SECONDS   wall-clock time to run (default 2)
package main

import (
	"flag"
	"fmt"
	"runtime"
	"sync"
	"time"
)

var mode = "compute"

//go:noinline
func compute(x uint64) uint64 {
	for i := 0; i < 100000; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	return x
}

func computeUntil(end time.Time) uint64 {
	var x uint64
	for time.Now().Before(end) {
		x = compute(x)
	}
	return x
}

//go:noinline
func handoff(end time.Time, in <-chan int, out chan<- int) {
	for time.Now().Before(end) {
		out <- <-in + 1
	}
}

func main() {
	seconds := flag.Float64("s", 2, "seconds to run")
	flag.Parse()
	end := time.Now().Add(time.Duration(*seconds * float64(time.Second)))
	var wg sync.WaitGroup
	var sum uint64
	var mu sync.Mutex
	workers := runtime.GOMAXPROCS(0)
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			x := computeUntil(end)
			mu.Lock()
			sum += x
			mu.Unlock()
		}()
	}
	if mode == "handoff" {
		// The pairs run until the compute workers are done; main
		// returning ends them wherever they are.
		for i := 0; i < workers*4; i++ {
			a, b := make(chan int), make(chan int)
			go handoff(end, a, b)
			go handoff(end, b, a)
			go func() { a <- 0 }()
		}
	}
	wg.Wait()
	fmt.Println(mode, sum&1)
}
