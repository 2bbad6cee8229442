package format

import "fmt"

// A payload is measured before it is decoded: the CBOR library allocates a
// slice as long as an array's declared count, and while it makes sure that
// the bytes for every declared element are there, one byte of CBOR (an
// empty array) can still become 24 bytes of Go. scanPayload walks the
// encoded payload once, without allocating, and sums for each section what
// decoding it will cost, so that Decode can refuse a payload over its
// limits before the library allocates anything for it.

// numSections is the number of sections of a payload (fields of Payload).
const numSections = 20

// The sections by position, for the measures that name them.
const (
	secStrings = 0
	secLone    = 1
	secBuffers = 4
	secScripts = 5
	secObjects = 8
)

var sectionNames = [numSections]string{"strings", "lone", "floats", "bigints", "buffers", "scripts",
	"symbols", "shapes", "objects", "stashes", "roots", "plugins", "natives", "brands", "privenvs",
	"methodtables", "weak", "mapped", "templates", "code"}

// maxDepth is the deepest nesting of arrays and maps a payload has: the
// payload, a section, a record, a field of it.
const maxDepth = 6

// measure is what one section of a payload holds, as the scan saw it.
type measure struct {
	count uint64 // elements of the section's top-level array or map
	first uint64 // length of its first element, when that is a byte string
	alloc uint64 // bytes decoding it into Go will take, about (never less)
	text  uint64 // bytes of text strings in it
	bytes uint64 // bytes of byte strings in it
	ints  uint64 // integers in it
}

type scanner struct {
	d []byte
	i int
	m *measure
}

// layout is where the sections of a payload are: how many there are, the
// offset of the first, and the end of the last one this build knows; at
// holds the offset of each section this build knows, and after it the
// end of the last one.
type layout struct {
	n, body, cut int
	at           [numSections + 1]int
}

// scanPayload measures each section of an encoded payload of version v.
// Sections past the ones this build knows (of a newer minor version) must
// be empty.
func scanPayload(d []byte, v Version) ([numSections]measure, layout, error) {
	var ms [numSections]measure
	var lay layout
	s := &scanner{d: d}
	major, n, err := s.head()
	if err != nil {
		return ms, lay, err
	}
	lo, hi, _ := sectionsIn(v)
	if major != 4 || n < uint64(lo) || n > uint64(hi) {
		switch {
		case lo == hi:
			return ms, lay, fmt.Errorf("the payload is not an array of %d sections", lo)
		case hi > numSections:
			return ms, lay, fmt.Errorf("the payload is not an array of at least %d sections", lo)
		}
		return ms, lay, fmt.Errorf("the payload is not an array of %d to %d sections", lo, hi)
	}
	lay.n, lay.body = int(n), s.i
	var extra measure
	for k := 0; k < lay.n; k++ {
		name := fmt.Sprintf("section %d", k+1)
		s.m = &extra
		if k < numSections {
			s.m, name = &ms[k], sectionNames[k]
		}
		start := s.i
		if k < numSections {
			lay.at[k] = start
		}
		major, n, err := s.head()
		if err != nil {
			return ms, lay, fmt.Errorf("%s: %v", name, err)
		}
		if major != 4 && major != 5 && major != 7 { // 7: null, an empty section
			return ms, lay, fmt.Errorf("%s: not an array", name)
		}
		if major == 7 {
			n = 0
		}
		if k >= numSections && n > 0 {
			return ms, lay, fmt.Errorf("%s is not empty, and this build does not know it", name)
		}
		s.i = start
		s.m.count = n
		if err := s.item(1); err != nil {
			return ms, lay, fmt.Errorf("%s: %v", name, err)
		}
		if k == secObjects && n > 0 {
			// The first column of the objects section is the byte string
			// of kinds, one byte an object.
			t := &scanner{d: d[start:]}
			t.head()
			if major, n, err := t.head(); err == nil && major == 2 {
				s.m.first = n
			}
		}
		if k < numSections {
			lay.cut = s.i
			lay.at[k+1] = s.i
		}
	}
	if s.i != len(d) {
		return ms, lay, fmt.Errorf("%d bytes after the last section", len(d)-s.i)
	}
	return ms, lay, nil
}

// normalise returns the payload d (of layout lay) with exactly the
// sections this build knows: an older version's missing sections are
// added empty, a newer version's empty extra sections are dropped.
func normalise(d []byte, lay layout) []byte {
	out := make([]byte, 0, 9+lay.cut-lay.body+numSections)
	out = appendHead(out, 4, numSections)
	out = append(out, d[lay.body:lay.cut]...)
	for k := lay.n; k < numSections; k++ {
		out = append(out, 0xf6) // null: an empty section
	}
	return out
}

