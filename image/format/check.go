package format

import (
	"fmt"
	"strconv"
)

// check verifies the structure of a decoded payload, before a loader builds
// anything from it: that every column is exactly as long as its objects
// need, that every index in a typed position (a shape, a string, a brand,
// a buffer) is in range, that every value code in a known position refers
// to something that exists, and that no buffer is shared by two
// ArrayBuffers. What a record means for the engine (a frame's program
// counter, a scope's slots) is checked by the loader, which knows the
// programs; docs/FORMAT.md lists both.
func check(p *Payload, lim Limits) error { return runChecks(p, lim, (*checker).run) }

// checkCode checks the code section of p against its scripts (as check
// does), before the other sections are decoded.
func checkCode(p *Payload, lim Limits) error { return runChecks(p, lim, (*checker).code) }

// runChecks runs f, a check of p, and returns its failure as an error.
func runChecks(p *Payload, lim Limits, f func(*checker)) (err error) {
	defer func() {
		if r := recover(); r != nil {
			f, ok := r.(checkFailure)
			if !ok {
				panic(r)
			}
			err = Corruptf("%s", string(f))
		}
	}()
	f(&checker{p: p, lim: lim})
	return nil
}

type checkFailure string

// place names where in the payload a check is, made into text only when
// the check fails.
type place struct {
	name string
	n    int // -1: none
}

func (p place) String() string {
	if p.n < 0 {
		return p.name
	}
	return p.name + " " + strconv.Itoa(p.n)
}

type checker struct {
	p   *Payload
	lim Limits
}

func (c *checker) failf(format string, args ...any) {
	panic(checkFailure(fmt.Sprintf(format, args...)))
}

// column reads a column in order, failing when it ends early.
type column struct {
	c *checker
	// name and num say what the column is, for messages: "slots", or
	// "scope 3" (num is 4: the number plus one, 0 for none), made only
	// when a check fails.
	name string
	num  int
	s    []uint64
	i    int
}

// where names the column.
func (k *column) where() string {
	if k.num == 0 {
		return k.name
	}
	return k.name + " " + strconv.Itoa(k.num-1)
}

func (k *column) next() uint64 {
	if k.i >= len(k.s) {
		k.c.failf("%s: column ends early", k.where())
	}
	k.i++
	return k.s[k.i-1]
}

func (k *column) end() {
	if k.i != len(k.s) {
		k.c.failf("%s: %d entries more than the objects use", k.where(), len(k.s)-k.i)
	}
}

// value checks a value code against the sections it refers to.
func (c *checker) value(v uint64, where place) {
	n := v >> 3
	var limit int
	switch v & 7 {
	case TagObject:
		limit = len(c.p.Objects.Kinds)
	case TagString:
		limit = len(c.p.Strings)
	case TagFloat:
		limit = len(c.p.Floats)
	case TagSymbol:
		limit = len(c.p.Symbols)
	case TagBigInt:
		limit = len(c.p.BigInts)
	case TagSpecial:
		limit = SpecialTrue + 1
	default:
		return
	}
	if n >= uint64(limit) {
		c.failf("%s: value %d refers past its section", where, v)
	}
}

func (c *checker) str(i uint64, where place) {
	if i >= uint64(len(c.p.Strings)) {
		c.failf("%s: string %d out of range", where, i)
	}
}

