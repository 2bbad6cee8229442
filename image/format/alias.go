package format

import (
	"unicode/utf8"
	"unsafe"
)

// The two largest parts of a payload with code are its scripts' sources
// and their compiled programs (TypeScript 5: 9 MB and 5 MB of a 14 MB
// payload). The CBOR library copies every string and byte string it
// decodes; a world keeps both for as long as it lives (a function's text
// is a slice of its source; a script's stored code is saved again as it
// was loaded), so the copies only cost a load time, and fresh memory the
// process must fault in. A record of the scripts or the code section in
// the shape the writer gives it is therefore decoded here, its source and
// programs left in the payload's bytes (which is why the bytes given to
// Decode must not change afterwards); any other shape is decoded by the
// library as before, which refuses what it cannot read.

// scriptPlain is a Script without its decoding method: the library's.
type scriptPlain Script

// codePlain is a CodeSection without its decoding method: the library's.
type codePlain CodeSection

// UnmarshalCBOR decodes a script record, its source left in data.
func (s *Script) UnmarshalCBOR(data []byte) error {
	r := aliasReader{scanner{d: data}}
	if r.array(4) {
		name, ok1 := r.text()
		src, ok2 := r.text()
		strict, ok3 := r.boolean()
		digest, ok4 := r.bytesOrNull()
		if ok1 && ok2 && ok3 && ok4 && r.i == len(data) {
			*s = Script{Name: string(name), Source: unsafe.String(unsafe.SliceData(src), len(src)), Strict: strict}
			if digest != nil {
				s.Digest = append([]byte{}, digest...)
			}
			return nil
		}
	}
	return decMode.Unmarshal(data, (*scriptPlain)(s))
}

// UnmarshalCBOR decodes the code section, its programs left in data.
func (c *CodeSection) UnmarshalCBOR(data []byte) error {
	r := aliasReader{scanner{d: data}}
	if r.array(2) {
		key, ok := r.text()
		major, n, err := r.head()
		// Every program takes at least one byte: n is bounded by data.
		if ok && err == nil && major == 4 && n <= uint64(len(data)) {
			prgs := make([][]byte, n)
			for i := range prgs {
				b, ok := r.bytesOrNull()
				if !ok {
					prgs = nil
					break
				}
				prgs[i] = b
			}
			if prgs != nil && r.i == len(data) {
				*c = CodeSection{Key: string(key), Programs: prgs}
				return nil
			}
		}
	}
	return decMode.Unmarshal(data, (*codePlain)(c))
}

// aliasReader reads the few CBOR items of a script record or the code
// section; each method reports whether the item was of the kind asked
// for (anything else sends the record to the library).
type aliasReader struct{ scanner }

// array reads the head of an array of n items.
func (r *aliasReader) array(n uint64) bool {
	major, got, err := r.head()
	return err == nil && major == 4 && got == n
}

// str reads a string of major type major (2 bytes, 3 text) in place.
func (r *aliasReader) str(major byte) ([]byte, bool) {
	m, n, err := r.head()
	if err != nil || m != major || n > uint64(len(r.d)-r.i) {
		return nil, false
	}
	b := r.d[r.i : r.i+int(n) : r.i+int(n)]
	r.i += int(n)
	return b, true
}

// text reads a text string, which must be valid UTF-8 (as the library
// requires).
func (r *aliasReader) text() ([]byte, bool) {
	b, ok := r.str(3)
	return b, ok && utf8.Valid(b)
}

// bytesOrNull reads a byte string, or null as nil.
func (r *aliasReader) bytesOrNull() ([]byte, bool) {
	if r.i < len(r.d) && r.d[r.i] == 0xf6 {
		r.i++
		return nil, true
	}
	return r.str(2)
}

// boolean reads true or false.
func (r *aliasReader) boolean() (bool, bool) {
	if r.i >= len(r.d) || (r.d[r.i] != 0xf4 && r.d[r.i] != 0xf5) {
		return false, false
	}
	r.i++
	return r.d[r.i-1] == 0xf5, true
}
