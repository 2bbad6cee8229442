package format

// Limits bound what a reader accepts from an image, so that a small crafted
// file cannot make the loading process allocate without end. Every limit is
// checked before memory is allocated for what it bounds. A zero field means
// its default; the defaults admit a world of a few GB (goja keeps an object
// in a few hundred bytes, so 16 Mi objects are about 3-5 GB of heap).
type Limits struct {
	// Payload is the most bytes the payload may hold once unpacked
	// (default 512 MiB). A larger payload is refused from the header alone.
	Payload uint64
	// Objects is the most objects an image may hold, and separately the
	// most records of each other kind: scopes, shapes, strings, scripts,
	// symbols, numbers, buffers (default 16 Mi).
	Objects int
	// StringBytes is the most bytes all strings and script sources may hold
	// together (default 512 MiB; a string with lone surrogates counts two
	// bytes a code unit).
	StringBytes uint64
	// BufferBytes is the most bytes all ArrayBuffers may hold together
	// (default 512 MiB).
	BufferBytes uint64
}

// The default limits (see Limits).
const (
	DefaultPayload     = 512 << 20
	DefaultObjects     = 16 << 20
	DefaultStringBytes = 512 << 20
	DefaultBufferBytes = 512 << 20
)

// decodeFactor bounds the memory that decoding the payload's CBOR into Go
// values may take, as a multiple of the payload's size: a column of small
// integers takes one byte each in CBOR and eight in Go, a record a few more.
// A payload that would decode into more (say, millions of empty records) is
// refused by the scan before decoding.
const decodeFactor = 16

// WithDefaults returns l with every zero field set to its default.
func (l Limits) WithDefaults() Limits {
	if l.Payload == 0 {
		l.Payload = DefaultPayload
	}
	if l.Objects <= 0 {
		l.Objects = DefaultObjects
	}
	if l.StringBytes == 0 {
		l.StringBytes = DefaultStringBytes
	}
	if l.BufferBytes == 0 {
		l.BufferBytes = DefaultBufferBytes
	}
	return l
}
