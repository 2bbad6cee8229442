package pages

import (
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// minPopulate is the fewest whole pages worth a call.
const minPopulate = 16

// Populate backs the whole pages of b with memory now. It is advice: a
// kernel without MADV_POPULATE_WRITE (before Linux 5.14) refuses it, and
// the pages then fault as they are written, as without it.
func Populate(b []byte) { _ = populate(b) }

func populate(b []byte) error {
	page := os.Getpagesize()
	if len(b) < minPopulate*page {
		return nil
	}
	off := int(-uintptr(unsafe.Pointer(&b[0])) & uintptr(page-1))
	b = b[off:]
	return unix.Madvise(b[:len(b)&^(page-1)], unix.MADV_POPULATE_WRITE)
}
