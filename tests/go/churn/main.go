// Demo and test workload for the seeds' failure: a service handling a fixed
// request rate. Each request is handed between goroutines over channels,
// allocates short-lived buffers and touches a long-lived heap the GC has to
// mark. The offered load is the same whatever GOMAXPROCS is, so CPU time is
// comparable between runs: with GOMAXPROCS far above the CPU quota the
// runtime burns the difference in the scheduler (schedule/findRunnable/
// stealWork: idle Ps spinning for work) and in GC mark workers (idle Ps run
// idle-priority mark workers), and the cgroup gets throttled.
//
//	churn [-s SECONDS] [-g CLIENTS] [-rate REQ_PER_SEC] [-wave DUR] [-duty F]
//	      [-burst N] [-size BYTES] [-live MIB] [-stages N] [-gogc PCT]
//
// It prints "ops=N gomaxprocs=P cpu_ms=C" at the end.
//
// The defaults are tuned for a 2-core machine and a 1-CPU quota, measured
// there (10 s windows, v1 cpu controller, podflame doctor): GOMAXPROCS=1
// uses ~0.2 CPU and is never throttled; GOMAXPROCS=64 serves the same
// requests with ~3.5x the CPU time and is throttled in ~40 of ~110
// periods. Traffic comes in waves (a quarter of every 400 ms) because a
// flat rate high enough to throttle the GOMAXPROCS=64 run leaves no idle
// Ps, and idle Ps are where its extra CPU goes.
package main

import (
	"flag"
	"fmt"
	"runtime"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"syscall"
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

// node is the long-lived heap: pointers the mark phase must follow.
type node struct {
	next *node
	pad  [6]uint64
}

func buildLive(mib int) []*node {
	n := mib << 20 / 64
	heads := make([]*node, 0, 1024)
	var prev *node
	for i := 0; i < n; i++ {
		nd := &node{next: prev}
		prev = nd
		if i%1024 == 1023 {
			heads = append(heads, prev)
			prev = nil
		}
	}
	return append(heads, prev)
}

// worker serves one client: it allocates per request and replies. Sends
// select on done too, so shutdown never leaves a goroutine blocked.
func worker(in <-chan uint64, out chan<- uint64, size int, done <-chan struct{}) {
	for {
		var v uint64
		select {
		case <-done:
			return
		case v = <-in:
		}
		buf := make([]byte, size/2+int(v%uint64(size)))
		select {
		case <-done:
			return
		case out <- handle(buf, v):
		}
	}
}

// pacer says when a client's n-th request is due. Traffic comes in waves:
// each wave's requests are offered in the first duty fraction of it, as a
// service sees bursts; the mean rate is the same.
type pacer struct {
	start time.Time
	every time.Duration // between one client's requests, on average
	wave  time.Duration
	duty  float64
}

func (p *pacer) due(n int) time.Time {
	t := time.Duration(n) * p.every
	if p.duty >= 1 || p.wave <= 0 {
		return p.start.Add(t)
	}
	within := time.Duration(float64(t%p.wave) / p.duty)
	if within > p.wave {
		within = p.wave
	}
	return p.start.Add(t/p.wave*p.wave + within)
}

// client offers requests at a fixed pace through a pipeline of stages
// (one goroutine each) and counts the replies.
func client(seed uint64, p *pacer, burst, size, stages int, ops *atomic.Uint64, done <-chan struct{}) {
	a := make(chan uint64)
	b := a
	for i := 0; i < stages; i++ {
		next := make(chan uint64)
		go worker(b, next, size/stages, done)
		b = next
	}
	n := 0
	every := p.every
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
		// Pace in bursts: one timer per burst keeps the runtime's timer
		// work from dominating the profile at GOMAXPROCS=1.
		if n++; every > 0 && n%burst == 0 {
			if d := time.Until(p.due(n)); d > 0 {
				time.Sleep(d)
			}
		}
	}
}

func cpuMillis() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return (ru.Utime.Nano() + ru.Stime.Nano()) / 1e6
}

func main() {
	seconds := flag.Float64("s", 10, "seconds to run")
	pairs := flag.Int("g", 500, "client/worker goroutine pairs")
	rate := flag.Float64("rate", 120000, "requests per second over all clients (0: as fast as possible)")
	live := flag.Int("live", 4, "MiB of long-lived pointer-rich heap")
	size := flag.Int("size", 256, "mean bytes allocated per request")
	stages := flag.Int("stages", 1, "goroutines each request passes through")
	wave := flag.Duration("wave", 400*time.Millisecond, "length of a traffic wave")
	duty := flag.Float64("duty", 0.25, "fraction of each wave in which its requests arrive")
	burst := flag.Int("burst", 10, "requests per pacing sleep of a client")
	gogc := flag.Int("gogc", 25, "GC target percentage (as GOGC): collections per request")
	cpuprofile := flag.String("cpuprofile", "", "write Go's own CPU profile here")
	profileHz := flag.Int("hz", 250, "rate of -cpuprofile")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			panic(err)
		}
		runtime.SetCPUProfileRate(*profileHz)
		pprof.StartCPUProfile(f) // warns that the rate is already set; keeps it
		defer pprof.StopCPUProfile()
	}

	debug.SetGCPercent(*gogc)
	heap := buildLive(*live)
	p := &pacer{start: time.Now(), wave: *wave, duty: *duty}
	if *rate > 0 {
		p.every = time.Duration(float64(*pairs) / *rate * float64(time.Second))
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	var ops atomic.Uint64
	for i := 0; i < *pairs; i++ {
		wg.Add(1)
		go func(seed uint64) { defer wg.Done(); client(seed, p, *burst, *size, *stages, &ops, done) }(uint64(i))
	}
	time.Sleep(time.Duration(*seconds * float64(time.Second)))
	close(done)
	wg.Wait()
	runtime.KeepAlive(heap)
	fmt.Printf("ops=%d gomaxprocs=%d cpu_ms=%d\n", ops.Load(), runtime.GOMAXPROCS(0), cpuMillis())
}
