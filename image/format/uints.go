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

// Records is a list of records of unsigned integers: a CBOR array of
// arrays of them (or of nulls), as a [][]uint64 is. It decodes without
// reflection and into one backing array for all its records: a world's
// functions, promises and scopes have a record each (Objects.Extra,
// Stashes), and the library made a slice and a reflect.Value per element
// for each. A record is a slice of the backing array whose capacity ends
// where it does. It encodes as the library encodes any [][]uint64.
type Records [][]uint64

var errNotRecords = errors.New("cbor: a list of records is not an array of arrays of unsigned integers")

// UnmarshalCBOR decodes a CBOR array of records (or null: none), in two
// passes over the bytes: the first checks every head and counts the
// integers, the second fills them in.
func (r *Records) UnmarshalCBOR(d []byte) error {
	if len(d) == 1 && (d[0] == 0xf6 || d[0] == 0xf7) { // null, undefined
		*r = nil
		return nil
	}
	major, n, start, ok := head(d, 0)
	if !ok || major != 4 || n > uint64(len(d)-start) { // at least a byte per record
		return errNotRecords
	}
	total, i := uint64(0), start
	for k := uint64(0); k < n; k++ {
		if i < len(d) && (d[i] == 0xf6 || d[i] == 0xf7) {
			i++
			continue
		}
		var m byte
		var c uint64
		if m, c, i, ok = head(d, i); !ok || m != 4 || c > uint64(len(d)-i) {
			return errNotRecords
		}
		for e := uint64(0); e < c; e++ {
			if m, _, i, ok = head(d, i); !ok || m != 0 {
				return errNotRecords
			}
		}
		total += c
	}
	if i != len(d) {
		return errNotRecords
	}
	back := make([]uint64, total)
	out := make([][]uint64, n)
	i, at := start, uint64(0)
	for k := range out {
		if d[i] == 0xf6 || d[i] == 0xf7 {
			i++
			continue
		}
		_, c, j, _ := head(d, i)
		i = j
		rec := back[at : at+c : at+c]
		for e := range rec {
			_, rec[e], i, _ = head(d, i)
		}
		out[k] = rec
		at += c
	}
	*r = out
	return nil
}
