package heapgrow

import (
	"bytes"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The kernel's settings of transparent huge pages: thpFile says whether it
// gives them to advised memory ("always [madvise] never" marks the one in
// use), pmdFile their size (2 MiB on x86-64 and on arm64 with 4 KiB pages).
const (
	thpFile = "/sys/kernel/mm/transparent_hugepage/enabled"
	pmdFile = "/sys/kernel/mm/transparent_hugepage/hpage_pmd_size"
)

// hugePage returns the size of the transparent huge pages this kernel
// gives to memory that asks for them, or 0 if it gives none (read once per
// process).
var hugePage = sync.OnceValue(func() int {
	b, err := os.ReadFile(thpFile)
	if err != nil || bytes.Contains(b, []byte("[never]")) {
		return 0
	}
	if b, err = os.ReadFile(pmdFile); err != nil {
		return 0
	}
	n, err := strconv.Atoi(string(bytes.TrimSpace(b)))
	if err != nil || n <= 0 || n&(n-1) != 0 {
		return 0
	}
	return n
})

func ahead(n int) (settle func()) {
	nothing := func() {}
	if n <= 0 {
		return nothing // without reading the kernel's settings (an almost empty bundle)
	}
	huge := hugePage()
	if huge == 0 || n < 2*huge {
		return nothing
	}
	// The collector is off while the stretch is allocated, so that
	// allocating it starts no cycle of its own; the one cycle that frees
	// it is the explicit one below, with the percent restored first (a
	// cycle that ends with the collector off sets the runtime's heap goal
	// to infinity, and the runtime then moves its own metadata to huge
	// pages, as it does for heaps above a gigabyte).
	percent := debug.SetGCPercent(-1)
	start, length := grow(n, huge)
	debug.SetGCPercent(percent)
	runtime.GC()
	if length == 0 {
		return nothing
	}
	return sync.OnceFunc(func() { unadvise(start, length) })
}

// unadvise takes back the advice grow gave to length bytes at start (the
// heap's memory: the runtime never unmaps it, so the range stays valid;
// it is kept as a number, never as a pointer, since objects there may be
// freed). Like the advice, it changes no byte, and an error leaves it as
// it was.
func unadvise(start uintptr, length int) {
	madvise(start, length, unix.MADV_NOHUGEPAGE)
}

// madvise gives advice on length bytes of memory at start, an address
// kept as a number; advice changes no byte, and an error (a kernel without
// the advice, no free huge page) leaves the memory as it was.
func madvise(start uintptr, length, advice int) {
	_, _, _ = unix.Syscall(unix.SYS_MADVISE, start, uintptr(length), uintptr(advice))
}

// grow allocates n bytes (a large object is a span of its own, mapped
// fresh by the runtime where the heap has no room for it: the heap's first
// free pages, up to its end, and beyond) and advises the huge pages it
// overlaps; the object is garbage once grow returns.
//
// The huge page it starts in is partly the heap's already (package
// initialisation's objects), so it has 4 KiB pages that cannot become a
// huge page by faulting: the allocations after the collection fill its
// free part first, a fault per page (a few hundred in a bundle's start).
// It is collapsed into a huge page now (MADV_COLLAPSE: the kernel copies
// the pages in use into a huge page, whatever the sysfs setting).
//
// It returns the range advised (length 0 when none was).
func grow(n, huge int) (start uintptr, length int) {
	b := make([]byte, n)
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	mask := uintptr(huge - 1)
	head := int(p & mask) // bytes of its first huge page below it
	to := int((p+uintptr(n))&^mask - p)
	if to <= 0 {
		return 0, 0
	}
	// The heap is mapped in whole 4 MiB chunks, so the bytes below the
	// object in its huge page are the heap's too (where a huge page is no
	// larger; else advice on the unmapped part fails, changing nothing). Advice and collapse
	// change no byte: their errors (a kernel without THP, no free huge
	// page) leave the memory as it was.
	//
	// The range starts below the object, in memory no Go pointer may
	// point to (checkptr, on under -race, rightly refuses such a
	// pointer), so it is passed to the kernel as numbers.
	start, length = p-uintptr(head), head+to
	madvise(start, length, unix.MADV_HUGEPAGE)
	if head > 0 {
		madvise(start, huge, unix.MADV_COLLAPSE)
	}
	runtime.KeepAlive(b)
	return start, length
}
