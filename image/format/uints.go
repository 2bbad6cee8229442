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
	out, i, ok := uintsAt(d, 0)
	if !ok || i != len(d) {
		return errNotUints
	}
	*u = out
	return nil
}

// uintsAt decodes the array of unsigned integers (or null) at d[i:] and
// returns it with where it ends.
func uintsAt(d []byte, i int) ([]uint64, int, bool) {
	if i < len(d) && (d[i] == 0xf6 || d[i] == 0xf7) { // null, undefined
		return nil, i + 1, true
	}
	major, n, i, ok := head(d, i)
	if !ok || major != 4 || n > uint64(len(d)-i) { // at least a byte per element
		return nil, 0, false
	}
	out := make([]uint64, n)
	for k := range out {
		var m byte
		if m, out[k], i, ok = head(d, i); !ok || m != 0 {
			return nil, 0, false
		}
	}
	return out, i, true
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
	out, i, ok := recordsAt(d, 0)
	if !ok || i != len(d) {
		return errNotRecords
	}
	*r = out
	return nil
}

// recordsAt decodes the array of records (or null) at d[i:] and returns it
// with where it ends.
func recordsAt(d []byte, i int) ([][]uint64, int, bool) {
	if i < len(d) && (d[i] == 0xf6 || d[i] == 0xf7) { // null, undefined
		return nil, i + 1, true
	}
	major, n, start, ok := head(d, i)
	if !ok || major != 4 || n > uint64(len(d)-start) { // at least a byte per record
		return nil, 0, false
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
			return nil, 0, false
		}
		for e := uint64(0); e < c; e++ {
			if m, _, i, ok = head(d, i); !ok || m != 0 {
				return nil, 0, false
			}
		}
		total += c
	}
	end := i
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
	return out, end, true
}

// objectsPlain is Objects without its decoding method: the library's.
type objectsPlain Objects

// UnmarshalCBOR decodes the objects' columns without the library when
// they are in the shape the writer gives them (an array of 11: Kinds and
// Flags byte strings, the others arrays of unsigned integers or records,
// any of them null): through the library, the section's bytes were walked
// twice before each column's own decoder walked them (to check the item
// is well-formed, then to skip over each column to find its end). Any
// other shape is decoded by the library, which refuses what it cannot
// read.
func (o *Objects) UnmarshalCBOR(d []byte) error {
	if x, ok := objectsAt(d); ok {
		*o = x
		return nil
	}
	return decMode.Unmarshal(d, (*objectsPlain)(o))
}

func objectsAt(d []byte) (o Objects, ok bool) {
	major, n, i, ok := head(d, 0)
	if !ok || major != 4 || n != 11 {
		return o, false
	}
	uints := []*Uints{&o.Intrinsic, &o.Proto, &o.Shape, nil, &o.Slots, &o.SymProps, &o.Elems, &o.ArrLen, nil, &o.Private}
	if o.Kinds, i, ok = bytesAt(d, i); !ok {
		return o, false
	}
	for k, u := range uints {
		switch k {
		case 3:
			o.Flags, i, ok = bytesAt(d, i)
		case 8:
			var r [][]uint64
			r, i, ok = recordsAt(d, i)
			o.Extra = r
		default:
			var c []uint64
			c, i, ok = uintsAt(d, i)
			*u = c
		}
		if !ok {
			return o, false
		}
	}
	return o, i == len(d)
}

// bytesAt decodes the byte string (or null) at d[i:] into a copy, as the
// library does, and returns it with where it ends.
func bytesAt(d []byte, i int) ([]byte, int, bool) {
	if i < len(d) && (d[i] == 0xf6 || d[i] == 0xf7) {
		return nil, i + 1, true
	}
	major, n, i, ok := head(d, i)
	if !ok || major != 2 || n > uint64(len(d)-i) {
		return nil, 0, false
	}
	return append([]byte{}, d[i:i+int(n)]...), i + int(n), true
}
