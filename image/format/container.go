// Package format reads and writes the bytes of a Stasis image, and nothing
// else: it knows no JavaScript engine. It is the one place that decides
// what an image may hold, so that it can be read, tested and fuzzed alone.
//
//   - container.go: the file around the payload (header, metadata,
//     checksums): Write, ReadMeta, Read.
//   - zstd.go: the payload's compression, in frames decompressed in
//     parallel.
//   - payload.go: the payload's sections (Payload) and the codes inside
//     them (value tags, object kinds, attributes): Encode, Decode.
//   - scan.go: a walk over the payload's CBOR that measures every section
//     before anything is allocated for it.
//   - check.go: the structural checks of a decoded payload (every index in
//     range, every column as long as its objects need).
//   - limits.go: Limits, the sizes a reader accepts, with their defaults.
//
// Errors are *Error values wrapping one of ErrNotImage, ErrTruncated,
// ErrCorrupt, ErrNewerVersion or ErrLimit.
package format

// The container of an image file. All integers are little-endian.
//
//	image    = header metadata payload
//	header   = magic major minor flags metaLen reserved stored unpacked crc hcrc   (48 bytes)
//	magic    = "\x89STASIS\n"      8 bytes: a binary first byte, so text tools and text-mode
//	                               transfers are caught
//	major    = uint16              format major version (Major); a larger one is refused
//	minor    = uint16              format minor version (see version.go)
//	flags    = uint32              bit 0: the payload is zstd-compressed; other bits must be 0
//	metaLen  = uint32              length of the metadata block (at most 1 MiB)
//	reserved = uint32              0
//	stored   = uint64              length of the payload as stored
//	unpacked = uint64              length of the payload once decompressed
//	crc      = uint32              CRC-32C of metadata and stored payload
//	hcrc     = uint32              CRC-32C of the 44 header bytes before it
//	metadata = CBOR map            Meta, deterministic encoding, uncompressed (cheap to read)
//	payload  = zstd frames or raw  the payload sections (see payload.go); compressed,
//	                               one frame per frameSize bytes of it (zstd.go)
//
// A reader checks, in order: magic, header checksum, version, flags, lengths
// against the file, payload checksum, then decompresses to exactly `unpacked`
// bytes. Version skew: see version.go.

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"

	"github.com/fxamacker/cbor/v2"
)

// The format version this build writes (and the newest it reads).
const (
	Major = 2
	Minor = 1
)

