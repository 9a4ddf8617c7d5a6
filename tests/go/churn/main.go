// Demo and test workload for the seeds' failure: many goroutines that hand
// work to each other over channels and allocate short-lived buffers. With
// GOMAXPROCS far above the CPU quota, the runtime burns CPU in the scheduler
// (schedule/findRunnable/stealWork) and in GC mark workers, and the cgroup is
// throttled.
package main

import (
	"flag"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

var sink atomic.Uint64

// A request's own work is small: the cost under study is the runtime's
// (handing the request between goroutines, allocating, collecting).
//
//go:noinline
func handle(buf []byte, seed uint64) uint64 {
	for i := 0; i < len(buf); i += 64 {
		seed = seed*6364136223846793005 + 1442695040888963407
		buf[i] = byte(seed >> 56)
	}
	return seed
}

func worker(in <-chan uint64, out chan<- uint64, done <-chan struct{}) {
	for {
		select {
		case <-done:
			return
		case v := <-in:
			buf := make([]byte, 512+int(v%4096))
			out <- handle(buf, v)
		}
	}
}

func main() {
	seconds := flag.Float64("s", 10, "seconds to run")
	pairs := flag.Int("g", 200, "goroutine pairs")
	flag.Parse()

	done := make(chan struct{})
	var wg sync.WaitGroup
	var ops atomic.Uint64
	for i := 0; i < *pairs; i++ {
		a, b := make(chan uint64), make(chan uint64)
		wg.Add(2)
		go func() { defer wg.Done(); worker(a, b, done) }()
		go func(seed uint64) {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				case a <- seed:
				}
				select {
				case <-done:
					return
				case seed = <-b:
					ops.Add(1)
				}
			}
		}(uint64(i))
	}
	time.Sleep(time.Duration(*seconds * float64(time.Second)))
	close(done)
	wg.Wait()
	fmt.Printf("ops=%d gomaxprocs=%d\n", ops.Load(), runtime.GOMAXPROCS(0))
}
