package image

import (
	"fmt"
	"sort"
	"strconv"
	"sync"
	"unsafe"

	"github.com/dop251/goja"
	"github.com/dop251/goja/unistring"
	"github.com/stasisvm/stasis/vm"
	"github.com/stasisvm/stasis/vm/heap"
)

// NewWorld makes a VM that can be saved: it runs vm.New and then records
// the pristine built-ins (every object reachable from the global object
// before user code runs, named by path), against which a save measures
// the world's changes.
func NewWorld(opts vm.Options) (*vm.VM, error) {
	// vm.New reads nothing of goja's internals: it comes before the layout
	// check, which another goroutine may be running (Prepare).
	v, err := vm.New(opts)
	if err != nil {
		return nil, err
	}
	if err := heap.Check(); err != nil {
		return nil, err
	}
	heap.ReserveTryStack(v.Runtime(), 256)
	if err := v.Try("record built-ins", func() error {
		if err := hookBind(v); err != nil {
			return err
		}
		if err := hookThen(v); err != nil {
			return err
		}
		if err := hookCombinators(v); err != nil {
			return err
		}
		b, err := newBaseline(v.Runtime())
		if err != nil {
			return err
		}
		v.SetAttachment(baselineKey{}, b)
		return nil
	}); err != nil {
		return nil, err
	}
	return v, nil
}

// Prepare does, once per process, the work that every Load needs whatever
// the image: goja's layout check (heap.Check) and the registry of goja's
// instruction types that stored code is read with. Both are done when
// first needed anyway; a program about to load an image (a bundle starting)
// may call Prepare on another goroutine first, so that this work overlaps
// its reading of the image and the making of the world (Load waits for the
// check only once it has made the world's VM). Prepare is safe to call from
// any goroutine, any number of times; it reports nothing: the loads that
// need the work report its failures. (The built-in scripts' programs are
// not made here: the world needs them right after the check, and a load
// would compile them a second time rather than wait.)
func Prepare() {
	if heap.Check() != nil {
		return
	}
	_ = heap.CodeKey()
}

type baselineKey struct{}

func baselineOf(v *vm.VM) (*baseline, error) {
	b, _ := v.Attachment(baselineKey{}).(*baseline)
	if b == nil {
		return nil, fmt.Errorf("this VM was not made by image.NewWorld: its built-ins were not recorded, so it cannot be saved")
	}
	return b, nil
}

// baseline is the pristine state of a world's built-in objects.
type baseline struct {
	rt      *goja.Runtime
	names   map[*goja.Object]string // intrinsic object -> path such as "Array.prototype.push"
	objects []*goja.Object          // intrinsics in walk order
	byName  map[string]*goja.Object
	symName map[*goja.Symbol]string // well-known symbols
	symByNm map[string]*goja.Symbol
	props   map[*goja.Object][]propSnap // pristine own properties of each intrinsic
	proto   map[*goja.Object]*goja.Object
	ext     map[*goja.Object]bool
	live    map[*goja.Object]bool // intrinsics whose changes are not saved (stasis.args)

	typedArrayCtors map[*goja.Object]bool
	isIntrinsic     *ptrTable // the keys of names, for the walk's fast test

	// Captured intrinsic functions, safe from user changes to the globals.
	getOwnPropertyNames, getOwnPropertySymbols, getOwnPropertyDescriptor      goja.Callable
	getPrototypeOf, isExtensible, keyFor                                      goja.Callable
	symbolCtor, symbolFor, regexpCtor, mapSet, setAdd, weakMapSet, weakSetAdd goja.Callable
	errorCtor                                                                 goja.Callable
	defineProperty, deleteProperty, setPrototypeOf, preventExtensions         goja.Callable
	regexpCtorObj, dataViewCtor, errorCtorObj, promiseCtor                    *goja.Object
}

// propSnap is one own property of an intrinsic as it was when the world was made.
type propSnap struct {
	key          goja.Value // a string or a *goja.Symbol
	value        goja.Value // data property value
	get, set     goja.Value // accessor functions (or undefined)
	accessor     bool
	writable     bool
	enumerable   bool
	configurable bool
}

