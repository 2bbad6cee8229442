//go:build unix

package format

import (
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"syscall"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// TestUnpackFileShrinks: the frames of a mapped image (a bundle's) are
// decompressed on other goroutines; a file cut short under its mapping
// makes them fault, which must reach the caller as a fault it can recover
// from (image.readMapped turns it into an error), not end the process.
func TestUnpackFileShrinks(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(max(2, runtime.GOMAXPROCS(0))))
	payload := make([]byte, 4*frameSize)
	r := rand.New(rand.NewSource(1))
	for i := range payload {
		payload[i] = byte(r.Intn(16)) // compressible, as payloads are
	}
	stored := compress(payload)
	fs := framesOf(stored, uint64(len(payload)))
	if len(fs) < 4 {
		t.Fatalf("%d frames, want 4", len(fs))
	}
	// The file is cut in the last block's content, past every header that
	// framesOf reads on the caller's goroutine: only the decoding of the
	// last frame, on another, meets the missing pages.
	last := fs[len(fs)-1]
	var h zstd.Header
	if err := h.Decode(stored[last.start:]); err != nil {
		t.Fatal(err)
	}
	lastBlock := last.start + h.HeaderSize
	for q := lastBlock; q < last.end-4; {
		bh := int(stored[q]) | int(stored[q+1])<<8 | int(stored[q+2])<<16
		lastBlock, q = q, q+3+bh>>3
	}
	page := os.Getpagesize()
	cut := (lastBlock + 3 + page - 1) / page * page
	if cut >= len(stored)-page {
		t.Fatalf("the last block (at %d of %d bytes) is too short to cut", lastBlock, len(stored))
	}
	path := filepath.Join(t.TempDir(), "img")
	if err := os.WriteFile(path, stored, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := syscall.Mmap(int(f.Fd()), 0, len(stored), syscall.PROT_READ, syscall.MAP_PRIVATE)
	if err != nil {
		t.Skipf("no mapping: %v", err)
	}
	defer syscall.Munmap(m)
	if err := os.Truncate(path, int64(cut)); err != nil {
		t.Fatal(err)
	}
	var fault any
	func() {
		defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
		defer func() { fault = recover() }()
		_, err = unpack(m, uint64(len(payload)))
	}()
	if _, ok := fault.(interface{ Addr() uintptr }); !ok && err == nil {
		t.Fatalf("unpacking a mapping cut short: no fault, no error (recovered %v)", fault)
	}
}
