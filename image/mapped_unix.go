//go:build unix

package image

import (
	"errors"
	"os"
	"syscall"
)

// mapFile maps n bytes of f from off, read-only, and returns them with
// what unmaps them.
func mapFile(f *os.File, off, n int64) ([]byte, func(), error) {
	page := int64(os.Getpagesize())
	start := off &^ (page - 1)
	size := off - start + n
	if off < 0 || n <= 0 || size > 1<<40 {
		return nil, nil, errors.New("no mapping for this section")
	}
	m, err := syscall.Mmap(int(f.Fd()), start, int(size), syscall.PROT_READ, syscall.MAP_PRIVATE)
	if err != nil {
		return nil, nil, err
	}
	return m[off-start:], func() { syscall.Munmap(m) }, nil
}
