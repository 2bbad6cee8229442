package format

import (
	"errors"
	"unicode/utf8"
	"unsafe"
)

// Texts is a list of strings: a CBOR array of text strings, as a []string
// is. It decodes without reflection: the CBOR library's generic path took
// a reflect.Value and several calls per string, and the strings section
// (every distinct string of a world once: lodash's 1,827, a data set's
// keys and values) was the payload's slowest section to decode after the
// objects' columns, most of it one allocation per string. The strings are
// copies of their bytes, in one block of memory for the whole list (so no
// string keeps the payload alive; the block lives as long as any of its
// strings does, which in a world is most of them, for its life), except
// strings of blockMax bytes or more, which are copied each into memory of
// its own: a large string the world lets go of (a cache dropped on resume)
// is freed, not kept by the keys beside it in the block. It encodes as the
// library encodes any []string, so the bytes are the same.
type Texts []string

// blockMax is the length from which a string of Texts is not copied into
// the block: one allocation is little beside copying as many bytes.
const blockMax = 128

var errNotTexts = errors.New("cbor: a list of strings is not an array of UTF-8 text strings")

// UnmarshalCBOR decodes a CBOR array of text strings (or null: none; a
// null item is "", as the library decodes it), in two passes over the
// bytes: the first checks every head and string and adds up their
// lengths, the second copies the strings into one block of memory. Like
// the library, it refuses a string that is not valid UTF-8.
func (t *Texts) UnmarshalCBOR(d []byte) error {
	if len(d) == 1 && (d[0] == 0xf6 || d[0] == 0xf7) { // null, undefined
		*t = nil
		return nil
	}
	major, n, start, ok := head(d, 0)
	if !ok || major != 4 || n > uint64(len(d)-start) { // at least a byte per string
		return errNotTexts
	}
	total, i := 0, start
	for k := uint64(0); k < n; k++ {
		if i < len(d) && (d[i] == 0xf6 || d[i] == 0xf7) {
			i++
			continue
		}
		var m byte
		var c uint64
		if m, c, i, ok = head(d, i); !ok || m != 3 || c > uint64(len(d)-i) || !utf8.Valid(d[i:i+int(c)]) {
			return errNotTexts
		}
		i += int(c)
		if c < blockMax {
			total += int(c)
		}
	}
	if i != len(d) {
		return errNotTexts
	}
	block := make([]byte, 0, total)
	out := make([]string, n)
	i = start
	for k := range out {
		if d[i] == 0xf6 || d[i] == 0xf7 {
			i++
			continue
		}
		_, c, j, _ := head(d, i)
		if c == 0 { // "", pointing nowhere (not past the block's end)
			i = j
			continue
		}
		i = j + int(c)
		if c >= blockMax {
			out[k] = string(d[j:i])
			continue
		}
		at := len(block)
		block = append(block, d[j:i]...)
		out[k] = unsafe.String(unsafe.SliceData(block[at:]), int(c))
	}
	*t = out
	return nil
}
