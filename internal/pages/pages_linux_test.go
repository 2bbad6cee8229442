package pages

import (
	"errors"
	"os"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// resident counts the pages of b (page-aligned) that are in memory.
func resident(t *testing.T, b []byte) int {
	t.Helper()
	vec := make([]byte, len(b)/os.Getpagesize())
	if _, _, errno := unix.Syscall(unix.SYS_MINCORE, uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)), uintptr(unsafe.Pointer(&vec[0]))); errno != 0 {
		t.Fatal(errno)
	}
	n := 0
	for _, v := range vec {
		n += int(v & 1)
	}
	return n
}

func TestPopulate(t *testing.T) {
	page := os.Getpagesize()
	tests := []struct {
		name     string
		pages    int // of fresh memory
		from, to int // the bytes of it given to Populate
		want     int // pages resident after
	}{
		{"too few pages to bother", minPopulate - 1, 0, (minPopulate - 1) * page, 0},
		{"whole pages", 64, 0, 64 * page, 64},
		{"the whole pages inside unaligned bounds", 64, 100, 40*page + 5, 39},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem, err := unix.Mmap(-1, 0, tt.pages*page, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE)
			if err != nil {
				t.Fatal(err)
			}
			defer unix.Munmap(mem)
			if n := resident(t, mem); n != 0 {
				t.Fatalf("%d pages resident before", n)
			}
			if err := populate(mem[tt.from:tt.to]); errors.Is(err, unix.EINVAL) {
				t.Skip("this kernel has no MADV_POPULATE_WRITE")
			} else if err != nil {
				t.Fatal(err)
			}
			if n := resident(t, mem); n != tt.want {
				t.Errorf("%d pages resident, want %d", n, tt.want)
			}
			for i := range mem {
				if mem[i] != 0 {
					t.Fatalf("byte %d is %d after populating", i, mem[i])
				}
			}
		})
	}
}
