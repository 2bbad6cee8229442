package heap

import (
	"math/big"
	"reflect"
	"unsafe"
)

// Codecs for the Go values that make up a compiled program, built once per
// type by reflection from codeTypes' registry and then run over raw
// memory: a codec reads or writes a value of its type at an address.
// progcode.go says what the bytes look like.

// codeType is one concrete type an interface of a program may hold.
type codeType struct {
	t     reflect.Type
	name  string
	ins   bool   // an instruction type
	codec *codec // nil: values of this type cannot be stored
	// shared marks pointer instructions, which may stand at several
	// places of a program (their identity is kept within a script).
	shared bool
	// direct tells whether Go keeps a value of this type in an
	// interface's data word itself (pointers), rather than a pointer to it.
	direct bool
	// words[i] is the first word of an interface of slot type i (the
	// registry's slots) holding a value of this type (an itab, or the type
	// for interface{}); nil where it may not stand. Set when the type is
	// registered, for the slots known then, and when a slot is added, for
	// the types registered before: a decoder reads only the slots of its
	// own types' codecs, all known once it has looked its types up.
	words [maxSlots]unsafe.Pointer
	// id numbers the type in the registry; slab is the decoders' slab of
	// values of the type (see progDecoder.alloc).
	id, slab int
	// zero is where an interface holding a value of this zero-size type
	// points (nil for other types).
	zero unsafe.Pointer
	// small is set for integer types (signed or not) that are not direct:
	// a decoded value from -256 to 255 points into smallInts instead of
	// memory of its own, as Go's own conversions to an interface do for
	// values under 256 (a stack slot, a jump, a scope index: most of a
	// program's integer instructions). It is smallString for string
	// types: a string of the tree's table is boxed once per tree
	// (progTree.boxes), however many instructions hold it (getProp of
	// "length").
	small smallKind
	size  uintptr
}

// smallKind tells how an integer type's values are read (smallSigned,
// smallUnsigned) to find them in smallInts, or that a string type's are
// shared (smallString).
type smallKind uint8

const (
	smallNone smallKind = iota
	smallSigned
	smallUnsigned
	smallString
)

// smallInts holds the integers from -256 to 255; an integer of 1, 2, 4
// or 8 bytes of one of them is the first (little-endian) or last
// (big-endian) bytes of its element. It is written out so that the
// compiler lays it down as data: no package initialisation, and no page of
// it touched by a process that decodes no code. Its elements are only ever
// read (instructions are never written after decoding).
var smallInts = [512]int64{
	-256, -255, -254, -253, -252, -251, -250, -249, -248, -247, -246, -245, -244, -243, -242, -241,
	-240, -239, -238, -237, -236, -235, -234, -233, -232, -231, -230, -229, -228, -227, -226, -225,
	-224, -223, -222, -221, -220, -219, -218, -217, -216, -215, -214, -213, -212, -211, -210, -209,
	-208, -207, -206, -205, -204, -203, -202, -201, -200, -199, -198, -197, -196, -195, -194, -193,
	-192, -191, -190, -189, -188, -187, -186, -185, -184, -183, -182, -181, -180, -179, -178, -177,
	-176, -175, -174, -173, -172, -171, -170, -169, -168, -167, -166, -165, -164, -163, -162, -161,
	-160, -159, -158, -157, -156, -155, -154, -153, -152, -151, -150, -149, -148, -147, -146, -145,
	-144, -143, -142, -141, -140, -139, -138, -137, -136, -135, -134, -133, -132, -131, -130, -129,
	-128, -127, -126, -125, -124, -123, -122, -121, -120, -119, -118, -117, -116, -115, -114, -113,
	-112, -111, -110, -109, -108, -107, -106, -105, -104, -103, -102, -101, -100, -99, -98, -97,
	-96, -95, -94, -93, -92, -91, -90, -89, -88, -87, -86, -85, -84, -83, -82, -81,
	-80, -79, -78, -77, -76, -75, -74, -73, -72, -71, -70, -69, -68, -67, -66, -65,
	-64, -63, -62, -61, -60, -59, -58, -57, -56, -55, -54, -53, -52, -51, -50, -49,
	-48, -47, -46, -45, -44, -43, -42, -41, -40, -39, -38, -37, -36, -35, -34, -33,
	-32, -31, -30, -29, -28, -27, -26, -25, -24, -23, -22, -21, -20, -19, -18, -17,
	-16, -15, -14, -13, -12, -11, -10, -9, -8, -7, -6, -5, -4, -3, -2, -1,
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
	16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
	32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47,
	48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63,
	64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79,
	80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95,
	96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
	112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127,
	128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140, 141, 142, 143,
	144, 145, 146, 147, 148, 149, 150, 151, 152, 153, 154, 155, 156, 157, 158, 159,
	160, 161, 162, 163, 164, 165, 166, 167, 168, 169, 170, 171, 172, 173, 174, 175,
	176, 177, 178, 179, 180, 181, 182, 183, 184, 185, 186, 187, 188, 189, 190, 191,
	192, 193, 194, 195, 196, 197, 198, 199, 200, 201, 202, 203, 204, 205, 206, 207,
	208, 209, 210, 211, 212, 213, 214, 215, 216, 217, 218, 219, 220, 221, 222, 223,
	224, 225, 226, 227, 228, 229, 230, 231, 232, 233, 234, 235, 236, 237, 238, 239,
	240, 241, 242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252, 253, 254, 255,
}

