// Test workload for complete Go stacks: each goroutine is busy in a place a
// frame-pointer walk alone gets wrong, under a named function, while the
// process writes its own CPU profile (Go's traceback is the reference).
//   - main.burnMiddle -> main.burnLeaf: a frameless leaf in a hot loop
//   - main.copier: large copy (runtime.memmove, frameless assembly)
//   - main.allocator: large make (mallocgc -> memclrNoHeapPointers)
//   - main.pinger/main.ponger: a channel ping-pong across Ps, so the runtime
//     sleeps and wakes threads in runtime.futex
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"sync/atomic"
	"time"
)

var stop atomic.Bool
var sink atomic.Uint64

//go:noinline
func burnLeaf(x uint64) uint64 {
	for i := 0; i < 64; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	return x
}

//go:noinline
func burnMiddle() {
	var x uint64
	for !stop.Load() {
		for i := 0; i < 1000; i++ {
			x = burnLeaf(x)
		}
	}
	sink.Add(x)
}

//go:noinline
func copier() {
	src := make([]byte, 8<<20)
	dst := make([]byte, 8<<20)
	for !stop.Load() {
		copy(dst, src)
	}
}

//go:noinline
func allocator() {
	var keep []byte
	for !stop.Load() {
		keep = make([]byte, 1<<20)
	}
	sink.Add(uint64(len(keep)))
}

//go:noinline
func pinger(ping, pong chan int) {
	for !stop.Load() {
		ping <- 1
		<-pong
	}
	close(ping)
}

//go:noinline
func ponger(ping, pong chan int) {
	for range ping {
		pong <- 1
	}
}

func main() {
	seconds := flag.Float64("s", 10, "seconds to run")
	rate := flag.Int("hz", 250, "CPU profile rate")
	out := flag.String("cpuprofile", "", "write Go's own CPU profile here")
	flag.Parse()
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			panic(err)
		}
		runtime.SetCPUProfileRate(*rate)
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
		defer pprof.StopCPUProfile()
	}
	ping, pong := make(chan int), make(chan int)
	go burnMiddle()
	go copier()
	go allocator()
	go pinger(ping, pong)
	go ponger(ping, pong)
	time.Sleep(time.Duration(*seconds * float64(time.Second)))
	stop.Store(true)
	time.Sleep(50 * time.Millisecond)
	fmt.Println(sink.Load() & 1)
}
