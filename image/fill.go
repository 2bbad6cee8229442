package image

import (
	"slices"

	"github.com/dop251/goja"
	"github.com/dop251/goja/unistring"
	"github.com/stasisvm/stasis/vm/heap"
)

// fillObjects gives every non-intrinsic object its prototype, properties
// and kind-specific state.
func (l *loader) fillObjects() {
	ob := &l.p.Objects
	slots := &cursor{l: l, name: "slots", s: ob.Slots}
	syms := &cursor{l: l, name: "symbol properties", s: ob.SymProps}
	elems := &cursor{l: l, name: "elements", s: ob.Elems}
	arrs := &cursor{l: l, name: "array lengths", s: ob.ArrLen}
	priv := &cursor{l: l, name: "private elements", s: ob.Private}
	j := 0 // index among non-intrinsic objects
	for i, kb := range ob.Kinds {
		k := objKind(kb)
		if k == okIntrinsic || k == okNative || k == okProxy || k == okResolver {
			continue
		}
		if j >= len(ob.Proto) || j >= len(ob.Shape) || j >= len(ob.Flags) {
			l.failf("object %d: columns end early", i)
		}
		o := l.objs[i]
		flags := ob.Flags[j]
		pc := ob.Proto[j]
		l.fillProperties(o, k, l.value(pc), ob.Shape[j], slots)
		if pc&7 == tagObject && objKind(ob.Kinds[pc>>3]) != okIntrinsic {
			l.protoRoots = append(l.protoRoots, o)
		}
		if flags&flagSymbols != 0 {
			l.fillSymbols(o, syms)
		}
		if flags&flagPrivate != 0 {
			l.fillPrivate(o, priv)
		}
		ext := l.extra(i)
		switch k {
		case okArray:
			a := heap.ArrayOf(o)
			length, n, writable := arrs.next(), arrs.count(len(ob.Elems)), arrs.next()
			if uint64(n) > length || length > 1<<32-1 {
				l.failf("object %d: array of length %d with %d elements", i, length, n)
			}
			*a.Values() = make([]goja.Value, n)
			*a.ObjCount(), *a.PropValueCount() = 0, 0
			for e := range *a.Values() {
				v := l.elem(elems)
				(*a.Values())[e] = v
				if v != nil {
					*a.ObjCount()++
					if heap.AsProperty(v) != nil {
						*a.PropValueCount()++
					}
				}
			}
			*a.Length() = uint32(length)
			*a.LengthProp().Value() = l.rt.ToValue(length)
			*a.LengthProp().Writable() = writable != 0
		case okSparseArray:
			a := heap.SparseArrayOf(o)
			length, n, writable := arrs.next(), arrs.count(len(ob.Elems)), arrs.next()
			if length > 1<<32-1 {
				l.failf("object %d: array length %d", i, length)
			}
			items := a.Items()
			items.Make(n)
			*a.PropValueCount() = 0
			for e := 0; e < n; e++ {
				idx := elems.next()
				if idx >= length || e > 0 && uint32(idx) <= *items.At(e - 1).Idx() {
					l.failf("object %d: sparse index %d out of order", i, idx)
				}
				v := l.elem(elems)
				*items.At(e).Idx(), *items.At(e).Value() = uint32(idx), v
				if heap.AsProperty(v) != nil {
					*a.PropValueCount()++
				}
			}
			*a.Length() = uint32(length)
			*a.LengthProp().Value() = l.rt.ToValue(length)
			*a.LengthProp().Writable() = writable != 0
		case okMap, okSet:
			l.fillCollection(i, o, k == okMap, ext)
		case okWeakMap, okWeakSet:
			if len(ext) < 1 || ext[0] >= uint64(len(l.p.Weak)) {
				l.failf("object %d: weak record missing", i)
			}
			l.fillWeak(i, o, k == okWeakMap, l.p.Weak[ext[0]])
		case okGenerator:
			l.fillGenerator(i, o, ext)
		case okArguments:
			if len(ext) < 1 {
				l.failf("object %d: record too short", i)
			}
			// format.Decode bounded the length by the object limit.
			*heap.ArgumentsOf(o).Length() = int(ext[0])
		case okPromise:
			l.fillPromise(i, o, ext)
		case okRegExp:
			l.markRegExp(o, ob.Shape[j], flags&flagSymbols != 0)
		case okDate:
			if len(ext) < 1 {
				l.failf("object %d: record too short", i)
			}
			*heap.DateOf(o).Msec() = unzigzag(ext[0])
		case okError:
			c := &cursor{l: l, name: "object", num: i + 1, s: ext}
			e := heap.ErrorOf(o)
			*e.StackPropAdded() = c.next() != 0
			n := c.count(len(ext))
			stack := e.Stack()
			stack.Make(n)
			for f := 0; f < n; f++ {
				script, index := c.next(), c.next()
				fr := stack.At(f)
				*fr.Prg(), *fr.FuncName(), *fr.Pc() = l.program(script, index), l.key(c.next()), int(c.next())
			}
		default:
			if fk, ok := funcKind(k); ok {
				l.fillFunction(i, o, fk, ext)
			}
		}
		*heap.BaseOf(o).Extensible() = flags&flagNotExtensible == 0
		j++
	}
}