// smallEnd is the offset of an integer's bytes in its smallInts element:
// 8 on a big-endian machine (less the integer's size), 0 on others.
var smallEnd = func() uintptr {
	if one := uint16(1); *(*byte)(unsafe.Pointer(&one)) == 0 {
		return 8
	}
	return 0
}()

// smallInt returns where in smallInts the integer of ct at p is, or nil
// when it is not there.
func smallInt(ct *codeType, p unsafe.Pointer) unsafe.Pointer {
	var i int64
	if ct.small == smallSigned {
		i = loadInt(p, ct.size)
	} else if u := loadUint(p, ct.size); u < 256 {
		i = int64(u)
	} else {
		return nil
	}
	if i < -256 || i >= 256 {
		return nil
	}
	off := uintptr(0)
	if smallEnd != 0 {
		off = smallEnd - ct.size
	}
	return unsafe.Add(unsafe.Pointer(&smallInts[i+256]), off)
}

// slabType is a type that decoders allocate values of by the chunk.
type slabType struct {
	slice reflect.Type // []T
	size  uintptr
	// most is the most values of a chunk (see progDecoder.alloc).
	most int
}

// maxSlots bounds the interface types that a program's values are read
// through (goja's code has four: instructions, values, strings and
// interface{}).
const maxSlots = 8

// ifaceSlot is an interface type that codecs read values of.
type ifaceSlot struct {
	t       reflect.Type
	allowed func(*codeType) bool
}

// codec reads (dec) and writes (enc) a value of one type at p.
type codec struct {
	enc func(e *progEncoder, p unsafe.Pointer)
	dec func(d *progDecoder, p unsafe.Pointer)
	// zero tells that the type has no bytes in a stream (struct{}).
	zero bool
}

// maxOperand bounds the integer operands of instructions that are not
// jumps or packed scope slots: counts and sizes that goja allocates by
// (a new array's capacity, a function's stack size).
const maxOperand = 1 << 20

// jumpTypes are the instructions that are a relative jump.
var jumpTypes = map[string]bool{
	"enumNext": true, "iterNext": true, "jcoalesc": true, "jcoalescP": true, "jdef": true, "jdefP": true,
	"jeq": true, "jeqP": true, "jne": true, "jneP": true, "jopt": true, "joptc": true, "joptdel": true,
	"joptdelP": true, "joptdelc": true, "joptdelcP": true, "jump": true,
}

var packedTypes = map[string]bool{
	"loadStash": true, "loadStashLex": true, "storeStash": true, "storeStashP": true,
	"storeStashLex": true, "storeStashLexP": true, "initStash": true, "initStashP": true,
	"loadThisStash": true, "resolveThisStash": true,
}

