package image

import (
	"errors"
	"io"
	"os"
	"runtime/debug"
	"sync"

	"github.com/stasisvm/stasis/image/format"
)

// A bundle's image is a section of the executable. Reading it copied 4.6
// MB (TypeScript's) into fresh memory, a page fault every 4 KB, before
// anything else of a start could begin; a section of a file of at least
// minMapped bytes is mapped instead (on systems that can) and read in
// place, then unmapped: the payload is decompressed out of it. Lodash's
// 219 KB image read was 1.5% of its bundle's start, mapped 0.2% (mapping
// and unmapping); below 64 KB, reading is as cheap as a mapping.
const minMapped = 64 << 10

// A bundle's own image, in the executable the process runs (which cannot
// be written while it runs: isRunningExecutable), is mapped once and
// never unmapped, and its payload, stored raw by WriteBundle, is read in
// place (format.ReadBytesInPlace): the scripts' sources and stored code
// that a world keeps for its life stay in the file's pages. Lodash's
// payload is 754 KB, 544 KB of it source: decompressing it into fresh
// memory was a tenth of its bundle's start (zstd and the page faults of
// the output), reading it in place costs the faults of the page cache's
// pages, sixteen pages each.
var self struct {
	sync.Mutex
	off, n int64
	b      []byte
}

// errChanged reports a mapped image whose file shrank while it was read.
var errChanged = errors.New("read image: the file changed while it was read")

// readImage reads an image from r: mapped when r is a large enough section
// of a file (see minMapped), else through format.Read.
func readImage(r io.Reader, lim format.Limits) (*Meta, []byte, error) {
	if sec, ok := r.(*io.SectionReader); ok && sec.Size() >= minMapped {
		if f, ok := outerFile(sec); ok {
			_, off, n := sec.Outer()
			if isRunningExecutable(f) {
				if b, err := mapSelf(f, off, n); err == nil {
					return format.ReadBytesInPlace(b, lim)
				}
			}
			if b, unmap, err := mapFile(f, off, n); err == nil {
				defer unmap()
				return readMapped(b, lim)
			}
		}
	}
	return format.Read(r, lim)
}

// mapSelf returns the mapping of n bytes from off of the running
// executable f, made on the first call and kept for the life of the
// process (a section other than the first one asked for is refused).
func mapSelf(f *os.File, off, n int64) ([]byte, error) {
	self.Lock()
	defer self.Unlock()
	if self.b == nil {
		b, _, err := mapFile(f, off, n)
		if err != nil {
			return nil, err
		}
		self.off, self.n, self.b = off, n, b
	}
	if self.off != off || self.n != n {
		return nil, errors.New("another section of the executable is mapped")
	}
	return self.b, nil
}

func outerFile(sec *io.SectionReader) (*os.File, bool) {
	r, _, _ := sec.Outer()
	f, ok := r.(*os.File)
	return f, ok
}

// readMapped reads the image mapped at b. A file that shrinks under its
// mapping faults on the pages past its end: that fault is returned as
// errChanged instead of ending the process.
func readMapped(b []byte, lim format.Limits) (m *Meta, payload []byte, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			if _, fault := r.(interface{ Addr() uintptr }); !fault {
				panic(r)
			}
			m, payload, err = nil, nil, errChanged
		}
	}()
	return format.ReadBytes(b, lim)
}