// markRegExp tells goja that a RegExp may not take its fast paths if the
// saved one had own properties besides lastIndex, symbol properties or
// another prototype than RegExp.prototype: goja's String methods skip a
// RegExp's exec and its Symbol.replace, split... while the object is
// marked standard, which a fresh RegExp is, and writing those properties
// through the mirrors does not unmark it. goja unmarks a RegExp whose
// prototype is set, even to the one it has.
func (l *loader) markRegExp(o *goja.Object, shape uint64, symbols bool) {
	keys, _ := l.shapeKeys(shape)
	proto := *heap.BaseOf(o).Prototype()
	if !symbols && len(keys) == 1 && keys[0] == "lastIndex" && proto != nil && proto == l.b.object("globalThis.RegExp.prototype") {
		return
	}
	if err := o.SetPrototype(proto); err != nil {
		l.failf("RegExp: %v", err)
	}
}

// elem decodes one array element (a value, or a property record).
func (l *loader) elem(c *cursor) goja.Value {
	v := c.next()
	if v != codeElemProperty {
		return l.value(v)
	}
	attrs := byte(c.next())
	pv, p := heap.NewValueProperty()
	l.setAttrs(p, attrs)
	if attrs&attrAccessor != 0 {
		*p.GetterFunc(), *p.SetterFunc() = l.object(c.next()), l.object(c.next())
	} else {
		*p.Value() = l.value(c.next())
	}
	return pv
}

func (l *loader) setAttrs(p *heap.ValueProperty, attrs byte) {
	*p.Writable() = attrs&attrWritable != 0
	*p.Enumerable() = attrs&attrEnumerable != 0
	*p.Configurable() = attrs&attrConfigurable != 0
	*p.Accessor() = attrs&attrAccessor != 0
}