func (c *checker) run() {
	p := c.p
	for i := range p.Lone {
		c.str(i, place{"lone surrogates", -1})
	}
	for i, sym := range p.Symbols {
		if sym[0] > 3 {
			c.failf("symbol %d: unknown kind %d", i, sym[0])
		}
		if sym[0] != 3 {
			c.str(sym[1], place{"symbol", i})
		}
	}
	slots := make([]int, len(p.Shapes))
	for i, sh := range p.Shapes {
		if len(sh)%2 != 0 {
			c.failf("shape %d is malformed", i)
		}
		for j := 0; j < len(sh); j += 2 {
			c.str(sh[j], place{"shape", i})
			a := sh[j+1]
			if a >= 1<<7 {
				c.failf("shape %d: unknown attributes %#x", i, a)
			}
			switch {
			case a&AttrMapped != 0:
			case a&AttrPlain == 0 && a&AttrAccessor != 0:
				slots[i] += 2
			default:
				slots[i]++
			}
		}
	}
	c.objects(slots)
	for i, rec := range p.Stashes {
		c.stash(i, rec)
	}
	for i, b := range p.Brands {
		if b[0] > 1<<24 || b[1] > 1<<24 {
			c.failf("brand %d is too large", i)
		}
	}
	for i, e := range p.PrivEnvs {
		for _, b := range e[:2] {
			if b > uint64(len(p.Brands)) {
				c.failf("private environment %d: brand %d out of range", i, b-1)
			}
		}
		if e[2] > uint64(len(p.PrivEnvs)) {
			c.failf("private environment %d: outer %d out of range", i, e[2]-1)
		}
	}
	if len(p.Natives)%3 != 0 {
		c.failf("natives: malformed")
	}
	for i := 0; i < len(p.Natives); i += 3 {
		if p.Natives[i] >= uint64(len(p.Objects.Kinds)) || p.Natives[i+1] >= uint64(len(p.Plugins)) {
			c.failf("natives: record %d out of range", i/3)
		}
		c.value(p.Natives[i+2], place{"natives", -1})
	}
	if len(p.Mapped)%5 != 0 {
		c.failf("mapped arguments: malformed")
	}
	for i := 0; i < len(p.Mapped); i += 5 {
		if p.Mapped[i] >= uint64(len(p.Objects.Kinds)) || Kind(p.Objects.Kinds[p.Mapped[i]]) != KindArguments {
			c.failf("mapped arguments: element %d is not on an arguments object", i/5)
		}
		c.str(p.Mapped[i+1], place{"mapped arguments", -1})
		if p.Mapped[i+2] < 2 || p.Mapped[i+2]-2 >= uint64(len(p.Stashes)) {
			c.failf("mapped arguments: element %d refers to a missing scope", i/5)
		}
	}
	if len(p.Templates)%5 != 0 {
		c.failf("tagged templates: malformed")
	}
	for i := 0; i < len(p.Templates); i += 5 {
		if p.Templates[i] >= uint64(len(p.Objects.Kinds)) || Kind(p.Objects.Kinds[p.Templates[i]]) != KindArray {
			c.failf("tagged templates: template %d is not an array", i/5)
		}
		if p.Templates[i+1] == 0 || p.Templates[i+1] > uint64(len(p.Scripts)) || p.Templates[i+4] > 1 {
			c.failf("tagged templates: template %d names no script", i/5)
		}
	}
	for _, pl := range p.Plugins {
		c.value(pl.State, place{"plugin " + pl.Name, -1})
	}
	c.roots()
	c.code()
}

// code checks the code section's shape: a key, one program per script,
// none for a built-in script, each within maxCodeFactor of its source.
func (c *checker) code() {
	code := c.p.Code
	if code == nil {
		return
	}
	if code.Key == "" {
		c.failf("code: programs without a key")
	}
	if len(code.Programs) != len(c.p.Scripts) {
		c.failf("code: %d programs for %d scripts", len(code.Programs), len(c.p.Scripts))
	}
	for i, prg := range code.Programs {
		sc := &c.p.Scripts[i]
		if len(prg) == 0 {
			continue
		}
		if sc.Digest != nil {
			c.failf("code: program %d is of a built-in script", i)
		}
		if len(prg) > maxCodeFactor*len(sc.Source)+1024 {
			c.failf("code: program %d of %d bytes for a source of %d", i, len(prg), len(sc.Source))
		}
	}
}

