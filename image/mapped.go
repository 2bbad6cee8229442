package image

import (
	"errors"
	"io"
	"os"
	"runtime/debug"

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

// errChanged reports a mapped image whose file shrank while it was read.
var errChanged = errors.New("read image: the file changed while it was read")

// readImage reads an image from r: mapped when r is a large enough section
// of a file (see minMapped), else through format.Read.
func readImage(r io.Reader, lim format.Limits) (*Meta, []byte, error) {
	if sec, ok := r.(*io.SectionReader); ok && sec.Size() >= minMapped {
		if f, ok := outerFile(sec); ok {
			_, off, n := sec.Outer()
			if b, unmap, err := mapFile(f, off, n); err == nil {
				defer unmap()
				return readMapped(b, lim)
			}
		}
	}
	return format.Read(r, lim)
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
