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
	switch {
	case ct.direct:
	case t.Size() == 0:
		// Where Go points interfaces holding a zero-size value.
		ct.zero = reflect.New(t).UnsafePointer()
	default:
		ct.slab = b.slabFor(t)
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
		if q == nil {
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