// packedTypes are the instructions, and packedFields the fields, that hold
// a scope slot as level<<24 | index: any value is an address, and goja
// checks neither (a wrong one panics, which the VM turns into an error).
var packedFields = map[string]bool{
	"loadMixed.idx": true, "loadMixedLex.idx": true, "loadMixedCallee.idx": true, "resolveMixed.idx": true,
}

// intCheck is what a decoded integer must satisfy.
type intCheck uint8

const (
	checkBound intCheck = iota // |v| <= maxOperand
	checkNone                  // any value
	checkJump                  // pc+v within the program (0 allowed: no target)
)

// codecBuilder makes the registry's codecs; it is used with the
// registry's mu held.
type codecBuilder struct {
	r     *codeRegistry
	built map[builtKey]*codec
	slabs map[reflect.Type]int
}

// slabFor returns the slab id of values of type t.
func (b *codecBuilder) slabFor(t reflect.Type) int {
	id, ok := b.slabs[t]
	if !ok {
		id = len(b.r.slabTypes)
		b.slabs[t] = id
		b.r.slabTypes = append(b.r.slabTypes, slabType{reflect.SliceOf(t), t.Size(), max(slabBytes/int(max(t.Size(), 1)), 8)})
	}
	return id
}

type builtKey struct {
	t     reflect.Type
	check intCheck
}

// register adds t to the registry, as an instruction type when ins, and
// returns its entry.
func (b *codecBuilder) register(t reflect.Type, ins bool) *codeType {
	ct := &codeType{t: t, name: t.String(), ins: ins, id: b.r.ids}
	b.r.ids++
	check := checkBound
	name := t.Name()
	if t.Kind() == reflect.Ptr {
		name = t.Elem().Name()
	}
	switch {
	case !ins:
		check = checkNone
	case jumpTypes[name]:
		check = checkJump
	case packedTypes[name]:
		check = checkNone
	}
	if c, ok := b.codecFor(t, check, name); ok {
		ct.codec = c
	}
	ct.direct = isDirect(t)
	ct.shared = ins && t.Kind() == reflect.Ptr && t != b.r.yieldType
	ct.size = t.Size()
	switch {
	case ct.direct:
	case t.Size() == 0:
		// Where Go points interfaces holding a zero-size value.
		ct.zero = reflect.New(t).UnsafePointer()
	default:
		ct.slab = b.slabFor(t)
		switch t.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			ct.small = smallSigned
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			ct.small = smallUnsigned
		case reflect.String:
			ct.small = smallString
		}
	}
	for i, s := range b.r.slots {
		if s.allowed(ct) {
			ct.words[i] = ifaceWord(s.t, t)
		}
	}
	b.r.byType[t] = ct
	b.r.byName[ct.name] = ct
	return ct
}

// isDirect tells whether an interface holds a value of t in its data word:
// then an interface holding t's zero value has a nil data word.
func isDirect(t reflect.Type) bool {
	var x any
	reflect.ValueOf(&x).Elem().Set(reflect.New(t).Elem())
	return (*[2]unsafe.Pointer)(unsafe.Pointer(&x))[1] == nil
}

// ifaceWord returns the first word of an interface of type iface holding a
// value of type t.
func ifaceWord(iface, t reflect.Type) unsafe.Pointer {
	v := reflect.New(iface)
	v.Elem().Set(reflect.New(t).Elem())
	return (*[2]unsafe.Pointer)(v.UnsafePointer())[0]
}

