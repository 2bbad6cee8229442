package format

import (
	"bytes"
	"encoding/binary"
)

// Pieces holds the long columns of a payload's objects section as a writer
// builds them: each column as consecutive pieces, so that a writer never
// has to copy a column of millions of entries into one slice to encode it.
// The bytes written are the same as for the columns joined.
type Pieces struct {
	Kinds  [][]byte   // Objects.Kinds in pieces
	Flags  [][]byte   // Objects.Flags in pieces
	Proto  [][]uint64 // Objects.Proto in pieces
	Shape  [][]uint64 // Objects.Shape in pieces
	Slots  [][]uint64 // Objects.Slots in pieces
	Elems  [][]uint64 // Objects.Elems in pieces
	ArrLen [][]uint64 // Objects.ArrLen in pieces
}

// EncodePieces returns the bytes of p (as Encode does) with the columns of
// its objects section that cols holds taken from cols: p.Objects' own
// Kinds, Flags, Proto, Shape, Slots, Elems and ArrLen are ignored.
func EncodePieces(p *Payload, cols *Pieces) ([]byte, error) {
	var buf bytes.Buffer
	hint := p.sizeHint()
	for _, c := range [][][]uint64{cols.Proto, cols.Shape, cols.Slots, cols.Elems, cols.ArrLen} {
		hint += 3 * piecesLen(c)
	}
	buf.Grow(hint + 2*piecesLen(cols.Kinds))
	e := &pieceEncoder{buf: &buf}
	e.head(4, numSections)
	o := &p.Objects
	for k, field := range []any{&p.Strings, &p.Lone, &p.Floats, &p.BigInts, &p.Buffers, &p.Scripts,
		&p.Symbols, &p.Shapes, nil, &p.Stashes, &p.Roots, &p.Plugins, &p.Natives, &p.Brands,
		&p.PrivEnvs, &p.MethodArrays, &p.Weak, &p.Mapped, &p.Templates, &p.Code} {
		if k != secObjects {
			e.value(field)
			continue
		}
		e.head(4, 11)
		e.bytes(cols.Kinds)
		e.value(&o.Intrinsic)
		e.uints(cols.Proto)
		e.uints(cols.Shape)
		e.bytes(cols.Flags)
		e.uints(cols.Slots)
		e.value(&o.SymProps)
		e.uints(cols.Elems)
		e.uints(cols.ArrLen)
		e.value(&o.Extra)
		e.value(&o.Private)
	}
	if e.err != nil {
		return nil, e.err
	}
	return buf.Bytes(), nil
}

func piecesLen[T any](ps [][]T) int {
	n := 0
	for _, p := range ps {
		n += len(p)
	}
	return n
}

type pieceEncoder struct {
	buf *bytes.Buffer
	err error
	tmp [9]byte
}

// head writes a CBOR head: major type and argument, in the shortest form
// (as the core deterministic encoding requires).
func (e *pieceEncoder) head(major byte, n uint64) {
	t := &e.tmp
	m := major << 5
	switch {
	case n < 24:
		e.buf.WriteByte(m | byte(n))
	case n <= 0xff:
		t[0], t[1] = m|24, byte(n)
		e.buf.Write(t[:2])
	case n <= 0xffff:
		t[0] = m | 25
		binary.BigEndian.PutUint16(t[1:], uint16(n))
		e.buf.Write(t[:3])
	case n <= 0xffffffff:
		t[0] = m | 26
		binary.BigEndian.PutUint32(t[1:], uint32(n))
		e.buf.Write(t[:5])
	default:
		t[0] = m | 27
		binary.BigEndian.PutUint64(t[1:], n)
		e.buf.Write(t[:9])
	}
}

// nilContainer is CBOR null: what the library writes for a nil slice.
const nilContainer = 0xf6

func (e *pieceEncoder) uints(ps [][]uint64) {
	n := piecesLen(ps)
	if n == 0 && allNil(ps) {
		e.buf.WriteByte(nilContainer)
		return
	}
	e.head(4, uint64(n))
	for _, p := range ps {
		for _, v := range p {
			e.head(0, v)
		}
	}
}

func (e *pieceEncoder) bytes(ps [][]byte) {
	n := piecesLen(ps)
	if n == 0 && allNil(ps) {
		e.buf.WriteByte(nilContainer)
		return
	}
	e.head(2, uint64(n))
	for _, p := range ps {
		e.buf.Write(p)
	}
}

// allNil tells whether a column of no entries is nil (no piece, or only
// nil pieces) rather than empty, as the library tells a nil slice from an
// empty one.
func allNil[T any](ps [][]T) bool {
	for _, p := range ps {
		if p != nil {
			return false
		}
	}
	return true
}

// value writes one section (or column) with the library, as Encode does.
func (e *pieceEncoder) value(v any) {
	if e.err == nil {
		e.err = encMode.MarshalToBuffer(v, e.buf)
	}
}
