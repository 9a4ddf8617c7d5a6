// gosymref prints what Go's own debug/gosym says about a binary, for the
// gosym tests to compare podflame against:
//
//	gosymref funcs BINARY          0xENTRY<TAB>0xEND<TAB>NAME, every function
//	gosymref pcs N SEED BINARY     N random PCs in the function table's range:
//	                               0xPC<TAB>FUNCTION<TAB>FILE:LINE
//
// FUNCTION is the physical function (debug/gosym knows no inlining) and
// FILE:LINE the innermost position, what the pc tables say at that PC; an
// unknown file prints "??", an unknown line 0, no function "??".
//
// The table comes from .gopclntab, .data.rel.ro.gopclntab or the
// runtime.pclntab symbol; the text start from the runtime.text symbol, else
// the .text section (right for binaries Go links itself; the tests compare
// cgo binaries only while they still have their symbols).
//
// This is Go 1.19's debug/gosym, which reads tables up to the Go 1.18
// layout. The Go 1.20 layout (magic 0xfffffff1) differs only in fields
// debug/gosym does not read (a start line appended to each function record,
// and the inline records), so for those the magic is rewritten to 1.18's
// in a private copy before parsing; "-strict" refuses instead.
package main

import (
	"bufio"
	"debug/elf"
	"debug/gosym"
	"errors"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"strconv"
)

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gosymref:", err)
	os.Exit(1)
}

func symbol(f *elf.File, name string) (uint64, bool) {
	syms, err := f.Symbols()
	if err != nil {
		return 0, false
	}
	for _, s := range syms {
		if s.Name == name {
			return s.Value, true
		}
	}
	return 0, false
}

// readAt reads n bytes at virtual address addr through the PT_LOAD segments.
func readAt(f *elf.File, addr, n uint64) ([]byte, error) {
	for _, p := range f.Progs {
		if p.Type == elf.PT_LOAD && addr >= p.Vaddr && addr+n <= p.Vaddr+p.Filesz {
			buf := make([]byte, n)
			_, err := p.ReadAt(buf, int64(addr-p.Vaddr))
			return buf, err
		}
	}
	return nil, fmt.Errorf("0x%x+%d not in the file", addr, n)
}

func pclntab(f *elf.File) ([]byte, error) {
	for _, name := range []string{".gopclntab", ".data.rel.ro.gopclntab"} {
		if s := f.Section(name); s != nil {
			return s.Data()
		}
	}
	start, ok1 := symbol(f, "runtime.pclntab")
	end, ok2 := symbol(f, "runtime.epclntab")
	if ok1 && ok2 && end > start {
		return readAt(f, start, end-start)
	}
	return nil, errors.New("no .gopclntab section and no runtime.pclntab symbol")
}

func open(path string, strict bool) *gosym.Table {
	f, err := elf.Open(path)
	if err != nil {
		fail(err)
	}
	defer f.Close()
	tab, err := pclntab(f)
	if err != nil {
		fail(err)
	}
	text, ok := symbol(f, "runtime.text")
	if !ok {
		s := f.Section(".text")
		if s == nil {
			fail(errors.New("no runtime.text symbol and no .text section"))
		}
		text = s.Addr
	}
	if len(tab) >= 4 && f.ByteOrder.Uint32(tab) == 0xfffffff1 {
		if strict {
			fail(errors.New("Go 1.20+ table: debug/gosym of this Go reads up to 1.18's"))
		}
		tab = append([]byte(nil), tab...)
		f.ByteOrder.PutUint32(tab, 0xfffffff0)
		fmt.Fprintln(os.Stderr, "gosymref: Go 1.20+ table read as 1.18's (same fields)")
	}
	t, err := gosym.NewTable(nil, gosym.NewLineTable(tab, text))
	if err != nil {
		fail(err)
	}
	if len(t.Funcs) == 0 {
		fail(errors.New("debug/gosym found no functions"))
	}
	return t
}

func main() {
	strict := flag.Bool("strict", false, "refuse Go 1.20+ tables")
	flag.Parse()
	args := flag.Args()
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	switch {
	case len(args) == 2 && args[0] == "funcs":
		t := open(args[1], *strict)
		for _, fn := range t.Funcs {
			fmt.Fprintf(w, "0x%x\t0x%x\t%s\n", fn.Entry, fn.End, fn.Name)
		}
	case len(args) == 4 && args[0] == "pcs":
		n, err1 := strconv.Atoi(args[1])
		seed, err2 := strconv.ParseInt(args[2], 10, 64)
		if err1 != nil || err2 != nil {
			fail(errors.New("pcs N SEED BINARY"))
		}
		t := open(args[3], *strict)
		lo, hi := t.Funcs[0].Entry, t.Funcs[len(t.Funcs)-1].End
		r := rand.New(rand.NewSource(seed))
		for i := 0; i < n; i++ {
			pc := lo + uint64(r.Int63n(int64(hi-lo)))
			file, line, fn := t.PCToLine(pc)
			name := "??"
			if fn != nil {
				name = fn.Name
			}
			if file == "" {
				file = "??"
			}
			if line < 0 {
				line = 0
			}
			fmt.Fprintf(w, "0x%x\t%s\t%s:%d\n", pc, name, file, line)
		}
	default:
		fmt.Fprintln(os.Stderr, "usage: gosymref [-strict] funcs BINARY | pcs N SEED BINARY")
		os.Exit(2)
	}
}