func (p propSnap) same(q propSnap) bool {
	eq := func(a, b goja.Value) bool {
		if a == nil || b == nil {
			return a == b
		}
		return a.SameAs(b)
	}
	return p.accessor == q.accessor && p.writable == q.writable && p.enumerable == q.enumerable &&
		p.configurable == q.configurable && eq(p.value, q.value) && eq(p.get, q.get) && eq(p.set, q.set)
}

// seeds are built-in objects not reachable from the global object's properties.
const seedsScript = `[
	Object.getPrototypeOf(function*(){}), Object.getPrototypeOf(async function(){}),
	Object.getPrototypeOf((function*(){})()), Object.getPrototypeOf(Object.getPrototypeOf((function*(){})())),
	Object.getPrototypeOf([][Symbol.iterator]()), Object.getPrototypeOf(new Map().entries()),
	Object.getPrototypeOf(new Set().values()), Object.getPrototypeOf(''[Symbol.iterator]()),
	Object.getPrototypeOf(/a/[Symbol.matchAll]('')), Object.getPrototypeOf(Uint8Array),
	Object.getPrototypeOf(async () => {}), Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())),
	(function(){ "use strict"; return Object.getOwnPropertyDescriptor(arguments, "callee").get })(),
]`

// seedsProgram is compiled when first needed, not when the process starts.
var seedsProgram = sync.OnceValue(func() *goja.Program { return goja.MustCompile("<built-ins>", seedsScript, false) })