// objects checks the object columns against the kinds.
func (c *checker) objects(shapeSlots []int) {
	ob := &c.p.Objects
	var intrinsic, props, extra, arrays int
	for i, kb := range ob.Kinds {
		k := Kind(kb)
		switch {
		case k >= NumKinds:
			c.failf("object %d: unknown kind %d", i, k)
		case k == KindIntrinsic:
			intrinsic++
		}
		if k.HasProperties() {
			props++
		}
		if k.HasExtra() {
			extra++
		}
		if k == KindArray || k == KindSparseArray {
			arrays++
		}
	}
	switch {
	case len(ob.Intrinsic) != intrinsic:
		c.failf("objects: %d intrinsic names for %d intrinsic objects", len(ob.Intrinsic), intrinsic)
	case len(ob.Proto) != props || len(ob.Shape) != props || len(ob.Flags) != props:
		c.failf("objects: prototype, shape and flag columns of %d, %d and %d entries for %d objects",
			len(ob.Proto), len(ob.Shape), len(ob.Flags), props)
	case len(ob.Extra) != extra:
		c.failf("objects: %d extra records for %d objects that have one", len(ob.Extra), extra)
	case len(ob.ArrLen) != 3*arrays:
		c.failf("objects: %d array lengths for %d arrays", len(ob.ArrLen), arrays)
	}
	for _, s := range ob.Intrinsic {
		c.str(s, place{"intrinsic names", -1})
	}
	slots := &column{c: c, name: "slots", s: ob.Slots}
	syms := &column{c: c, name: "symbol properties", s: ob.SymProps}
	elems := &column{c: c, name: "elements", s: ob.Elems}
	arrs := &column{c: c, name: "array lengths", s: ob.ArrLen}
	priv := &column{c: c, name: "private elements", s: ob.Private}
	usedBuffer := make([]bool, len(c.p.Buffers))
	j, e := 0, 0
	for i, kb := range ob.Kinds {
		k := Kind(kb)
		where := place{"object", i}
		if k.HasExtra() {
			ext := ob.Extra[e]
			e++
			if k == KindArguments {
				// goja makes an array of this length when the object is
				// exported; it was the number of arguments of a call.
				if len(ext) < 1 {
					c.failf("%s: record too short", where)
				}
				if ext[0] > uint64(c.lim.Objects) {
					c.failf("%s: arguments object of length %d", where, ext[0])
				}
			}
			if k == KindArrayBuffer {
				if len(ext) < 2 || ext[0] >= uint64(len(usedBuffer)) {
					c.failf("%s: buffer missing", where)
				}
				if usedBuffer[ext[0]] {
					c.failf("%s: buffer %d belongs to another ArrayBuffer", where, ext[0])
				}
				usedBuffer[ext[0]] = true
			}
		}
		if !k.HasProperties() {
			continue
		}
		proto, shape, flags := ob.Proto[j], ob.Shape[j], ob.Flags[j]
		j++
		if proto&7 != TagObject && proto != CodeNull {
			c.failf("%s: prototype %d is neither an object nor null", where, proto)
		}
		c.value(proto, where)
		if shape >= uint64(len(shapeSlots)) {
			c.failf("%s: shape %d out of range", where, shape)
		}
		if flags&^(FlagNotExtensible|FlagSymbols|FlagPrivate) != 0 {
			c.failf("%s: unknown flags %#x", where, flags)
		}
		for n := shapeSlots[shape]; n > 0; n-- {
			c.value(slots.next(), where)
		}
		if flags&FlagSymbols != 0 {
			for n := c.count(syms, len(syms.s)); n > 0; n-- {
				sym := syms.next()
				if sym&7 != TagSymbol {
					c.failf("%s: a symbol property's key is not a symbol", where)
				}
				c.value(sym, where)
				a := syms.next()
				n := 1
				if a&AttrPlain == 0 && a&AttrAccessor != 0 {
					n = 2
				}
				for ; n > 0; n-- {
					c.value(syms.next(), where)
				}
			}
		}
		if flags&FlagPrivate != 0 {
			for n := c.count(priv, len(priv.s)); n > 0; n-- {
				if b := priv.next(); b >= uint64(len(c.p.Brands)) {
					c.failf("%s: brand %d out of range", where, b)
				}
				if m := priv.next(); m > uint64(len(c.p.MethodArrays)) {
					c.failf("%s: method table %d out of range", where, m-1)
				}
				for f := c.count(priv, len(priv.s)); f > 0; f-- {
					c.value(priv.next(), where)
				}
			}
		}
		if k == KindArray || k == KindSparseArray {
			length, n, _ := arrs.next(), arrs.next(), arrs.next()
			if length > 1<<32-1 || n > length || n > uint64(len(elems.s)) {
				c.failf("%s: array of length %d with %d elements", where, length, n)
			}
			prev := int64(-1)
			for ; n > 0; n-- {
				if k == KindSparseArray {
					idx := elems.next()
					if int64(idx) <= prev || idx >= length {
						c.failf("%s: sparse index %d out of order", where, idx)
					}
					prev = int64(idx)
				}
				c.elem(elems, where)
			}
		}
	}
	slots.end()
	syms.end()
	elems.end()
	arrs.end()
	priv.end()
	for i, m := range c.p.MethodArrays {
		k := &column{c: c, name: "method table", s: m}
		for k.i < len(m) {
			c.elem(k, place{"method table", i})
		}
	}
}