// fillProperties replaces o's string-keyed properties with those of a shape.
func (l *loader) fillProperties(o *goja.Object, k objKind, proto goja.Value, shapeIdx uint64, slots *cursor) {
	keep := k == okArray || k == okSparseArray || k == okStringObject
	sm := l.shapeMapOf(shapeIdx, keep)
	shape := l.p.Shapes[shapeIdx]
	b := heap.BaseOf(o)
	switch p := proto.(type) {
	case *goja.Object:
		*b.Prototype() = p
	case nil:
		l.failf("missing prototype")
	default:
		if !goja.IsNull(proto) {
			l.failf("prototype is not an object")
		}
		*b.Prototype() = nil
	}
	values := *b.Values()
	fk, spare := funcKind(k)
	// The map's values, in the order of sm.mapKeys: the kept length first.
	vals := l.vals[:0]
	if keep {
		var length goja.Value
		if values != nil {
			length = values["length"]
		} else if k == okArray {
			// Made by heap.ObjectMaker, without a map yet.
			length = heap.PropertyValue(heap.ArrayOf(o).LengthProp())
		}
		vals = append(vals, length)
	}
	for s, key := range sm.keys {
		attrs := byte(shape[2*s+1])
		var v goja.Value
		switch {
		case attrs&attrPlain != 0:
			v = l.value(slots.next())
			if v == nil {
				l.failf("property %q has no value", key.String())
			}
		case attrs&attrMapped != 0:
			// Filled by fillMapped once stashes exist.
			continue
		case attrs&attrInterior != 0:
			ip := heap.InteriorLength(o)
			if ip == nil || attrs&attrAccessor != 0 {
				l.failf("property %q cannot be an interior record here", key.String())
			}
			l.setAttrs(ip, attrs)
			*ip.Value() = l.value(slots.next())
			v = heap.PropertyValue(ip)
		default:
			var pv goja.Value
			var p *heap.ValueProperty
			if spare {
				// A function's first such property (its name) takes the
				// record allocated with the function.
				pv, p, _ = heap.SpareProperty(o, fk)
				spare = false
			}
			if p == nil {
				pv, p = heap.NewValueProperty()
			}
			l.setAttrs(p, attrs)
			if attrs&attrAccessor != 0 {
				*p.GetterFunc(), *p.SetterFunc() = l.object(slots.next()), l.object(slots.next())
			} else {
				*p.Value() = l.value(slots.next())
			}
			v = pv
		}
		vals = append(vals, v)
	}
	l.vals = vals
	if len(vals) != len(sm.mapKeys) {
		l.failf("shape %d: %d values for %d keys", shapeIdx, len(vals), len(sm.mapKeys))
	}
	switch {
	case sm.tmpl != nil:
		// A copy of the shape's map (heap.MapTemplate): goja's own map of
		// the object, if it made one, is dropped.
		values = sm.tmpl.New(vals)
	case values == nil || len(values) == 0 && len(vals) > 8:
		values = make(map[unistring.String]goja.Value, len(vals))
	default:
		// The object's own map is emptied and refilled, not replaced: a
		// fresh object's map was allocated already.
		clear(values)
	}
	if sm.tmpl == nil {
		for i, key := range sm.mapKeys {
			values[key] = vals[i]
		}
	}
	clear(vals) // the buffer holds no values once they are in the map
	*b.Values() = values
	*b.PropNames() = sm.names
	*b.LastSortedPropLen(), *b.IdxPropCount() = 0, 0
}

// shapeMap is what every object of one shape (with or without a kept
// length) holds alike: the keys of its property map (the shape's keys, but
// those of mapped arguments, which fillMapped adds, and after a kept
// length), a template of that map (nil: maps are made as usual), and its
// list of property names, shared by all of them (heap.SharedPropNames).
type shapeMap struct {
	keys    []unistring.String // the shape's keys
	mapKeys []unistring.String
	tmpl    *heap.MapTemplate
	names   []unistring.String
}

// shapeMapOf returns shape i's shapeMap, made once (keep: with the kept
// length of an array or a String object first).
func (l *loader) shapeMapOf(i uint64, keep bool) *shapeMap {
	keys, hasLength := l.shapeKeys(i)
	x := 0
	if keep {
		x = 1
	}
	if l.shapeMaps[x] == nil {
		l.shapeMaps[x] = make([]*shapeMap, len(l.p.Shapes))
	}
	if sm := l.shapeMaps[x][i]; sm != nil {
		return sm
	}
	if keep && hasLength {
		l.failf("shape %d repeats key %q", i, "length")
	}
	shape := l.p.Shapes[i]
	sm := &shapeMap{keys: keys}
	// The names are gathered in a buffer the shapes share (SharedPropNames
	// copies them), and the map's keys are the shape's own unless a length
	// comes first or arguments' mapped keys are left out: lodash's shapes
	// are few, but of up to 318 keys.
	names := l.names[:0]
	mapped := 0
	if keep {
		names = append(names, "length")
	}
	for s, key := range keys {
		names = append(names, key)
		if byte(shape[2*s+1])&attrMapped != 0 {
			mapped++
		}
	}
	l.names = names
	switch {
	case !keep && mapped == 0:
		sm.mapKeys = keys
	default:
		sm.mapKeys = make([]unistring.String, 0, len(names)-mapped)
		if keep {
			sm.mapKeys = append(sm.mapKeys, "length")
		}
		for s, key := range keys {
			if byte(shape[2*s+1])&attrMapped == 0 {
				sm.mapKeys = append(sm.mapKeys, key)
			}
		}
	}
	sm.names = heap.SharedPropNames(names)
	sm.tmpl = heap.NewMapTemplate(sm.mapKeys)
	l.shapeMaps[x][i] = sm
	return sm
}

