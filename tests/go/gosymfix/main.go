// gosymfix is the fixture the gosym tests build in several modes (default,
// stripped, PIE, -gcflags=all=-l, cgo). Run, it prints what Go's own runtime
// says about a few of its own stacks, the reference for inlined frames:
//
//	bias 0xB                 load bias (runtime address - ELF vaddr)
//	chain NAME 0xPC          a physical return address in a stack
//	frame FUNC FILE:LINE     runtime.CallersFrames' frames for that address,
//	                         innermost first, up to the first real frame
//
// The chains cover a call the compiler inlines (two levels), a method, a
// generic function and a closure, so their names are the pclntab's own
// ("main.pick[...]", "main.(*counter).bump", "main.run.func1").
package main

import (
	"bufio"
	"debug/elf"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
)

var sink int

// grab fills pcs with its caller's stack, skipping runtime.Callers and
// itself: pcs[0] is the return address in the function that called grab,
// after inlining.
//
//go:noinline
func grab(pcs []uintptr) []uintptr {
	return pcs[:runtime.Callers(2, pcs)]
}

// leaf and mid are small: the compiler inlines leaf into mid and both into
// outer, so outer's code holds a two-level inline chain.
func leaf(pcs []uintptr) []uintptr {
	sink++
	return grab(pcs)
}

func mid(pcs []uintptr) []uintptr {
	sink += 2
	return leaf(pcs)
}

//go:noinline
func outer(pcs []uintptr) []uintptr {
	return mid(pcs)
}

type counter struct{ n int }

func (c *counter) bump(pcs []uintptr) []uintptr {
	c.n++
	return grab(pcs)
}

//go:noinline
func useCounter(c *counter, pcs []uintptr) []uintptr {
	return c.bump(pcs)
}

type number interface{ ~int | ~int64 | ~float64 }

func pick[T number](a, b T, pcs []uintptr) ([]uintptr, T) {
	if a > b {
		return grab(pcs), a
	}
	return grab(pcs), b
}

//go:noinline
func usePick(pcs []uintptr) []uintptr {
	pcs, v := pick(3.5, 2.0, pcs)
	sink += int(v)
	return pcs
}

//go:noinline
func run(f func() []uintptr) []uintptr {
	return f()
}

func emit(w *bufio.Writer, name string, pcs []uintptr) {
	if len(pcs) == 0 {
		fmt.Fprintf(w, "error %s: no pcs\n", name)
		return
	}
	fmt.Fprintf(w, "chain %s 0x%x\n", name, pcs[0])
	frames := runtime.CallersFrames(pcs)
	var entry uintptr
	for {
		f, more := frames.Next()
		if entry == 0 {
			entry = f.Entry
		}
		// Frames of one physical PC share the entry of the real function.
		if f.Entry != entry {
			break
		}
		fmt.Fprintf(w, "frame %s %s:%d\n", f.Function, f.File, f.Line)
		if !more {
			break
		}
	}
}

// loadBias: the start of the executable's mapping at file offset 0 minus
// the ELF vaddr of its first PT_LOAD (0 unless PIE).
func loadBias() (uint64, error) {
	exe, err := os.Executable()
	if err != nil {
		return 0, err
	}
	ef, err := elf.Open(exe)
	if err != nil {
		return 0, err
	}
	defer ef.Close()
	first := ^uint64(0)
	for _, p := range ef.Progs {
		if p.Type == elf.PT_LOAD && p.Vaddr < first {
			first = p.Vaddr
		}
	}
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(maps), "\n") {
		f := strings.Fields(line)
		if len(f) < 6 || f[5] != exe || f[2] != "00000000" {
			continue
		}
		start, err := strconv.ParseUint(strings.Split(f[0], "-")[0], 16, 64)
		if err != nil {
			return 0, err
		}
		return start - first&^0xfff, nil
	}
	return 0, fmt.Errorf("%s not in /proc/self/maps", exe)
}

func main() {
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	bias, err := loadBias()
	if err != nil {
		fmt.Fprintln(os.Stderr, "gosymfix:", err)
		os.Exit(1)
	}
	fmt.Fprintf(w, "bias 0x%x\n", bias)
	emit(w, "inline", outer(make([]uintptr, 64)))
	emit(w, "method", useCounter(&counter{}, make([]uintptr, 64)))
	emit(w, "generic", usePick(make([]uintptr, 64)))
	k := 7
	emit(w, "closure", run(func() []uintptr {
		sink += k
		return grab(make([]uintptr, 64))
	}))
	extra(w)
}