// elem checks one element: a value, or a property record.
func (c *checker) elem(k *column, where place) {
	v := k.next()
	if v != CodeElemProperty {
		c.value(v, where)
		return
	}
	n := 1
	if k.next()&AttrAccessor != 0 {
		n = 2
	}
	for ; n > 0; n-- {
		c.value(k.next(), where)
	}
}

// stash checks a scope record: outer scope, function kind, with-object, n,
// n values, n, n surplus arguments, names flag, and with names: n, n
// (string, slot) pairs; nothing more.
func (c *checker) stash(i int, rec []uint64) {
	k := &column{c: c, name: "scope", num: i + 1, s: rec}
	if outer := k.next(); outer >= 2 && outer-2 >= uint64(len(c.p.Stashes)) {
		c.failf("scope %d: outer scope %d out of range", i, outer-2)
	}
	if ft := k.next(); ft > 255 {
		c.failf("scope %d: unknown function kind %d", i, ft)
	}
	if obj := k.next(); obj != CodeNone {
		if obj&7 != TagObject {
			c.failf("scope %d: a with-object that is not an object", i)
		}
		c.value(obj, place{"scope", i})
	}
	for part := 0; part < 2; part++ {
		for n := c.count(k, len(rec)); n > 0; n-- {
			c.value(k.next(), place{"scope", i})
		}
	}
	switch k.next() {
	case 0:
	case 1:
		for n := c.count(k, len(rec)); n > 0; n-- {
			c.str(k.next(), place{"scope", i})
			if k.next() > 1<<32-1 {
				c.failf("scope %d: a slot out of range", i)
			}
		}
	default:
		c.failf("scope %d: malformed names", i)
	}
	k.end()
}

// count reads a count that cannot be more than max.
func (c *checker) count(k *column, max int) int {
	n := k.next()
	if n > uint64(max) {
		c.failf("%s: count %d too large", k.where(), n)
	}
	return int(n)
}

func (c *checker) roots() {
	r := &c.p.Roots
	if len(r.Globals)%3 != 0 {
		c.failf("global bindings are malformed")
	}
	for g := 0; g < len(r.Globals); g += 3 {
		c.str(r.Globals[g], place{"global bindings", -1})
		c.value(r.Globals[g+2], place{"global bindings", -1})
	}
	for _, h := range r.OnSave {
		c.value(h, place{"onSave hooks", -1})
	}
	for _, h := range r.OnResume {
		c.value(h, place{"onResume hooks", -1})
	}
	c.value(r.Main, place{"main", -1})
	c.value(r.Saving, place{"saving", -1})
	if r.Saving != CodeNone {
		c.str(r.SavePath, place{"saving", -1})
	}
}
