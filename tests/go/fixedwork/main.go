// Benchmark workload: a fixed amount of CPU-bound work (hashing plus small
// allocations, as a service does), timed by the program itself. The time it
// takes with and without a profiler attached is the profiler's overhead.
//
// With -interval it instead works until -until (Unix ns) and prints the
// iterations done and CPU time used in each interval of the wall clock. With
// -cycle it also moves itself to the next of some cgroups at each interval:
// profiled by one profiler, by another, by none. Adjacent intervals see the
// VM's host in nearly the same state, whose load otherwise changes this
// program's speed by 20% from one second to the next and buries a profiler's
// fraction of a percent.
package main

import (
	"flag"
	"fmt"
	"hash/fnv"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unsafe"
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

func work(i int) uint64 {
	buf := make([]byte, 64+i%192)
	return step(i, buf)
}

// processCPUNs is the CPU time the process has used. The kernel leaves out
// what the VM's host stole, and (no IRQ time accounting here) charges the
// interrupts that hit the process, a profiler's sampling among them.
func processCPUNs() int64 {
	const clockProcessCPUTimeID = 2
	var ts syscall.Timespec
	syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockProcessCPUTimeID, uintptr(unsafe.Pointer(&ts)), 0)
	return ts.Nano()
}

// cycleOrder visits each of n cgroups as often after as before each other:
// 0 1 2 0 2 1 for three, so no condition always follows another's move.
func cycleOrder(n int) []int {
	order := []int{}
	for i := 0; i < n; i++ {
		order = append(order, i)
	}
	order = append(order, 0)
	for i := n - 1; i > 0; i-- {
		order = append(order, i)
	}
	return order
}

func joinCgroup(dir string) {
	pid := []byte(strconv.Itoa(os.Getpid()))
	if err := os.WriteFile(dir+"/cgroup.procs", pid, 0); err != nil {
		fmt.Fprintln(os.Stderr, "fixedwork:", err)
		os.Exit(1)
	}
}

// countIntervals prints "interval cgroup iterations cpu_ns" for each whole
// interval between now and until (cgroup: its index in cgroups, 0 without);
// the clock is read every 256 iterations (~0.1 ms).
func countIntervals(interval time.Duration, until int64, cgroups []string) uint64 {
	var sum uint64
	period := interval.Nanoseconds()
	current := time.Now().UnixNano() / period
	count := 0
	cpuAtStart := processCPUNs()
	first := true
	order := cycleOrder(len(cgroups))
	turn := 0
	for i := 0; ; i++ {
		sum += work(i)
		count++
		if i&255 != 0 {
			continue
		}
		now := time.Now().UnixNano()
		if now/period == current {
			continue
		}
		cpu := processCPUNs()
		if !first { // the first interval began before the program did
			cgroup := 0
			if len(cgroups) > 0 {
				cgroup = order[(turn-1)%len(order)]
			}
			fmt.Printf("%d %d %d %d\n", current, cgroup, count, cpu-cpuAtStart)
		}
		first = false
		if len(cgroups) > 0 {
			joinCgroup(cgroups[order[turn%len(order)]])
			turn++
		}
		// Read again after the move: its CPU time is no interval's.
		current, count, cpuAtStart = now/period, 0, processCPUNs()
		if now >= until {
			return sum
		}
	}
}

func main() {
	iterations := flag.Int("n", 3000000, "iterations")
	interval := flag.Duration("interval", 0, "report iterations per interval instead")
	until := flag.Int64("until", 0, "with -interval: stop at this Unix time (ns)")
	cycle := flag.String("cycle", "", "with -interval: comma-separated cgroup directories to move through")
	flag.Parse()
	if *interval > 0 {
		var cgroups []string
		if *cycle != "" {
			cgroups = strings.Split(*cycle, ",")
		}
		fmt.Printf("# %d\n", countIntervals(*interval, *until, cgroups)&1)
		return
	}
	start := time.Now()
	var sum uint64
	for i := 0; i < *iterations; i++ {
		sum += work(i)
	}
	fmt.Printf("%.6f %d\n", time.Since(start).Seconds(), sum&1)
}
