package heapgrow

import (
	"bytes"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// hugePage is the size of a transparent huge page on the platforms Go
// runs Linux on with 4 KiB pages (x86-64, arm64): the kernel's PMD size.
const hugePage = 2 << 20

// thpFile says whether the kernel gives huge pages to advised memory:
// "always [madvise] never" marks the setting in use.
const thpFile = "/sys/kernel/mm/transparent_hugepage/enabled"

// advised tells whether this kernel gives transparent huge pages to memory
// that asks for them (read once per process).
var advised = sync.OnceValue(func() bool {
	b, err := os.ReadFile(thpFile)
	return err == nil && !bytes.Contains(b, []byte("[never]"))
})

func ahead(n int) {
	if n < 2*hugePage || !advised() {
		return
	}
	// The collector is off while the stretch is allocated, so that
	// allocating it starts no cycle of its own; the one cycle that frees
	// it is the explicit one below, with the percent restored first (a
	// cycle that ends with the collector off sets the runtime's heap goal
	// to infinity, and the runtime then moves its own metadata to huge
	// pages, as it does for heaps above a gigabyte).
	percent := debug.SetGCPercent(-1)
	grow(n)
	debug.SetGCPercent(percent)
	runtime.GC()
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
func grow(n int) {
	b := make([]byte, n)
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	head := int(p & (hugePage - 1)) // bytes of its first huge page below it
	to := int((p+uintptr(n))&^(hugePage-1) - p)
	if to <= 0 {
		return
	}
	// The heap is mapped in whole 4 MiB chunks, so the bytes below the
	// object in its huge page are the heap's too. Advice and collapse
	// change no byte: their errors (a kernel without THP, no free huge
	// page) leave the memory as it was.
	mem := unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(b)), -head)), head+to)
	_ = unix.Madvise(mem, unix.MADV_HUGEPAGE)
	if head > 0 {
		_ = unix.Madvise(mem[:hugePage], unix.MADV_COLLAPSE)
	}
	runtime.KeepAlive(b)
}