// codecFor builds the codec of t; ok is false when t holds something a
// program should not (a function, a channel, a runtime's object).
func (b *codecBuilder) codecFor(t reflect.Type, check intCheck, where string) (*codec, bool) {
	k := builtKey{t, check}
	if c, ok := b.built[k]; ok {
		return c, c != nil
	}
	r := b.r
	c := &codec{}
	b.built[k] = c // for recursive types; replaced by nil on failure
	ok := true
	switch {
	case t == r.programType:
		c.enc, c.dec = encProgramPtr, decProgramPtr
	case t == r.fileType:
		c.enc, c.dec = encFile, decFile
	case t == r.regexpType:
		c.enc, c.dec = encRegexp, decRegexp
	case t == r.bigIntType:
		c.enc, c.dec = encBigInt, decBigInt
	case t == r.yieldType:
		c.enc, c.dec = encYield, decYield
	case t == r.privTypeType && r.privTypeType != nil, t == r.objectType:
		c.enc, c.dec = encNilOnly, decNilOnly
	default:
		ok = b.generic(c, t, check, where)
	}
	if !ok {
		b.built[k] = nil
		return nil, false
	}
	return c, true
}

func (b *codecBuilder) generic(c *codec, t reflect.Type, check intCheck, where string) bool {
	switch t.Kind() {
	case reflect.Bool:
		c.enc = func(e *progEncoder, p unsafe.Pointer) { e.byte(boolByte(*(*bool)(p))) }
		c.dec = func(d *progDecoder, p unsafe.Pointer) {
			v := d.uvarint()
			if v > 1 {
				d.failf("a boolean of %d", v)
			}
			*(*bool)(p) = v == 1
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		size := t.Size()
		c.enc = func(e *progEncoder, p unsafe.Pointer) {
			v := loadInt(p, size)
			e.checkInt(v, check, where)
			e.varint(v)
		}
		c.dec = func(d *progDecoder, p unsafe.Pointer) {
			v := d.varint()
			if storeInt(p, size, v) != v {
				d.failf("%s: %d out of range", where, v)
			}
			d.checkInt(v, check, where)
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		size := t.Size()
		c.enc = func(e *progEncoder, p unsafe.Pointer) {
			v := loadUint(p, size)
			if v > 1<<62 {
				e.failf("%s: %d too large", where, v)
			}
			e.checkInt(int64(v), check, where)
			e.uvarint(v)
		}
		c.dec = func(d *progDecoder, p unsafe.Pointer) {
			v := d.uvarint()
			if storeUint(p, size, v) != v || v > 1<<62 {
				d.failf("%s: %d out of range", where, v)
			}
			d.checkInt(int64(v), check, where)
		}
	case reflect.Float32, reflect.Float64:
		if t.Size() != 8 {
			return false
		}
		c.enc = func(e *progEncoder, p unsafe.Pointer) { e.uvarint(*(*uint64)(p)) }
		c.dec = func(d *progDecoder, p unsafe.Pointer) { *(*uint64)(p) = d.uvarint() }
	case reflect.String:
		c.enc = func(e *progEncoder, p unsafe.Pointer) { e.string(*(*string)(p)) }
		c.dec = func(d *progDecoder, p unsafe.Pointer) { *(*string)(p) = d.string() }
	case reflect.Slice:
		elem, ok := b.codecFor(t.Elem(), check, where)
		if !ok {
			return false
		}
		st, esize := t, t.Elem().Size()
		c.enc = func(e *progEncoder, p unsafe.Pointer) {
			h := (*sliceHeader)(p)
			if h.data == nil {
				e.uvarint(0)
				return
			}
			e.uvarint(uint64(h.len) + 1)
			for i := 0; i < h.len; i++ {
				elem.enc(e, unsafe.Add(h.data, uintptr(i)*esize))
			}
		}
		slab := -1
		if esize > 0 {
			slab = b.slabFor(t.Elem())
		}
		c.dec = func(d *progDecoder, p unsafe.Pointer) {
			n := d.count(elem.zero)
			if n < 0 {
				return
			}
			var data unsafe.Pointer
			if slab < 0 || n == 0 {
				data = reflect.MakeSlice(st, n, n).UnsafePointer()
			} else {
				data = d.alloc(slab, n)
			}
			for i := 0; i < n; i++ {
				elem.dec(d, unsafe.Add(data, uintptr(i)*esize))
			}
			*(*sliceHeader)(p) = sliceHeader{data, n, n}
		}
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return false
		}
		key, ok1 := b.codecFor(t.Key(), checkNone, where)
		val, ok2 := b.codecFor(t.Elem(), checkNone, where)
		if !ok1 || !ok2 {
			return false
		}
		mt := t
		c.enc = func(e *progEncoder, p unsafe.Pointer) {
			m := reflect.NewAt(mt, p).Elem()
			if m.IsNil() {
				e.uvarint(0)
				return
			}
			keys := m.MapKeys()
			sortStrings(keys)
			e.uvarint(uint64(len(keys)) + 1)
			for _, k := range keys {
				kc := reflect.New(mt.Key()).Elem()
				kc.Set(k)
				vc := reflect.New(mt.Elem()).Elem()
				vc.Set(m.MapIndex(k))
				key.enc(e, kc.Addr().UnsafePointer())
				val.enc(e, vc.Addr().UnsafePointer())
			}
		}
		c.dec = func(d *progDecoder, p unsafe.Pointer) {
			n := d.count(false)
			if n < 0 {
				return
			}
			m := reflect.MakeMapWithSize(mt, n)
			for i := 0; i < n; i++ {
				kc := reflect.New(mt.Key())
				vc := reflect.New(mt.Elem())
				key.dec(d, kc.UnsafePointer())
				val.dec(d, vc.UnsafePointer())
				if m.MapIndex(kc.Elem()).IsValid() {
					d.failf("%s: a key twice in a map", where)
				}
				m.SetMapIndex(kc.Elem(), vc.Elem())
			}
			reflect.NewAt(mt, p).Elem().Set(m)
		}
	case reflect.Struct:
		type fieldCodec struct {
			off uintptr
			c   *codec
		}
		var fields []fieldCodec
		zero := true
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			fcheck := check
			w := t.Name() + "." + f.Name
			switch {
			case f.Name == "catchOffset" || f.Name == "finallyOffset":
				fcheck = checkJump
			case packedFields[w]:
				fcheck = checkNone
			}
			fc, ok := b.codecFor(f.Type, fcheck, w)
			if !ok {
				return false
			}
			if !fc.zero {
				zero = false
			}
			fields = append(fields, fieldCodec{f.Offset, fc})
		}
		c.zero = zero
		c.enc = func(e *progEncoder, p unsafe.Pointer) {
			for _, f := range fields {
				f.c.enc(e, unsafe.Add(p, f.off))
			}
		}
		c.dec = func(d *progDecoder, p unsafe.Pointer) {
			for _, f := range fields {
				f.c.dec(d, unsafe.Add(p, f.off))
			}
		}
	case reflect.Ptr:
		elem, ok := b.codecFor(t.Elem(), check, where)
		if !ok {
			return false
		}
		et := t.Elem()
		slab := -1
		if et.Size() > 0 {
			slab = b.slabFor(et)
		}
		c.enc = func(e *progEncoder, p unsafe.Pointer) {
			q := *(*unsafe.Pointer)(p)
			if q == nil {
				e.uvarint(0)
				return
			}
			e.uvarint(1)
			elem.enc(e, q)
		}
		c.dec = func(d *progDecoder, p unsafe.Pointer) {
			switch d.uvarint() {
			case 0:
				*(*unsafe.Pointer)(p) = nil
			case 1:
				var q unsafe.Pointer
				if slab < 0 {
					q = reflect.New(et).UnsafePointer()
				} else {
					q = d.alloc(slab, 1)
				}
				elem.dec(d, q)
				*(*unsafe.Pointer)(p) = q
			default:
				d.failf("%s: a bad pointer", where)
			}
		}
	case reflect.Interface:
		return b.iface(c, t, where)
	default:
		return false
	}
	return true
}