func newBaseline(rt *goja.Runtime) (*baseline, error) {
	const n = 1024 // a fresh world has about 500 intrinsics
	b := &baseline{
		rt: rt, names: make(map[*goja.Object]string, n), byName: make(map[string]*goja.Object, n),
		symName: map[*goja.Symbol]string{}, symByNm: map[string]*goja.Symbol{},
		props: make(map[*goja.Object][]propSnap, n), proto: make(map[*goja.Object]*goja.Object, n),
		ext: make(map[*goja.Object]bool, n), live: map[*goja.Object]bool{},
		objects: make([]*goja.Object, 0, n),
	}
	fn := func(path ...string) goja.Callable {
		var o goja.Value = rt.GlobalObject()
		for _, p := range path {
			o = o.ToObject(rt).Get(p)
		}
		f, ok := goja.AssertFunction(o)
		if !ok {
			panic(fmt.Sprintf("built-in %v is not a function", path))
		}
		return f
	}
	b.getOwnPropertyNames = fn("Object", "getOwnPropertyNames")
	b.getOwnPropertySymbols = fn("Object", "getOwnPropertySymbols")
	b.getOwnPropertyDescriptor = fn("Object", "getOwnPropertyDescriptor")
	b.getPrototypeOf = fn("Object", "getPrototypeOf")
	b.isExtensible = fn("Object", "isExtensible")
	b.defineProperty = fn("Object", "defineProperty")
	b.setPrototypeOf = fn("Object", "setPrototypeOf")
	b.preventExtensions = fn("Object", "preventExtensions")
	b.deleteProperty = fn("Reflect", "deleteProperty")
	b.keyFor = fn("Symbol", "keyFor")
	b.symbolCtor = fn("Symbol")
	b.symbolFor = fn("Symbol", "for")
	b.regexpCtor = fn("RegExp")
	b.regexpCtorObj = rt.Get("RegExp").ToObject(rt)
	b.dataViewCtor = rt.Get("DataView").ToObject(rt)
	b.promiseCtor = rt.Get("Promise").ToObject(rt)
	b.errorCtorObj = rt.Get("Error").ToObject(rt)
	b.errorCtor = fn("Error")
	b.mapSet = fn("Map", "prototype", "set")
	b.setAdd = fn("Set", "prototype", "add")
	b.weakMapSet = fn("WeakMap", "prototype", "set")
	b.weakSetAdd = fn("WeakSet", "prototype", "add")

	type item struct {
		o    *goja.Object
		name string
	}
	var queue []item
	type keyedSnap struct {
		key  string
		snap propSnap
	}
	var sorted []keyedSnap
	add := func(v goja.Value, name string) {
		switch x := v.(type) {
		case *goja.Object:
			if _, seen := b.names[x]; !seen {
				b.names[x] = name
				b.byName[name] = x
				b.objects = append(b.objects, x)
				queue = append(queue, item{x, name})
			}
		case *goja.Symbol:
			if _, seen := b.symName[x]; !seen {
				b.symName[x] = name
				b.symByNm[name] = x
			}
		}
	}
	add(rt.GlobalObject(), "globalThis")
	seeds, err := rt.RunProgram(seedsProgram())
	if err != nil {
		return nil, fmt.Errorf("record built-ins: %w", err)
	}
	seedNames := []string{"%GeneratorFunction.prototype%", "%AsyncFunction.prototype%", "%GeneratorPrototype%",
		"%GeneratorFunction.prototype.prototype%", "%ArrayIteratorPrototype%", "%MapIteratorPrototype%",
		"%SetIteratorPrototype%", "%StringIteratorPrototype%", "%RegExpStringIteratorPrototype%",
		"%TypedArray%", "%AsyncArrowFunction.prototype%", "%IteratorPrototype%", "%ThrowTypeError%"}
	for len(queue) > 0 || seeds != nil {
		if len(queue) == 0 {
			arr := seeds.ToObject(rt)
			for i, n := range seedNames {
				add(arr.Get(strconv.Itoa(i)), n)
			}
			seeds = nil
			continue
		}
		it := queue[0]
		queue = queue[1:]
		snaps, err := b.ownProps(it.o)
		if err != nil {
			return nil, fmt.Errorf("record built-ins: %s: %w", it.name, err)
		}
		b.props[it.o] = snaps
		po, ext := b.protoAndExtensible(it.o)
		if po != nil {
			b.proto[it.o] = po
			add(po, it.name+".__proto__")
		}
		b.ext[it.o] = ext
		// Visit keys in sorted order so every runtime names objects alike.
		sorted = sorted[:0]
		for _, s := range snaps {
			sorted = append(sorted, keyedSnap{keyString(s.key), s})
		}
		sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].key < sorted[j].key })
		for _, ks := range sorted {
			s := ks.snap
			name := it.name + "." + ks.key
			if s.accessor {
				add(s.get, name+"#get")
				add(s.set, name+"#set")
			} else {
				add(s.value, name)
			}
		}
	}
	b.isIntrinsic = newPtrTable(len(b.objects))
	for _, o := range b.objects {
		b.isIntrinsic.put(unsafe.Pointer(o), 1)
	}
	b.typedArrayCtors = map[*goja.Object]bool{}
	for _, name := range []string{"Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array",
		"Int32Array", "Uint32Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array"} {
		if o := b.byName["globalThis."+name]; o != nil {
			b.typedArrayCtors[o] = true
		}
	}
	if args, ok := b.byName["globalThis.stasis.args"]; ok {
		b.live[args] = true
	}
	// A built-in Go value (a library's Go object reachable from a global,
	// such as goja_nodejs's Buffer internals) shows Go's fields and methods
	// as properties, made when first read: they are not the world's changes.
	for _, o := range b.objects {
		if heap.KindOf(o) == heap.KindHost {
			b.live[o] = true
		}
	}
	return b, nil
}

func keyString(k goja.Value) string {
	if s, ok := k.(*goja.Symbol); ok {
		return "[" + s.String() + "]"
	}
	return k.String()
}

// ownProps lists o's own properties (string keys then symbols) with their
// descriptors, read from goja's storage where the object's kind keeps every
// own property there, else through JavaScript (ownPropsJS). Reading the
// storage is what makes a fresh world and a save of a small world fast:
// each JS getOwnPropertyDescriptor call builds a descriptor object.
func (b *baseline) ownProps(o *goja.Object) ([]propSnap, error) {
	if snaps, ok := b.ownPropsHeap(o); ok {
		return snaps, nil
	}
	return b.ownPropsJS(o)
}