// shapeKeys returns the keys of shape i, and whether "length" is among
// them. Each shape is checked once (even, no key twice), however many
// objects share it: checking each object's keys against its map cost a map
// look-up per property.
func (l *loader) shapeKeys(i uint64) ([]unistring.String, bool) {
	if i >= uint64(len(l.p.Shapes)) {
		l.failf("shape %d out of range", i)
	}
	if l.shapeKs == nil {
		l.shapeKs = make([][]unistring.String, len(l.p.Shapes))
		l.shapeLen = make([]bool, len(l.p.Shapes))
	}
	if ks := l.shapeKs[i]; ks != nil {
		return ks, l.shapeLen[i]
	}
	shape := l.p.Shapes[i]
	if len(shape)%2 != 0 {
		l.failf("shape %d is malformed", i)
	}
	ks := make([]unistring.String, len(shape)/2)
	hasLength := false
	// Keys repeated: a shape of a few keys is checked pair by pair, a
	// larger one against a set the shapes share (a set per shape was a
	// tenth of the bytes a load of lodash's world allocated).
	const fewKeys = 16
	if len(ks) > fewKeys {
		if l.seenKeys == nil {
			l.seenKeys = make(map[unistring.String]struct{}, len(ks))
		}
		clear(l.seenKeys)
	}
	for s := range ks {
		k := l.key(shape[2*s])
		repeated := false
		if len(ks) > fewKeys {
			_, repeated = l.seenKeys[k]
			l.seenKeys[k] = struct{}{}
		} else {
			repeated = slices.Contains(ks[:s], k)
		}
		if repeated {
			l.failf("shape %d repeats key %q", i, k.String())
		}
		hasLength = hasLength || k == "length"
		ks[s] = k
	}
	l.shapeKs[i], l.shapeLen[i] = ks, hasLength
	return ks, hasLength
}