// iface makes the codec of an interface slot of type t: a type number
// (0: nil), then the value. Only registered types that may stand there are
// accepted: instructions where an instruction goes, primitive constants
// where a Value does, goja's reference error in a throwConst. ok is false
// when the registry has no room for another slot type.
func (b *codecBuilder) iface(c *codec, t reflect.Type, where string) (ok bool) {
	slot := b.slot(t)
	if slot < 0 {
		return false
	}
	c.enc = func(e *progEncoder, p unsafe.Pointer) {
		words := (*[2]unsafe.Pointer)(p)
		if words[0] == nil {
			e.uvarint(0)
			return
		}
		dt := reflect.NewAt(t, p).Elem().Elem().Type()
		ct := e.codeType(dt)
		if ct == nil || ct.words[slot] == nil {
			e.failf("%s: a value of type %s", where, dt)
		}
		e.uvarint(uint64(e.typeIndex(ct)) + 1)
		if ct.shared {
			// The same instruction at several places of a program (a
			// block's exit on every break): written once, then referred to.
			key := sharedIns{ct, words[1]}
			if i, ok := e.seen[key]; ok {
				e.uvarint(uint64(i) + 1)
				return
			}
			if at, ok := e.owner[key]; ok && at != e.cur {
				e.failf("%s: an instruction shared by two functions", where)
			}
			e.owner[key] = e.cur
			e.uvarint(0)
			// Numbered once written, as the decoder numbers them.
			defer func() { e.seen[key] = len(e.seen) }()
		}
		if ct.direct {
			ct.codec.enc(e, unsafe.Pointer(&words[1]))
		} else {
			ct.codec.enc(e, words[1])
		}
	}
	c.dec = func(d *progDecoder, p unsafe.Pointer) {
		n := d.uvarint()
		words := (*[2]unsafe.Pointer)(p)
		if n == 0 {
			words[0], words[1] = nil, nil
			return
		}
		if n > uint64(len(d.types)) {
			d.failf("%s: type %d out of range", where, n-1)
		}
		ct := d.types[n-1]
		itab := ct.words[slot]
		if itab == nil {
			d.failf("%s: a value of type %s", where, ct.name)
		}
		if ct.shared {
			if i := d.uvarint(); i > 0 {
				if i > uint64(len(d.shared)) || d.shared[i-1].ct != ct {
					d.failf("%s: a bad reference to an instruction %d of %d (%s)", where, i, len(d.shared), ct.name)
				}
				words[0], words[1] = itab, d.shared[i-1].p
				return
			}
		}
		if ct.direct {
			// Into the data word itself (a local would escape: one
			// allocation per pointer instruction).
			ct.codec.dec(d, unsafe.Pointer(&words[1]))
			words[0] = itab
			if ct.shared {
				d.shared = append(d.shared, sharedIns{ct, words[1]})
			}
			return
		}
		q := ct.zero
		switch {
		case q != nil:
		case ct.small == smallString:
			words[0], words[1] = itab, d.boxString(ct)
			return
		case ct.small != smallNone:
			// Read into the decoder's word first: most are small.
			d.word = 0
			ct.codec.dec(d, unsafe.Pointer(&d.word))
			if q = smallInt(ct, unsafe.Pointer(&d.word)); q == nil {
				q = d.alloc(ct.slab, 1)
				copy(unsafe.Slice((*byte)(q), ct.size), unsafe.Slice((*byte)(unsafe.Pointer(&d.word)), ct.size))
			}
			words[0], words[1] = itab, q
			return
		default:
			q = d.alloc(ct.slab, 1)
		}
		ct.codec.dec(d, q)
		words[0], words[1] = itab, q
	}
	return true
}