const (
	headerSize   = 48
	flagZstd     = 1 << 0
	knownFlags   = flagZstd
	maxMetaLen   = 1 << 20
	minCompress  = 256 // payloads smaller than this are stored raw
	magicLiteral = "\x89STASIS\n"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Meta is an image's metadata.
type Meta struct {
	StasisVersion string       `cbor:"1,keyasint"`           // the Stasis that wrote the image (vm.Version)
	GojaVersion   string       `cbor:"2,keyasint"`           // goja's module version in that build
	Layout        string       `cbor:"3,keyasint"`           // heap layout fingerprint (heap.Fingerprint)
	Created       int64        `cbor:"4,keyasint"`           // Unix seconds
	Plugins       []PluginInfo `cbor:"5,keyasint,omitempty"` // the native plugins the world used
	Entry         []string     `cbor:"6,keyasint,omitempty"` // scripts that built the world, for people
	// Code is the code record (see code.go): hashes of the compiled code
	// that the saved state depends on, for a loader with another goja.
	// Images before format 1.2 have none.
	Code []byte `cbor:"7,keyasint,omitempty"`

	// Version is the format version of the image, from its header (it is
	// not part of the metadata block).
	Version Version `cbor:"-"`
}

// PluginInfo names a native plugin an image needs.
type PluginInfo struct {
	Name    string `cbor:"1,keyasint"` // Plugin.Name
	Version int    `cbor:"2,keyasint"` // the version of its records
}

// Header is an image's fixed header.
type Header struct {
	Major, Minor     uint16 // format version
	Flags            uint32 // bit 0: the payload is zstd-compressed
	MetaLen          uint32 // bytes of CBOR metadata after the header
	Stored, Unpacked uint64 // bytes of the payload as stored, and once decompressed
	CRC              uint32 // CRC-32C of metadata and stored payload
}

// Version is the image's format version.
func (h *Header) Version() Version { return Version{h.Major, h.Minor} }

var metaEnc = func() cbor.EncMode {
	m, err := cbor.CoreDetEncOptions().EncMode()
	if err != nil {
		panic(err)
	}
	return m
}()

var metaDec = func() cbor.DecMode {
	m, err := cbor.DecOptions{MaxNestedLevels: 8, MaxArrayElements: 4096, MaxMapPairs: 4096}.DecMode()
	if err != nil {
		panic(err)
	}
	return m
}()

// Write writes an image: header, metadata and payload, the payload
// compressed with zstd when that makes it smaller.
func Write(w io.Writer, meta *Meta, payload []byte) error {
	mb, err := metaEnc.Marshal(meta)
	if err != nil {
		return fmt.Errorf("encode metadata: %w", err)
	}
	var flags uint32
	stored := payload
	if len(payload) >= minCompress {
		if z := compress(payload); len(z) < len(payload) {
			stored, flags = z, flagZstd
		}
	}
	h := header(Current, flags, mb, stored, uint64(len(payload)))
	for _, b := range [][]byte{h, mb, stored} {
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// header returns the fixed header of an image of version v whose metadata
// block is mb and whose payload is stored as stored (unpacked bytes once
// decompressed).
func header(v Version, flags uint32, mb, stored []byte, unpacked uint64) []byte {
	crc := crc32.Update(crc32.Checksum(mb, castagnoli), castagnoli, stored)
	h := make([]byte, headerSize)
	copy(h, magicLiteral)
	binary.LittleEndian.PutUint16(h[8:], v.Major)
	binary.LittleEndian.PutUint16(h[10:], v.Minor)
	binary.LittleEndian.PutUint32(h[12:], flags)
	binary.LittleEndian.PutUint32(h[16:], uint32(len(mb)))
	binary.LittleEndian.PutUint64(h[24:], uint64(len(stored)))
	binary.LittleEndian.PutUint64(h[32:], unpacked)
	binary.LittleEndian.PutUint32(h[40:], crc)
	binary.LittleEndian.PutUint32(h[44:], crc32.Checksum(h[:44], castagnoli))
	return h
}

// Uncompressed returns the image img (a whole image, checked as Read
// checks it, with the limits lim) with its payload stored raw: the same
// version, metadata bytes and payload, flag bit 0 clear. A reader that
// keeps the image's bytes in memory or mapped for as long as the world
// lives (a bundle's, see ReadBytesInPlace) then decompresses nothing and
// reads the scripts' sources and stored code where they lie. An image
// stored raw already is returned as it is (without any bytes past its
// payload).
func Uncompressed(img []byte, lim Limits) ([]byte, error) {
	hd, mb, stored, err := splitImage(img, lim.WithDefaults())
	if err != nil {
		return nil, err
	}
	if _, _, err := finish(hd, mb, stored); err != nil {
		return nil, err
	}
	if hd.Flags&flagZstd == 0 {
		return img[:headerSize+len(mb)+len(stored)], nil
	}
	payload, err := unpack(stored, hd.Unpacked)
	if err != nil {
		return nil, err
	}
	h := header(hd.Version(), hd.Flags&^flagZstd, mb, payload, uint64(len(payload)))
	out := make([]byte, 0, len(h)+len(mb)+len(payload))
	return append(append(append(out, h...), mb...), payload...), nil
}

// readHeader reads and checks the fixed header.
func readHeader(r io.Reader) (*Header, error) {
	h := make([]byte, headerSize)
	n, err := io.ReadFull(r, h)
	switch {
	case n == 0 && (err == io.EOF || err == io.ErrUnexpectedEOF):
		return nil, formatErr(ErrNotImage, "the file is empty")
	case err == io.ErrUnexpectedEOF:
		if !bytes.HasPrefix([]byte(magicLiteral), h[:min(n, len(magicLiteral))]) {
			return nil, formatErr(ErrNotImage, "bad magic bytes")
		}
		return nil, formatErr(ErrTruncated, fmt.Sprintf("the header needs %d bytes, found %d", headerSize, n))
	case err != nil:
		return nil, err
	}
	if string(h[:8]) != magicLiteral {
		if string(h[1:7]) == "STASIS" {
			return nil, formatErr(ErrCorrupt, "the magic bytes are damaged (was the file transferred as text?)")
		}
		return nil, formatErr(ErrNotImage, "bad magic bytes")
	}
	if crc32.Checksum(h[:44], castagnoli) != binary.LittleEndian.Uint32(h[44:]) {
		return nil, formatErr(ErrCorrupt, "header checksum mismatch")
	}
	hd := &Header{
		Major: binary.LittleEndian.Uint16(h[8:]), Minor: binary.LittleEndian.Uint16(h[10:]),
		Flags: binary.LittleEndian.Uint32(h[12:]), MetaLen: binary.LittleEndian.Uint32(h[16:]),
		Stored: binary.LittleEndian.Uint64(h[24:]), Unpacked: binary.LittleEndian.Uint64(h[32:]),
		CRC: binary.LittleEndian.Uint32(h[40:]),
	}
	if v := hd.Version(); v.Major > Major {
		return nil, newerErr(v, "")
	} else if _, _, ok := sectionsIn(v); !ok {
		return nil, formatErr(ErrCorrupt, fmt.Sprintf("format %s is older than any Stasis release", v))
	}
	if hd.Flags&^knownFlags != 0 {
		return nil, formatErr(ErrCorrupt, fmt.Sprintf("unknown flags %#x", hd.Flags&^knownFlags))
	}
	if hd.MetaLen > maxMetaLen {
		return nil, formatErr(ErrCorrupt, fmt.Sprintf("metadata of %d bytes is over the limit", hd.MetaLen))
	}
	if hd.Flags&flagZstd == 0 && hd.Stored != hd.Unpacked {
		return nil, formatErr(ErrCorrupt, "payload lengths do not agree")
	}
	return hd, nil
}

// ReadMeta reads the header and metadata only (for inspect and version
// checks); the payload is not read or verified.
func ReadMeta(r io.Reader) (*Meta, *Header, error) {
	hd, err := readHeader(r)
	if err != nil {
		return nil, nil, err
	}
	mb := make([]byte, hd.MetaLen)
	if n, err := io.ReadFull(r, mb); err != nil {
		return nil, hd, formatErr(ErrTruncated, fmt.Sprintf("header says %d metadata bytes, found %d", hd.MetaLen, n))
	}
	var m Meta
	if err := metaDec.Unmarshal(mb, &m); err != nil {
		return nil, hd, formatErr(ErrCorrupt, fmt.Sprintf("metadata: %v", err))
	}
	m.Version = hd.Version()
	return &m, hd, nil
}

// Read reads a whole image, verifies it and returns its metadata and the
// unpacked payload. A payload over lim.Payload is refused from the header
// alone, before anything is read or allocated for it (zero fields of lim
// mean the defaults, see Limits).
func Read(r io.Reader, lim Limits) (*Meta, []byte, error) {
	lim = lim.WithDefaults()
	hd, err := readHeader(r)
	if err != nil {
		return nil, nil, err
	}
	if hd.Unpacked > lim.Payload {
		return nil, nil, limitErr("Payload", "payload of %d bytes unpacked is over the limit of %d", hd.Unpacked, lim.Payload)
	}
	mb := make([]byte, hd.MetaLen)
	if n, err := io.ReadFull(r, mb); err != nil {
		return nil, nil, formatErr(ErrTruncated, fmt.Sprintf("header says %d metadata bytes, found %d", hd.MetaLen, n))
	}
	stored, err := readExactly(r, hd.Stored)
	if err != nil {
		return nil, nil, err
	}
	return finish(hd, mb, stored)
}

// ReadBytes reads a whole image held in b, as Read reads it from a
// reader; the payload it returns never shares memory with b (b may be a
// mapping of the file, to be unmapped once the image is read).
func ReadBytes(b []byte, lim Limits) (*Meta, []byte, error) {
	hd, mb, stored, err := splitImage(b, lim.WithDefaults())
	if err != nil {
		return nil, nil, err
	}
	m, payload, err := finish(hd, mb, stored)
	if err == nil && hd.Flags&flagZstd == 0 {
		payload = bytes.Clone(payload)
	}
	return m, payload, err
}

// ReadBytesInPlace is ReadBytes, except that a payload stored raw (see
// Uncompressed) is returned as the slice of b that holds it, copying
// nothing: b must then stay unchanged, and mapped if it is a mapping, for
// as long as the payload or anything decoded from it (a world, whose
// scripts' sources and stored code are left in the payload: Decode) is in
// use. A compressed payload is decompressed into memory of its own.
func ReadBytesInPlace(b []byte, lim Limits) (*Meta, []byte, error) {
	hd, mb, stored, err := splitImage(b, lim.WithDefaults())
	if err != nil {
		return nil, nil, err
	}
	return finish(hd, mb, stored)
}

// splitImage reads the header of the image in b and returns it with the
// metadata block and the stored payload, refusing a payload over
// lim.Payload (lim has its defaults) and bytes too few for the lengths.
func splitImage(b []byte, lim Limits) (hd *Header, mb, stored []byte, err error) {
	if hd, err = readHeader(bytes.NewReader(b)); err != nil {
		return nil, nil, nil, err
	}
	if hd.Unpacked > lim.Payload {
		return nil, nil, nil, limitErr("Payload", "payload of %d bytes unpacked is over the limit of %d", hd.Unpacked, lim.Payload)
	}
	rest := b[headerSize:]
	if uint64(len(rest)) < uint64(hd.MetaLen) {
		return nil, nil, nil, formatErr(ErrTruncated, fmt.Sprintf("header says %d metadata bytes, found %d", hd.MetaLen, len(rest)))
	}
	mb, rest = rest[:hd.MetaLen], rest[hd.MetaLen:]
	if uint64(len(rest)) < hd.Stored {
		return nil, nil, nil, formatErr(ErrTruncated, fmt.Sprintf("header says %d payload bytes, found %d", hd.Stored, len(rest)))
	}
	return hd, mb, rest[:hd.Stored], nil
}

// finish checks and decodes the metadata and stored payload of an image
// whose header is hd, and unpacks the payload.
func finish(hd *Header, mb, stored []byte) (*Meta, []byte, error) {
	if got := crc32.Update(crc32.Checksum(mb, castagnoli), castagnoli, stored); got != hd.CRC {
		return nil, nil, formatErr(ErrCorrupt, "payload checksum mismatch")
	}
	var m Meta
	if err := metaDec.Unmarshal(mb, &m); err != nil {
		return nil, nil, formatErr(ErrCorrupt, fmt.Sprintf("metadata: %v", err))
	}
	m.Version = hd.Version()
	payload := stored
	if hd.Flags&flagZstd != 0 {
		var err error
		if payload, err = unpack(stored, hd.Unpacked); err != nil {
			return nil, nil, err
		}
	}
	if uint64(len(payload)) != hd.Unpacked {
		return nil, nil, formatErr(ErrCorrupt, fmt.Sprintf("payload is %d bytes, header says %d", len(payload), hd.Unpacked))
	}
	return &m, payload, nil
}

// readExactly reads n bytes, growing its buffer as data arrives so that a
// damaged length cannot make it allocate more than the file holds.
func readExactly(r io.Reader, n uint64) ([]byte, error) {
	var buf bytes.Buffer
	if n < 64<<20 {
		buf.Grow(int(n))
	}
	got, err := buf.ReadFrom(io.LimitReader(r, int64(n)))
	if err != nil {
		return nil, err
	}
	if uint64(got) != n {
		return nil, formatErr(ErrTruncated, fmt.Sprintf("header says %d payload bytes, found %d", n, got))
	}
	return buf.Bytes(), nil
}