// fillSymbols defines o's symbol-keyed properties through goja, in order.
func (l *loader) fillSymbols(o *goja.Object, c *cursor) {
	n := c.count(len(c.s))
	for e := 0; e < n; e++ {
		kc := c.next()
		sym, ok := l.value(kc).(*goja.Symbol)
		if !ok {
			l.failf("symbol property key is not a symbol")
		}
		attrs := byte(c.next())
		var err error
		if attrs&attrPlain != 0 {
			err = o.DefineDataPropertySymbol(sym, l.value(c.next()), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
		} else if attrs&attrAccessor != 0 {
			g, s := l.object(c.next()), l.object(c.next())
			var gv, sv goja.Value
			if g != nil {
				gv = g
			}
			if s != nil {
				sv = s
			}
			err = o.DefineAccessorPropertySymbol(sym, gv, sv, flag(attrs&attrConfigurable), flag(attrs&attrEnumerable))
		} else {
			err = o.DefineDataPropertySymbol(sym, l.value(c.next()), flag(attrs&attrWritable), flag(attrs&attrConfigurable), flag(attrs&attrEnumerable))
		}
		if err != nil {
			l.failf("symbol property: %v", err)
		}
	}
}

func flag(b byte) goja.Flag {
	if b != 0 {
		return goja.FLAG_TRUE
	}
	return goja.FLAG_FALSE
}

// fillFunction gives a placeholder function the saved function's program,
// scope and kind-specific fields (see saver.function for the record).
func (l *loader) fillFunction(i int, o *goja.Object, k heap.Kind, ext []uint64) {
	c := &cursor{l: l, name: "function", num: i + 1, s: ext}
	f := heap.JSFuncOf(o)
	script, index := c.next(), c.next()
	*f.Prg() = l.program(script, index)
	var info heap.ProgramInfo
	if *f.Prg() != nil {
		// A function of one kind never runs the program of another: goja
		// compiles each kind's prologue differently.
		info = l.progs[script-1][index]
		if !makers[k][info.Maker] {
			l.failf("function %d: a %s with the program of %q", i, k, info.Maker)
		}
	}
	srcMode, srcStr := c.next(), c.next()
	*f.Stash() = l.stashRef(c.next())
	*f.Strict() = c.next() != 0
	*f.PrivEnv() = l.privEnv(c.next())
	switch k {
	case heap.KindMethod, heap.KindGeneratorMethod, heap.KindAsyncMethod:
		*heap.MethodOf(o).HomeObject() = l.object(c.next())
	case heap.KindArrow, heap.KindAsyncArrow:
		a := heap.ArrowOf(o)
		*a.FuncObj() = l.object(c.next())
		*a.NewTarget() = l.value(c.next())
	case heap.KindClass:
		cl := heap.ClassOf(o)
		*cl.PrivateEnvType() = l.brand(c.next())
		*cl.PrivateMethods() = l.methodArray(c.next())
		*cl.InitFields() = l.program(c.next(), c.next())
		*cl.Derived() = c.next() != 0
		if *f.Prg() != nil && (*cl.Derived() != (info.Maker == "newDerivedClass.ctor") || *cl.InitFields() != info.InitFields) {
			l.failf("function %d: a class whose derivation or field initialisers differ from its program's", i)
		}
		n := c.count(len(ext))
		*cl.ComputedKeys() = nil
		if n > 0 {
			*cl.ComputedKeys() = make([]goja.Value, n)
			for j := range *cl.ComputedKeys() {
				(*cl.ComputedKeys())[j] = l.value(c.next())
			}
		}
	}
	if srcMode == 1 {
		*f.Src() = l.str(srcStr)
	} else {
		switch {
		case script != 0:
			*f.Src() = l.programSource(script, index)
		case k == heap.KindClass && *heap.ClassOf(o).InitFields() != nil:
			*f.Src() = l.sourceOf(*heap.ClassOf(o).InitFields())
		default:
			l.failf("function %d has no source", i)
		}
	}
}

// makers lists, for each kind of function, the instructions that make
// functions of that kind (see heap.ProgramInfo.Maker).
var makers = map[heap.Kind]map[string]bool{
	heap.KindFunction:          {"newFunc": true},
	heap.KindGeneratorFunction: {"newGeneratorFunc": true},
	heap.KindAsyncFunction:     {"newAsyncFunc": true},
	heap.KindClass:             {"newClass.ctor": true, "newDerivedClass.ctor": true},
	heap.KindMethod: {"newMethod": true, "newClass.initFields": true, "newDerivedClass.initFields": true,
		"newStaticFieldInit": true},
	heap.KindGeneratorMethod: {"newGeneratorMethod": true},
	heap.KindAsyncMethod:     {"newAsyncMethod": true},
	heap.KindArrow:           {"newArrowFunc": true},
	heap.KindAsyncArrow:      {"newAsyncArrowFunc": true},
}

func (l *loader) sourceOf(p *goja.Program) string {
	for _, infos := range l.progs {
		for _, pi := range infos {
			if pi.Program == p {
				return pi.Source
			}
		}
	}
	return ""
}

// applyRoots replays the changes to built-ins, declares the global lexical
// bindings and registers the hooks.
func (l *loader) applyRoots() {
	r := &l.p.Roots
	b := l.b
	c := &cursor{l: l, name: "patches", s: r.Patches}
	rt := l.rt
	for c.i < len(c.s) {
		op := c.next()
		o := l.object(c.next())
		if o == nil {
			l.failf("patch on a missing object")
		}
		var err error
		switch op {
		case patchDefine:
			key := l.value(c.next())
			attrs := byte(c.next())
			d := rt.NewObject()
			_ = d.SetPrototype(nil)
			_ = d.Set("enumerable", attrs&attrEnumerable != 0)
			_ = d.Set("configurable", attrs&attrConfigurable != 0)
			if attrs&attrAccessor != 0 {
				_ = d.Set("get", l.value(c.next()))
				_ = d.Set("set", l.value(c.next()))
			} else {
				_ = d.Set("writable", attrs&attrWritable != 0)
				_ = d.Set("value", l.value(c.next()))
			}
			_, err = b.defineProperty(goja.Undefined(), o, key, d)
		case patchDelete:
			_, err = b.deleteProperty(goja.Undefined(), o, l.value(c.next()))
		case patchProto:
			_, err = b.setPrototypeOf(goja.Undefined(), o, l.value(c.next()))
		case patchNonExtensible:
			_, err = b.preventExtensions(goja.Undefined(), o)
		default:
			l.failf("unknown patch op %d", op)
		}
		if err != nil {
			l.failf("patch on %s: %v", b.name(o), err)
		}
	}
	if len(r.Globals)%3 != 0 {
		l.failf("global bindings are malformed")
	}
	if len(heap.GlobalBindings(rt)) != 0 {
		l.failf("the new world already has global bindings")
	}
	for g := 0; g < len(r.Globals); g += 3 {
		heap.DeclareGlobal(rt, l.str(r.Globals[g]), r.Globals[g+1] != 0, l.value(r.Globals[g+2]))
	}
	var h = l.v.Hooks()
	for _, f := range r.OnSave {
		h.OnSave = append(h.OnSave, l.value(f))
	}
	for _, f := range r.OnResume {
		h.OnResume = append(h.OnResume, l.value(f))
	}
	if r.Main != codeNone {
		h.Main = l.value(r.Main)
	}
	l.v.SetHooks(h)
}

// createPrivate makes the class brands, private environments and private
// method tables of the image.
func (l *loader) createPrivate() {
	p := l.p
	l.brands = make([]*heap.PrivateEnvType, len(p.Brands))
	for i, b := range p.Brands {
		if b[0] > 1<<24 || b[1] > 1<<24 {
			l.failf("brand %d is too large", i)
		}
		l.brands[i] = heap.NewPrivateEnvType(uint32(b[0]), uint32(b[1]))
	}
	l.privEnvs = make([]*heap.PrivateEnv, len(p.PrivEnvs))
	for i := range l.privEnvs {
		l.privEnvs[i] = heap.NewPrivateEnv()
	}
	for i, rec := range p.PrivEnvs {
		e := l.privEnvs[i]
		*e.InstanceType(), *e.StaticType(), *e.Outer() = l.brand(rec[0]), l.brand(rec[1]), l.privEnv(rec[2])
	}
	l.methodArrays = make([][]goja.Value, len(p.MethodArrays))
	for i, rec := range p.MethodArrays {
		c := &cursor{l: l, name: "method table", num: i + 1, s: rec}
		var m []goja.Value
		for c.i < len(rec) {
			m = append(m, l.elem(c))
		}
		l.methodArrays[i] = m
	}
}

func (l *loader) brand(c uint64) *heap.PrivateEnvType {
	if c == 0 {
		return nil
	}
	if c-1 >= uint64(len(l.brands)) {
		l.failf("brand %d out of range", c-1)
	}
	return l.brands[c-1]
}

func (l *loader) privEnv(c uint64) *heap.PrivateEnv {
	if c == 0 {
		return nil
	}
	if c-1 >= uint64(len(l.privEnvs)) {
		l.failf("private environment %d out of range", c-1)
	}
	return l.privEnvs[c-1]
}

func (l *loader) methodArray(c uint64) []goja.Value {
	if c == 0 {
		return nil
	}
	if c-1 >= uint64(len(l.methodArrays)) {
		l.failf("method table %d out of range", c-1)
	}
	return l.methodArrays[c-1]
}

// fillPrivate gives o its private elements.
func (l *loader) fillPrivate(o *goja.Object, c *cursor) {
	n := c.count(len(c.s))
	// The buffers are the loader's: SetPrivateElements keeps neither.
	brands, elems := slices.Grow(l.privBrands[:0], n)[:n], slices.Grow(l.privElems[:0], n)[:n]
	defer func() { clear(elems); l.privBrands, l.privElems = brands[:0], elems[:0] }()
	for e := 0; e < n; e++ {
		b := c.next()
		brands[e] = l.brand(b + 1)
		el := heap.NewPrivateElements()
		*el.Methods() = l.methodArray(c.next())
		nf := c.count(len(c.s))
		// goja indexes an instance's fields and methods by the numbers its
		// class's brand declares: none may be missing.
		if want := l.p.Brands[b]; uint64(nf) != want[0] || uint64(len(*el.Methods())) != want[1] {
			l.failf("private elements of %d fields and %d methods for a class that declares %d and %d",
				nf, len(*el.Methods()), want[0], want[1])
		}
		for _, prev := range brands[:e] {
			if prev == brands[e] {
				l.failf("private elements repeat a class")
			}
		}
		if nf > 0 {
			*el.Fields() = make([]goja.Value, nf)
			for f := range *el.Fields() {
				(*el.Fields())[f] = l.value(c.next())
			}
		}
		elems[e] = el
	}
	heap.SetPrivateElements(o, brands, elems)
}

// fillCollection adds a Map's or a Set's saved entries.
func (l *loader) fillCollection(i int, o *goja.Object, isMap bool, ext []uint64) {
	c := &cursor{l: l, name: "object", num: i + 1, s: ext}
	n := c.count(len(ext))
	keys, vals := slices.Grow(l.collKeys[:0], n), l.collVals[:0]
	if isMap {
		vals = slices.Grow(vals, n)
	}
	for e := 0; e < n; e++ {
		// "none" (a hole) is no value: goja's collections would
		// dereference it.
		keys = append(keys, l.some(c.next(), i, "an entry's key"))
		if isMap {
			vals = append(vals, l.some(c.next(), i, "an entry's value"))
		}
	}
	set, values := func(key, value goja.Value) error {
		_, err := l.b.setAdd(o, key)
		return err
	}, []goja.Value(nil)
	if isMap {
		set, values = func(key, value goja.Value) error {
			_, err := l.b.mapSet(o, key, value)
			return err
		}, vals
	}
	// The first entries of a load go through set: heap.Collections
	// probes goja's hashes once per process (a few hundred µs, more than
	// a lodash world's one small Map takes through set).
	if l.colls == nil && l.collsSlow+n <= slowCollectionEntries {
		l.collsSlow += n
		for e, k := range keys {
			var v goja.Value
			if isMap {
				v = vals[e]
			}
			if err := set(k, v); err != nil {
				l.failf("object %d: %v", i, err)
			}
		}
	} else {
		if l.colls == nil {
			l.colls = heap.NewCollections()
		}
		if err := l.colls.Fill(o, keys, values, set); err != nil {
			l.failf("object %d: %v", i, err)
		}
	}
	clear(keys)
	clear(vals)
	l.collKeys, l.collVals = keys[:0], vals[:0]
}

// slowCollectionEntries is how many entries of Maps and Sets a load
// adds through Map.prototype.set and Set.prototype.add before it fills
// them directly (heap.Collections).
const slowCollectionEntries = 64

// fillWeak adds a weak collection's saved entries.
func (l *loader) fillWeak(i int, o *goja.Object, isMap bool, rec []uint64) {
	c := &cursor{l: l, name: "object", num: i + 1, s: rec}
	add := l.b.weakMapSet
	if !isMap {
		add = l.b.weakSetAdd
	}
	for c.i < len(rec) {
		key := l.some(c.next(), i, "a weak entry's key")
		var err error
		if isMap {
			_, err = add(o, key, l.some(c.next(), i, "a weak entry's value"))
		} else {
			_, err = add(o, key)
		}
		if err != nil {
			l.failf("object %d: %v", i, err)
		}
	}
}

// fillMapped makes the arguments elements that alias parameters' slots.
func (l *loader) fillMapped() {
	m := l.p.Mapped
	if len(m)%5 != 0 {
		l.failf("mapped arguments are malformed")
	}
	for i := 0; i < len(m); i += 5 {
		o := l.object(code(tagObject, m[i]))
		if heap.KindOf(o) != heap.KindArguments {
			l.failf("mapped element on an object that is not an arguments object")
		}
		key := l.key(m[i+1])
		st := l.stashRef(m[i+2])
		if st == nil || st == l.global || m[i+3] >= uint64(len(*st.Values())) {
			l.failf("mapped element refers to a missing slot")
		}
		attrs := byte(m[i+4])
		b := heap.BaseOf(o)
		if _, ok := (*b.Values())[key]; ok {
			l.failf("mapped element %q repeats a property", key.String())
		}
		(*b.Values())[key] = heap.NewMappedProperty(&(*st.Values())[m[i+3]], attrs&attrWritable != 0, attrs&attrEnumerable != 0, attrs&attrConfigurable != 0)
	}
}