// slot returns the index of interface type t among the registry's slots,
// adding it (and the words of the types registered before) when new; -1
// when there are maxSlots already.
func (b *codecBuilder) slot(t reflect.Type) int {
	r := b.r
	for i, s := range r.slots {
		if s.t == t {
			return i
		}
	}
	if len(r.slots) == maxSlots {
		return -1
	}
	s := ifaceSlot{t, b.allowedIn(t)}
	i := len(r.slots)
	r.slots = append(r.slots, s)
	for _, ct := range r.byType {
		if s.allowed(ct) {
			ct.words[i] = ifaceWord(t, ct.t)
		}
	}
	return i
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}

func loadInt(p unsafe.Pointer, size uintptr) int64 {
	switch size {
	case 1:
		return int64(*(*int8)(p))
	case 2:
		return int64(*(*int16)(p))
	case 4:
		return int64(*(*int32)(p))
	}
	return *(*int64)(p)
}

// storeInt stores v in size bytes and returns what was stored.
func storeInt(p unsafe.Pointer, size uintptr, v int64) int64 {
	switch size {
	case 1:
		*(*int8)(p) = int8(v)
	case 2:
		*(*int16)(p) = int16(v)
	case 4:
		*(*int32)(p) = int32(v)
	default:
		*(*int64)(p) = v
	}
	return loadInt(p, size)
}

