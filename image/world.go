package image

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
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
	// The built-in scripts every world runs are compiled before the check
	// is waited for (compiling reads nothing of goja's internals): a
	// bundle's check is still running on another goroutine then.
	_, _ = programCache.compile(combinatorsName, combinatorsSource, false, 0)
	_ = seedsProgram()
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

// pendingWorld is a world that NewWorld is making on another goroutine
// (startWorld), for a load that reads and decodes its image meanwhile:
// making the VM with its plugins and recording its built-ins is a third to
// a half of the fixed work of a load, and needs nothing of the image.
type pendingWorld struct {
	done  chan struct{}
	v     *vm.VM
	err   error
	panic any // what NewWorld panicked with, panicked again by wait
}

// startWorld starts making a world with NewWorld(opts) on another goroutine.
func startWorld(opts vm.Options) *pendingWorld {
	w := &pendingWorld{done: make(chan struct{})}
	go func() {
		defer close(w.done)
		defer func() {
			if r := recover(); r != nil {
				w.panic = r
			}
		}()
		w.v, w.err = NewWorld(opts)
	}()
	return w
}

// wait returns the world once it is made. If NewWorld panicked, wait
// panics with the same value, on the goroutine of the load that waits (as
// if the load had called NewWorld itself).
func (w *pendingWorld) wait() (*vm.VM, error) {
	<-w.done
	if w.panic != nil {
		panic(w.panic)
	}
	return w.v, w.err
}

// discard waits until the world is made (so that no work of a failed load
// goes on after it returns), and drops it.
func (w *pendingWorld) discard() { <-w.done }

