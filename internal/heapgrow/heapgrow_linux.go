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
	// The collector is off while the stretch is held, so that allocating
	// it starts no cycle of its own; the one cycle that frees it is the
	// explicit one below.
	percent := debug.SetGCPercent(-1)
	defer debug.SetGCPercent(percent)
	grow(n)
	runtime.GC()
}

// grow allocates n bytes (a large object is a span of its own, mapped
// fresh by the runtime when the heap has no room for it) and advises the
// huge pages inside it; the object is garbage once grow returns.
func grow(n int) {
	b := make([]byte, n)
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	from := int((p+hugePage-1)&^(hugePage-1) - p)
	to := int((p+uintptr(n))&^(hugePage-1) - p)
	if from < to {
		// Advice: an error (a kernel built without THP) changes nothing.
		_ = unix.Madvise(b[from:to], unix.MADV_HUGEPAGE)
	}
	runtime.KeepAlive(b)
}