func loadUint(p unsafe.Pointer, size uintptr) uint64 {
	switch size {
	case 1:
		return uint64(*(*uint8)(p))
	case 2:
		return uint64(*(*uint16)(p))
	case 4:
		return uint64(*(*uint32)(p))
	}
	return *(*uint64)(p)
}

func storeUint(p unsafe.Pointer, size uintptr, v uint64) uint64 {
	switch size {
	case 1:
		*(*uint8)(p) = uint8(v)
	case 2:
		*(*uint16)(p) = uint16(v)
	case 4:
		*(*uint32)(p) = uint32(v)
	default:
		*(*uint64)(p) = v
	}
	return loadUint(p, size)
}

func sortStrings(keys []reflect.Value) {
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j].String() < keys[j-1].String(); j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
}

// BigInt constants: sign, then the magnitude's big-endian bytes.
func encBigInt(e *progEncoder, p unsafe.Pointer) {
	q := *(*unsafe.Pointer)(p)
	if q == nil {
		e.uvarint(0)
		return
	}
	x := (*big.Int)(q)
	e.uvarint(uint64(x.Sign() + 2))
	e.bytes(x.Bytes())
}

func decBigInt(d *progDecoder, p unsafe.Pointer) {
	s := d.uvarint()
	if s == 0 {
		*(*unsafe.Pointer)(p) = nil
		return
	}
	if s > 3 {
		d.failf("a BigInt of sign %d", int(s)-2)
	}
	x := new(big.Int).SetBytes(d.bytes())
	if s == 1 {
		x.Neg(x)
	} else if (s == 2) != (x.Sign() == 0) {
		d.failf("a BigInt whose sign does not match its magnitude")
	}
	*(*unsafe.Pointer)(p) = unsafe.Pointer(x)
}

// Yield markers: goja compares them by address.
func encYield(e *progEncoder, p unsafe.Pointer) {
	q := *(*unsafe.Pointer)(p)
	for i, y := range e.r.yields {
		if y == q {
			e.uvarint(uint64(i))
			return
		}
	}
	e.failf("a yield marker that is not one of goja's")
}

func decYield(d *progDecoder, p unsafe.Pointer) {
	i := d.uvarint()
	if i >= uint64(len(d.r.yields)) {
		d.failf("yield marker %d out of range", i)
	}
	*(*unsafe.Pointer)(p) = d.r.yields[i]
}

// A class's private environment type only appears in code compiled for a
// direct eval inside a class: such code is never stored.
func encNilOnly(e *progEncoder, p unsafe.Pointer) {
	if *(*unsafe.Pointer)(p) != nil {
		e.failf("code bound to a class's private names (direct eval)")
	}
	e.uvarint(0)
}

func decNilOnly(d *progDecoder, p unsafe.Pointer) {
	if d.uvarint() != 0 {
		d.failf("code bound to a class's private names")
	}
	*(*unsafe.Pointer)(p) = nil
}

// allowedIn returns which registered types may stand in an interface slot
// of type t.
func (b *codecBuilder) allowedIn(t reflect.Type) func(*codeType) bool {
	r := b.r
	return func(ct *codeType) bool {
		if ct.codec == nil || !ct.t.Implements(t) {
			return false
		}
		if t == r.insIface {
			return ct.ins
		}
		return !ct.ins
	}
}