// Prepare does, once per process, the work that every Load of an image of
// size bytes needs whatever the image: goja's layout check (heap.Check)
// and, for an image of more than compileBelow bytes, the registry of goja's
// instruction types that stored code is read with (a load compiles the
// scripts of an image with little source instead: a smaller image seldom
// holds more, and if it does, its load makes the registry). Both are done
// when first needed anyway; a program about to load an image (a bundle
// starting) may call Prepare on another goroutine first, so that this work
// overlaps its reading of the image and the making of the world (Load
// waits for the check only once it has made the world's VM). Prepare is
// safe to call from any goroutine, any number of times; it reports
// nothing: the loads that need the work report its failures. (The
// built-in scripts' programs are not made here: the world needs them
// right after the check, and a load would compile them a second time
// rather than wait.)
func Prepare(size int64) {
	if heap.Check() != nil || size <= compileBelow {
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
	rt *goja.Runtime
	// objects are the intrinsics in walk order; an intrinsic's number
	// (its index) also indexes nameList, props, proto and ext.
	objects  []*goja.Object
	nameList []string       // paths such as "globalThis.Array.prototype.push"
	props    [][]propSnap   // pristine own properties
	proto    []*goja.Object // pristine prototypes
	ext      []bool         // pristine extensibility
	// index maps an intrinsic to its number, and is the walk's fast test
	// of whether an object is a built-in.
	index *ptrTable

	byNameOnce sync.Once
	byNameMap  map[string]*goja.Object // made when first asked (object)

	symName map[*goja.Symbol]string // well-known symbols
	symByNm map[string]*goja.Symbol
	live    map[*goja.Object]bool // intrinsics whose changes are not saved (stasis.args)

	typedArrayCtors map[*goja.Object]bool

	// Captured intrinsic functions, safe from user changes to the globals.
	getOwnPropertyNames, getOwnPropertySymbols, getOwnPropertyDescriptor      goja.Callable
	getPrototypeOf, isExtensible, keyFor, objectKeys                          goja.Callable
	symbolCtor, symbolFor, regexpCtor, mapSet, setAdd, weakMapSet, weakSetAdd goja.Callable
	errorCtor                                                                 goja.Callable
	defineProperty, deleteProperty, setPrototypeOf, preventExtensions         goja.Callable
	regexpCtorObj, dataViewCtor, errorCtorObj, promiseCtor                    *goja.Object
}

// nameOf returns the path of intrinsic o, and whether o is one.
func (b *baseline) nameOf(o *goja.Object) (string, bool) {
	i, ok := b.index.get(unsafe.Pointer(o))
	if !ok {
		return "", false
	}
	return b.nameList[i], true
}

// name is nameOf without the test: "" for an object that is no intrinsic.
func (b *baseline) name(o *goja.Object) string {
	n, _ := b.nameOf(o)
	return n
}

// isIntrinsic tells whether o is one of the world's built-ins.
func (b *baseline) isIntrinsic(o *goja.Object) bool {
	_, ok := b.index.get(unsafe.Pointer(o))
	return ok
}

// object returns the intrinsic at path name, or nil. The table by name is
// made on the first call: a world that is only made, or only saved, never
// needs it.
func (b *baseline) object(name string) *goja.Object {
	b.byNameOnce.Do(func() {
		b.byNameMap = make(map[string]*goja.Object, len(b.objects))
		for i, o := range b.objects {
			b.byNameMap[b.nameList[i]] = o
		}
	})
	return b.byNameMap[name]
}

// propKey is the key of a property: a string, or a symbol.
type propKey struct {
	name unistring.String
	sym  *goja.Symbol
}

// value returns the key as JavaScript sees it.
func (k propKey) value(rt *goja.Runtime) goja.Value {
	if k.sym != nil {
		return k.sym
	}
	return rt.ToValue(k.name.String())
}

// String is the key as the built-ins' paths name it: a string as it is, a
// symbol in brackets ("[Symbol.iterator]").
func (k propKey) String() string {
	if k.sym != nil {
		return "[" + k.sym.String() + "]"
	}
	return k.name.String()
}

// keyOf makes the propKey of a JavaScript property key.
func keyOf(k goja.Value) propKey {
	if s, ok := k.(*goja.Symbol); ok {
		return propKey{sym: s}
	}
	return propKey{name: unistring.NewFromString(k.String())}
}

// propSnap is one own property of an intrinsic as it was when the world was made.
type propSnap struct {
	key          propKey
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

// newBaseline walks the built-ins breadth first from the global object
// (then from the seeds), each object's properties in the order of their
// keys, and names every object by the path that first reached it. The
// names are what images refer to built-ins by: the walk's order must not
// change.
func newBaseline(rt *goja.Runtime) (*baseline, error) {
	const n = 1024 // a fresh world of the CLI has about 800 intrinsics
	b := &baseline{
		rt: rt, index: newPtrTable(n),
		symName: map[*goja.Symbol]string{}, symByNm: map[string]*goja.Symbol{},
		live:    map[*goja.Object]bool{},
		objects: make([]*goja.Object, 0, n), nameList: make([]string, 0, n),
		props: make([][]propSnap, 0, n), proto: make([]*goja.Object, 0, n), ext: make([]bool, 0, n),
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
	b.objectKeys = fn("Object", "keys")
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

	// add names v, if it is an object or symbol not met before, by the
	// path parent + sep + key + suffix (the string is made only then).
	add := func(v goja.Value, parent, sep, key, suffix string) {
		switch x := v.(type) {
		case *goja.Object:
			if _, seen := b.index.getOrPut(unsafe.Pointer(x), uint32(len(b.objects))); !seen {
				b.objects = append(b.objects, x)
				b.nameList = append(b.nameList, parent+sep+key+suffix)
			}
		case *goja.Symbol:
			if _, seen := b.symName[x]; !seen {
				name := parent + sep + key + suffix
				b.symName[x] = name
				b.symByNm[name] = x
			}
		}
	}
	add(rt.GlobalObject(), "globalThis", "", "", "")
	seeds, err := rt.RunProgram(seedsProgram())
	if err != nil {
		return nil, fmt.Errorf("record built-ins: %w", err)
	}
	seedNames := []string{"%GeneratorFunction.prototype%", "%AsyncFunction.prototype%", "%GeneratorPrototype%",
		"%GeneratorFunction.prototype.prototype%", "%ArrayIteratorPrototype%", "%MapIteratorPrototype%",
		"%SetIteratorPrototype%", "%StringIteratorPrototype%", "%RegExpStringIteratorPrototype%",
		"%TypedArray%", "%AsyncArrowFunction.prototype%", "%IteratorPrototype%", "%ThrowTypeError%"}
	// The objects met are the queue: each is visited in the order it was
	// met, after all of those before it.
	var keys []string
	var order []int32
	for i := 0; i < len(b.objects) || seeds != nil; i++ {
		if i == len(b.objects) {
			arr := seeds.ToObject(rt)
			for k, n := range seedNames {
				add(arr.Get(strconv.Itoa(k)), n, "", "", "")
			}
			seeds = nil
			i--
			continue
		}
		o := b.objects[i]
		snaps, err := b.ownProps(o)
		if err != nil {
			return nil, fmt.Errorf("record built-ins: %s: %w", b.nameList[i], err)
		}
		po, ext := b.protoAndExtensible(o)
		b.props = append(b.props, snaps)
		b.proto = append(b.proto, po)
		b.ext = append(b.ext, ext)
		if po != nil {
			add(po, b.nameList[i], ".__proto__", "", "")
		}
		// Visit keys in sorted order so every runtime names objects alike.
		keys, order = keys[:0], order[:0]
		for k, s := range snaps {
			keys = append(keys, s.key.String())
			order = append(order, int32(k))
		}
		slices.SortStableFunc(order, func(x, y int32) int { return strings.Compare(keys[x], keys[y]) })
		for _, k := range order {
			s := &snaps[k]
			if s.accessor {
				add(s.get, b.nameList[i], ".", keys[k], "#get")
				add(s.set, b.nameList[i], ".", keys[k], "#set")
			} else {
				add(s.value, b.nameList[i], ".", keys[k], "")
			}
		}
	}
	b.typedArrayCtors = map[*goja.Object]bool{}
	for i, name := range b.nameList {
		if rest, ok := strings.CutPrefix(name, "globalThis."); ok {
			if typedArrayNames[rest] {
				b.typedArrayCtors[b.objects[i]] = true
			} else if rest == "stasis.args" {
				b.live[b.objects[i]] = true
			}
		}
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

// typedArrayNames are the typed array constructors, as globals.
var typedArrayNames = map[string]bool{"Int8Array": true, "Uint8Array": true, "Uint8ClampedArray": true,
	"Int16Array": true, "Uint16Array": true, "Int32Array": true, "Uint32Array": true, "Float32Array": true,
	"Float64Array": true, "BigInt64Array": true, "BigUint64Array": true}

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
	kind := heap.KindOf(o)
	if !storedProps(kind) {
		return nil, false
	}
	base := heap.BaseOf(o)
	// Some properties are made when first listed: all of a templated
	// built-in's (heap.Lazy), a function's prototype, an error's stack.
	// And goja moves integer keys first only when the keys are listed. Any
	// other object's storage holds its keys in the order JS lists them;
	// listing them is what the others need.
	lazy := heap.Lazy(o)
	switch {
	case lazy:
		// Object.keys makes a templated built-in's properties as
		// GetOwnPropertyNames does, and makes a string only of each
		// enumerable key (few: methods are not).
		if _, err := b.objectKeys(goja.Undefined(), o); err != nil {
			return nil, false
		}
	case (kind != heap.KindOrdinary && kind != heap.KindNative) || unsortedIndex(base):
		o.GetOwnPropertyNames()
	}
	if lazy {
		o.Symbols()
	}
	names, values := *base.PropNames(), *base.Values()
	out := make([]propSnap, 0, len(names)+symCount(base))
	for _, name := range names {
		v := values[name]
		if v == nil {
			return nil, false
		}
		out = append(out, snapOf(propKey{name: name}, v))
	}
	_ = (*base.SymValues()).ForEachEntry(func(key, v goja.Value) error {
		out = append(out, snapOf(keyOf(key), v))
		return nil
	})
	return out, true
}

// unsortedIndex tells whether a key that may be an array index was added
// to b since goja last ordered its keys (integer keys first, as JS lists
// them).
func unsortedIndex(b *heap.Base) bool {
	for _, name := range (*b.PropNames())[*b.LastSortedPropLen():] {
		if name != "" && name[0] >= '0' && name[0] <= '9' {
			return true
		}
	}
	return false
}

func symCount(b *heap.Base) int {
	if *b.SymValues() == nil {
		return 0
	}
	return *(*b.SymValues()).Size()
}

// snapOf describes a stored property: a plain value (all attributes true)
// or a property record.
func snapOf(key propKey, v goja.Value) propSnap {
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
			s := propSnap{key: keyOf(k),
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