// appendHead appends a CBOR item head of the given major type and argument.
func appendHead(b []byte, major byte, n uint64) []byte {
	m := major << 5
	switch {
	case n < 24:
		return append(b, m|byte(n))
	case n <= 0xff:
		return append(b, m|24, byte(n))
	case n <= 0xffff:
		return append(b, m|25, byte(n>>8), byte(n))
	case n <= 0xffffffff:
		return append(b, m|26, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
	return append(b, m|27, byte(n>>56), byte(n>>48), byte(n>>40), byte(n>>32), byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
}

// head reads an item's initial byte and argument. Indefinite lengths are
// refused: the writer never uses them.
func (s *scanner) head() (major byte, arg uint64, err error) {
	if s.i >= len(s.d) {
		return 0, 0, fmt.Errorf("ends early")
	}
	b := s.d[s.i]
	s.i++
	major, ai := b>>5, b&31
	var size int
	switch {
	case ai < 24:
		return major, uint64(ai), nil
	case ai == 24:
		size = 1
	case ai == 25:
		size = 2
	case ai == 26:
		size = 4
	case ai == 27:
		size = 8
	default:
		return 0, 0, fmt.Errorf("malformed or indefinite-length item at byte %d", s.i-1)
	}
	if len(s.d)-s.i < size {
		return 0, 0, fmt.Errorf("ends early")
	}
	for _, c := range s.d[s.i : s.i+size] {
		arg = arg<<8 | uint64(c)
	}
	s.i += size
	return major, arg, nil
}

// item skips one data item, adding what it holds to s.m.
func (s *scanner) item(depth int) error {
	major, n, err := s.head()
	if err != nil {
		return err
	}
	rest := uint64(len(s.d) - s.i)
	switch major {
	case 0, 1:
		s.m.alloc += 8
		s.m.ints++
	case 2, 3:
		if n > rest {
			return fmt.Errorf("a string of %d bytes where %d remain", n, rest)
		}
		s.i += int(n)
		if major == 2 {
			s.m.bytes += n
			s.m.alloc += 24 + n
		} else {
			s.m.text += n
			s.m.alloc += 16 + n
		}
	case 4, 5:
		if depth >= maxDepth {
			return fmt.Errorf("nested deeper than %d", maxDepth)
		}
		items := n
		if major == 5 {
			if n > rest/2 {
				return fmt.Errorf("a map of %d entries where %d bytes remain", n, rest)
			}
			items = 2 * n
			s.m.alloc += 48 * n
		}
		if items > rest {
			return fmt.Errorf("an array of %d items where %d bytes remain", n, rest)
		}
		s.m.alloc += 24
		for ; items > 0; items-- {
			if err := s.item(depth + 1); err != nil {
				return err
			}
		}
	case 6:
		return s.item(depth)
	case 7:
		s.m.alloc += 8
		if n == 22 || n == 23 { // null, undefined: a nil slice or string in a record
			s.m.alloc += 16
		}
	}
	return nil
}

// checkMeasures refuses a payload whose sections hold more than lim allows,
// or would take more memory to decode than decodeFactor times its size.
func checkMeasures(ms *[numSections]measure, size int, lim Limits) error {
	var alloc uint64
	for k := range ms {
		if ms[k].count > uint64(lim.Objects) {
			return limitErr("Objects", "%d %s records are over the limit of %d", ms[k].count, sectionNames[k], lim.Objects)
		}
		alloc += ms[k].alloc
	}
	if n := ms[secObjects].first; n > uint64(lim.Objects) {
		return limitErr("Objects", "%d objects are over the limit of %d", n, lim.Objects)
	}
	if n := ms[secStrings].text + ms[secScripts].text + 2*ms[secLone].ints; n > lim.StringBytes {
		return limitErr("StringBytes", "strings of %d bytes are over the limit of %d", n, lim.StringBytes)
	}
	if n := ms[secBuffers].bytes; n > lim.BufferBytes {
		return limitErr("BufferBytes", "ArrayBuffers of %d bytes are over the limit of %d", n, lim.BufferBytes)
	}
	if budget := decodeFactor*uint64(size) + 1<<20; alloc > budget {
		return Corruptf("the payload of %d bytes would decode into %d bytes (records without content)", size, alloc)
	}
	return nil
}
