package image

// A bundle is an executable with an image appended to it as a zip archive:
//
//	bundle = executable zip
//	zip    = local header "image.stasis" (stored, not compressed), the image,
//	         central directory, end of central directory (22 bytes, no comment)
//
// The zip's offsets count from the start of the whole file, so the standard
// archive/zip reader (and unzip) reads the archive straight from the bundle;
// an executable loader ignores what follows the program. The image inside is
// stored: its payload is left uncompressed, to be read in place.

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"

	"github.com/stasisvm/stasis/image/format"
)

// BundleEntry is the name of the image inside a bundle's zip archive.
const BundleEntry = "image.stasis"

const eocdSize = 22 // end of central directory record without a comment

// WriteBundle writes exe (exeSize bytes: a Stasis executable) followed by a
// zip archive holding img as BundleEntry, its payload stored uncompressed
// (format.Uncompressed): a bundle reads its own image in place, from a
// mapping kept for its life, and decompresses nothing (see self). img is
// checked as a load checks it, with the default limits.
func WriteBundle(w io.Writer, exe io.Reader, exeSize int64, img []byte) error {
	img, err := format.Uncompressed(img, format.Limits{})
	if err != nil {
		return err
	}
	n, err := io.Copy(w, exe)
	if err != nil {
		return err
	}
	if n != exeSize {
		return fmt.Errorf("executable: read %d bytes, expected %d", n, exeSize)
	}
	zw := zip.NewWriter(w)
	zw.SetOffset(exeSize)
	fw, err := zw.CreateRaw(&zip.FileHeader{
		Name:               BundleEntry,
		Method:             zip.Store,
		CRC32:              crc32.ChecksumIEEE(img),
		CompressedSize64:   uint64(len(img)),
		UncompressedSize64: uint64(len(img)),
	})
	if err != nil {
		return err
	}
	if _, err := fw.Write(img); err != nil {
		return err
	}
	return zw.Close()
}

// BundledImage returns the section of r (a file of size bytes) that holds
// the image of a bundle, and false when r is not a bundle. It reads the last
// 22 bytes first, so asking costs one small read for an ordinary file.
func BundledImage(r io.ReaderAt, size int64) (*io.SectionReader, bool, error) {
	if size < eocdSize {
		return nil, false, nil
	}
	tail := make([]byte, eocdSize)
	if _, err := r.ReadAt(tail, size-eocdSize); err != nil {
		return nil, false, err
	}
	if !bytes.Equal(tail[:4], []byte("PK\x05\x06")) || binary.LittleEndian.Uint16(tail[20:]) != 0 {
		return nil, false, nil
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, false, nil // a zip-like tail that is no archive: not a bundle
	}
	for _, f := range zr.File {
		if f.Name != BundleEntry {
			continue
		}
		if f.Method != zip.Store {
			return nil, true, fmt.Errorf("%w: the bundled image is compressed (method %d)", ErrCorrupt, f.Method)
		}
		off, err := f.DataOffset()
		if err != nil {
			return nil, true, fmt.Errorf("%w: the bundled image: %v", ErrCorrupt, err)
		}
		if off < 0 || off+int64(f.UncompressedSize64) > size {
			return nil, true, fmt.Errorf("%w: the bundled image lies outside the file", ErrTruncated)
		}
		return io.NewSectionReader(r, off, int64(f.UncompressedSize64)), true, nil
	}
	return nil, false, nil
}

// OpenBundle opens the bundle at path and returns the file and the section
// that holds its image; the caller closes the file. It returns an error
// wrapping ErrNotBundle when the file has no image appended.
func OpenBundle(path string) (*os.File, *io.SectionReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	sec, ok, err := BundledImage(f, fi.Size())
	if err == nil && !ok {
		err = ErrNotBundle
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, sec, nil
}

// ErrNotBundle reports a file that is not a bundle.
var ErrNotBundle = errors.New("not a Stasis bundle")

// OpenSelf opens the bundle this process runs from, as OpenBundle does:
// the running executable's own file where the system names it (Linux's
// /proc/self/exe, which stays that file once a new build is renamed over
// its path), else the file at os.Executable's path. A process whose
// executable cannot be found is no bundle (ErrNotBundle).
func OpenSelf() (*os.File, *io.SectionReader, error) {
	if selfFile != "" {
		f, sec, err := OpenBundle(selfFile)
		if !errors.Is(err, os.ErrNotExist) {
			return f, sec, err
		}
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, nil, fmt.Errorf("%w: the running executable is not found: %v", ErrNotBundle, err)
	}
	return OpenBundle(exe)
}
