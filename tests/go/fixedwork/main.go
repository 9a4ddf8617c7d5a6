// Benchmark workload: a fixed amount of CPU-bound work (hashing plus small
// allocations, as a service does), timed by the program itself. The time it
// takes with and without a profiler attached is the profiler's overhead.
package main

import (
	"flag"
	"fmt"
	"hash/fnv"
	"time"
)

//go:noinline
func step(i int, buf []byte) uint64 {
	h := fnv.New64a()
	for j := range buf {
		buf[j] = byte(i + j)
	}
	h.Write(buf)
	return h.Sum64()
}

func main() {
	iterations := flag.Int("n", 3000000, "iterations")
	flag.Parse()
	start := time.Now()
	var sum uint64
	for i := 0; i < *iterations; i++ {
		buf := make([]byte, 64+i%192)
		sum += step(i, buf)
	}
	fmt.Printf("%.6f %d\n", time.Since(start).Seconds(), sum&1)
}