// storedProps tells the kinds that keep every own property in their
// baseObject (no virtual "length" or indices, no traps).
func storedProps(k heap.Kind) bool {
	switch k {
	case heap.KindArray, heap.KindSparseArray, heap.KindStringObject, heap.KindTypedArray,
		heap.KindProxy, heap.KindArguments, heap.KindHost, heap.KindOther, heap.KindBound:
		return false
	}
	return true
}

func (b *baseline) ownPropsHeap(o *goja.Object) ([]propSnap, bool) {
	if !storedProps(heap.KindOf(o)) {
		return nil, false
	}
	// Built-ins are made lazily: listing the names makes every string-keyed
	// property (and a function's prototype), listing the symbols makes the
	// symbol-keyed ones. The names come in the order JS lists them.
	names := o.GetOwnPropertyNames()
	o.Symbols()
	base := heap.BaseOf(o)
	out := make([]propSnap, 0, len(names)+symCount(base))
	for _, name := range names {
		v := (*base.Values())[unistring.NewFromString(name)]
		if v == nil {
			return nil, false
		}
		out = append(out, snapOf(b.rt.ToValue(name), v))
	}
	_ = (*base.SymValues()).ForEachEntry(func(key, v goja.Value) error {
		out = append(out, snapOf(key, v))
		return nil
	})
	return out, true
}

func symCount(b *heap.Base) int {
	if *b.SymValues() == nil {
		return 0
	}
	return *(*b.SymValues()).Size()
}

// snapOf describes a stored property: a plain value (all attributes true)
// or a property record.
func snapOf(key, v goja.Value) propSnap {
	p := heap.AsProperty(v)
	if p == nil {
		return propSnap{key: key, value: v, writable: true, enumerable: true, configurable: true}
	}
	s := propSnap{key: key, accessor: *p.Accessor(), enumerable: *p.Enumerable(), configurable: *p.Configurable()}
	if *p.Accessor() {
		s.get, s.set = objOrUndefined(*p.GetterFunc()), objOrUndefined(*p.SetterFunc())
	} else {
		s.value, s.writable = *p.Value(), *p.Writable()
		if s.value == nil {
			s.value = goja.Undefined()
		}
	}
	return s
}

func objOrUndefined(o *goja.Object) goja.Value {
	if o == nil {
		return goja.Undefined()
	}
	return o
}

// protoAndExtensible returns o's prototype and whether it is extensible,
// read from goja's storage where its kind allows.
func (b *baseline) protoAndExtensible(o *goja.Object) (*goja.Object, bool) {
	if storedProps(heap.KindOf(o)) {
		p := o.Prototype()
		return p, *heap.BaseOf(o).Extensible()
	}
	pv, _ := b.getPrototypeOf(goja.Undefined(), o)
	p, _ := pv.(*goja.Object)
	e, _ := b.isExtensible(goja.Undefined(), o)
	return p, e.ToBoolean()
}

// ownPropsJS lists o's own properties through the intrinsic
// Object.getOwnPropertyNames, getOwnPropertySymbols and
// getOwnPropertyDescriptor.
func (b *baseline) ownPropsJS(o *goja.Object) ([]propSnap, error) {
	rt := b.rt
	var out []propSnap
	for _, lister := range []goja.Callable{b.getOwnPropertyNames, b.getOwnPropertySymbols} {
		keys, err := lister(goja.Undefined(), o)
		if err != nil {
			return nil, err
		}
		ko := keys.ToObject(rt)
		n := int(ko.Get("length").ToInteger())
		for i := 0; i < n; i++ {
			k := ko.Get(strconv.Itoa(i))
			d, err := b.getOwnPropertyDescriptor(goja.Undefined(), o, k)
			if err != nil {
				return nil, err
			}
			do := d.ToObject(rt)
			s := propSnap{key: k,
				enumerable:   do.Get("enumerable").ToBoolean(),
				configurable: do.Get("configurable").ToBoolean(),
			}
			if g := do.Get("get"); g != nil {
				s.accessor = true
				s.get, s.set = g, do.Get("set")
			} else {
				s.value = do.Get("value")
				s.writable = do.Get("writable").ToBoolean()
			}
			out = append(out, s)
		}
	}
	return out, nil
}
