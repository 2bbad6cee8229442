package format

import (
	"encoding/binary"
	"errors"
)

// Uints is a column of unsigned integers: a CBOR array of them, as a
// []uint64 is. It decodes without reflection: the CBOR library's generic
// path (a reflect.Value per element) was about half of decoding a payload
// of many small objects, whose columns are most of its bytes. It encodes
// as the library encodes any []uint64, so the bytes are the same.
type Uints []uint64

var errNotUints = errors.New("cbor: a column is not an array of unsigned integers")

// UnmarshalCBOR decodes a CBOR array of unsigned integers (or null: no
// column). The payload was checked to be well-formed before (scanPayload
// and the library), but this checks every length again rather than trust it.
func (u *Uints) UnmarshalCBOR(d []byte) error {
	if len(d) == 1 && (d[0] == 0xf6 || d[0] == 0xf7) { // null, undefined
		*u = nil
		return nil
	}
	major, n, i, ok := head(d, 0)
	if !ok || major != 4 {
		return errNotUints
	}
	if n > uint64(len(d)-i) { // at least a byte per element
		return errNotUints
	}
	out := make([]uint64, n)
	for k := range out {
		var m byte
		if m, out[k], i, ok = head(d, i); !ok || m != 0 {
			return errNotUints
		}
	}
	if i != len(d) {
		return errNotUints
	}
	*u = out
	return nil
}

// head reads the head of the CBOR item at d[i:] of definite length: its
// major type, its argument, and where the item's content starts.
func head(d []byte, i int) (major byte, arg uint64, next int, ok bool) {
	if i >= len(d) {
		return 0, 0, 0, false
	}
	b := d[i]
	major, ai := b>>5, b&31
	i++
	switch {
	case ai < 24:
		return major, uint64(ai), i, true
	case ai == 24 && i+1 <= len(d):
		return major, uint64(d[i]), i + 1, true
	case ai == 25 && i+2 <= len(d):
		return major, uint64(binary.BigEndian.Uint16(d[i:])), i + 2, true
	case ai == 26 && i+4 <= len(d):
		return major, uint64(binary.BigEndian.Uint32(d[i:])), i + 4, true
	case ai == 27 && i+8 <= len(d):
		return major, binary.BigEndian.Uint64(d[i:]), i + 8, true
	}
	return 0, 0, 0, false
}
