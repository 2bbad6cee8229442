package heap

import (
	"fmt"
	"reflect"
	"runtime"
	"sync"
	"unicode/utf16"
	"unsafe"
	"weak"

	"github.com/dop251/goja"
)

// Iterators. goja keeps a loop's iterator on the frame's iterator stack:
// for-of as an iteratorRecord (the iterator object and the Go function
// goja took from its next method), for-in as an opaque Go function that
// yields the keys still to visit; a generator inside yield* keeps the
// delegate's record apart. The built-in iterator objects (Array, Map, Set,
// String, RegExp-string) keep their position in Go fields. This file reads
// and rebuilds all of them (see GOJA-INTERNALS §12).

// IteratorRecord mirrors goja's iteratorRecord.
type IteratorRecord struct{ _ noCopy }

var (
	iteratorRecordIterator = need[*goja.Object]("iteratorRecord", "iterator")
	iteratorRecordNext     = need[func(goja.FunctionCall) goja.Value]("iteratorRecord", "next")
)

// Iterator is the iterator object (nil: a closed record).
func (x *IteratorRecord) Iterator() **goja.Object {
	return iteratorRecordIterator.in(unsafe.Pointer(x))
}

// Next is the Go function goja took from the iterator's next method.
func (x *IteratorRecord) Next() *func(goja.FunctionCall) goja.Value {
	return iteratorRecordNext.in(unsafe.Pointer(x))
}

// ArrayIter mirrors goja's arrayIterObject (also typed arrays' iterators).
type ArrayIter struct{ Base }

var (
	arrayIterObj     = need[*goja.Object]("arrayIterObject", "obj")
	arrayIterNextIdx = need[int64]("arrayIterObject", "nextIdx")
	arrayIterKind    = need[int]("arrayIterObject", "kind")
)

// Obj is the array iterated (nil once done).
func (x *ArrayIter) Obj() **goja.Object { return arrayIterObj.in(unsafe.Pointer(x)) }

// NextIdx is the index of the next element.
func (x *ArrayIter) NextIdx() *int64 { return arrayIterNextIdx.in(unsafe.Pointer(x)) }

// Kind is 0 for keys, 1 for values, 2 for entries.
func (x *ArrayIter) Kind() *int { return arrayIterKind.in(unsafe.Pointer(x)) }

// MapIter mirrors goja's mapIterObject and setIterObject.
type MapIter struct{ Base }

var (
	mapIterIter = need[*OrderedMapIter]("mapIterObject", "iter")
	mapIterKind = need[int]("mapIterObject", "kind")
)

// Iter is the position (nil once done).
func (x *MapIter) Iter() **OrderedMapIter { return mapIterIter.in(unsafe.Pointer(x)) }

// Kind is what the iterator yields (goja's iterationKind).
func (x *MapIter) Kind() *int { return mapIterKind.in(unsafe.Pointer(x)) }

// OrderedMapIter mirrors goja's orderedMapIter.
type OrderedMapIter struct{ _ noCopy }

var (
	orderedMapIterM   = need[*OrderedMap]("orderedMapIter", "m")
	orderedMapIterCur = need[*MapEntry]("orderedMapIter", "cur")
)

// M is the map iterated (nil once closed).
func (x *OrderedMapIter) M() **OrderedMap { return orderedMapIterM.in(unsafe.Pointer(x)) }

// Cur is the entry returned last (nil before the first).
func (x *OrderedMapIter) Cur() **MapEntry { return orderedMapIterCur.in(unsafe.Pointer(x)) }

// StringIter mirrors goja's stringIterObject.
type StringIter struct{ Base }

var (
	stringIterReader = need[iface]("stringIterObject", "reader")
)

// Reader is its io.RuneReader (nil once done).
func (x *StringIter) Reader() *iface { return stringIterReader.in(unsafe.Pointer(x)) }

// RegExpStringIter mirrors goja's regExpStringIterObject (from matchAll).
type RegExpStringIter struct{ Base }

var (
	regExpStringIterMatcher     = need[*goja.Object]("regExpStringIterObject", "matcher")
	regExpStringIterS           = need[goja.String]("regExpStringIterObject", "s")
	regExpStringIterGlobal      = need[bool]("regExpStringIterObject", "global")
	regExpStringIterFullUnicode = need[bool]("regExpStringIterObject", "fullUnicode")
	regExpStringIterDone        = need[bool]("regExpStringIterObject", "done")
)

// Matcher is the RegExp matching.
func (x *RegExpStringIter) Matcher() **goja.Object {
	return regExpStringIterMatcher.in(unsafe.Pointer(x))
}

// S is the string matched.
func (x *RegExpStringIter) S() *goja.String { return regExpStringIterS.in(unsafe.Pointer(x)) }

// Global is the RegExp's global flag.
func (x *RegExpStringIter) Global() *bool { return regExpStringIterGlobal.in(unsafe.Pointer(x)) }

// FullUnicode is the RegExp's unicode flag.
func (x *RegExpStringIter) FullUnicode() *bool {
	return regExpStringIterFullUnicode.in(unsafe.Pointer(x))
}

// Done is whether the iterator has run out.
func (x *RegExpStringIter) Done() *bool { return regExpStringIterDone.in(unsafe.Pointer(x)) }

// IterKind tells the built-in iterator kinds apart.
type IterKind uint8

// The built-in iterator kinds.
const (
	IterArray IterKind = iota
	IterMap
	IterSet
	IterString
	IterRegExpString
	NumIterKinds // the number of kinds
)

var iterTypeNames = map[string]IterKind{
	"*goja.arrayIterObject": IterArray, "*goja.mapIterObject": IterMap, "*goja.setIterObject": IterSet,
	"*goja.stringIterObject": IterString, "*goja.regExpStringIterObject": IterRegExpString,
}

// IterKindOf returns the kind of a built-in iterator object (KindIterator).
func IterKindOf(o *goja.Object) IterKind { return iterTypeNames[GoTypeName(o)] }

// ArrayIterOf returns o's arrayIterObject.
func ArrayIterOf(o *goja.Object) *ArrayIter { return (*ArrayIter)(impl(o)) }

// MapIterOf returns o's mapIterObject or setIterObject.
func MapIterOf(o *goja.Object) *MapIter { return (*MapIter)(impl(o)) }

// RegExpStringIterOf returns o's regExpStringIterObject.
func RegExpStringIterOf(o *goja.Object) *RegExpStringIter { return (*RegExpStringIter)(impl(o)) }

// StringIterDone reports whether a String iterator has run out.
func StringIterDone(o *goja.Object) bool { return (*StringIter)(impl(o)).Reader().tab == nil }

// SetStringIterDone makes a String iterator one that has run out.
func SetStringIterDone(o *goja.Object) { *(*StringIter)(impl(o)).Reader() = iface{} }

// StringIterRest returns the UTF-16 code units a String iterator has still
// to read: an iterator made on them behaves as o does from now on.
func StringIterRest(o *goja.Object) ([]uint16, error) {
	r := field(gojaValue((*StringIter)(impl(o))), "reader")
	if r.IsNil() {
		return nil, nil
	}
	dec := r.Elem()
	if dec.Type().String() != "*goja.lenientUtf16Decoder" {
		return nil, fmt.Errorf("string iterator reads through %s", dec.Type())
	}
	var out []uint16
	if field(dec, "prevSet").Bool() {
		out = append(out, uint16(field(dec, "prev").Uint()))
	}
	ur := field(dec, "utf16Reader").Elem()
	pos := int(field(ur, "pos").Int())
	s := field(ur, "s")
	switch ur.Type().String() {
	case "*goja.asciiUtf16Reader":
		str := s.String()
		for i := pos; i < len(str); i++ {
			out = append(out, uint16(str[i]))
		}
	case "*goja.utf16RuneReader":
		for i := pos; i < s.Len(); i++ {
			out = append(out, uint16(s.Index(i).Uint()))
		}
	case "*goja.stringUtf16Reader":
		if second := field(ur, "second").Uint(); second != 0 {
			out = append(out, uint16(second))
		}
		str := s.String()
		out = append(out, utf16.Encode([]rune(str[min(pos, len(str)):]))...)
	default:
		return nil, fmt.Errorf("string iterator reads through %s", ur.Type())
	}
	return out, nil
}

// MapPosition returns how far a Map or Set iterator has gone: the number of
// live entries before the one it returns next (0 before the first). Like
// goja's own next, it steps back over entries deleted since it returned them.
func MapPosition(it *OrderedMapIter) int {
	cur := *it.Cur()
	for cur != nil && *cur.Key() == nil {
		cur = *cur.IterPrev()
	}
	if cur == nil {
		return 0
	}
	n := 1
	for e := *(*it.M()).IterFirst(); e != nil && e != cur; e = *e.IterNext() {
		n++
	}
	return n
}

// MapIterRest returns the entries a Map or Set iterator (o, of KindIterator
// and IterMap or IterSet) has still to give, in order, without moving it:
// each entry's key and value (a Set's value is its key). yields is what the
// iterator gives of each: 0 the key, 1 the value, 2 both (goja's
// iterationKind).
func MapIterRest(o *goja.Object) (keys, values []goja.Value, yields int) {
	m := MapIterOf(o)
	yields = *m.Kind()
	it := *m.Iter()
	if it == nil || *it.M() == nil {
		return nil, nil, yields
	}
	// Where goja's next goes on from: after the last entry given that is
	// still in the map, or from the first.
	cur := *it.Cur()
	for cur != nil && *cur.Key() == nil {
		cur = *cur.IterPrev()
	}
	e := *(*it.M()).IterFirst()
	if cur != nil {
		e = *cur.IterNext()
	}
	set := IterKindOf(o) == IterSet
	for ; e != nil; e = *e.IterNext() {
		k := *e.Key()
		if k == nil {
			continue
		}
		keys = append(keys, k)
		if set {
			values = append(values, k)
		} else {
			values = append(values, *e.Value())
		}
	}
	return keys, values, yields
}

// NewMapIter makes a Map or Set iterator state over m that has returned
// pos live entries (see MapPosition); false if m has fewer.
func NewMapIter(m *OrderedMap, pos int) (*OrderedMapIter, bool) {
	it := newOf[OrderedMapIter]()
	*it.M() = m
	for e := *m.IterFirst(); pos > 0; pos-- {
		if e == nil {
			return nil, false
		}
		*it.Cur(), e = e, *e.IterNext()
	}
	return it, true
}

// NewIteratorRecord allocates a goja iteratorRecord.
func NewIteratorRecord(iterator *goja.Object, next func(goja.FunctionCall) goja.Value) *IteratorRecord {
	r := newOf[IteratorRecord]()
	*r.Iterator(), *r.Next() = iterator, next
	return r
}

// Go function values are pointers to a closure: its first word is the code,
// then the captured words. A method value (f.Call) captures its receiver.
func funcWords(f unsafe.Pointer) *[2]unsafe.Pointer { return (*[2]unsafe.Pointer)(f) }

func funcPtr[F any](f F) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&f)) }

// jsCallCodes holds the code of the method values goja stores as the
// callable of a JavaScript function ((*baseJsFuncObject).Call and the like),
// found on samples by checkIterLayout.
var jsCallCodes = map[unsafe.Pointer]bool{}

// enumNextCode is the code of for-in's opaque next function, a method
// value on goja's enumerableIter, whose first field is the enumerated object.
var enumNextCode unsafe.Pointer

// CallableOwner returns the JavaScript function object whose call f is,
// or nil when f is not a JavaScript function's callable.
func CallableOwner(f func(goja.FunctionCall) goja.Value) *goja.Object {
	if f == nil {
		return nil
	}
	w := funcWords(funcPtr(f))
	if !jsCallCodes[w[0]] {
		return nil
	}
	return *(*Base)(w[1]).Val()
}

// Callable returns the Go function goja calls for the function object o
// (what getIterator stores as a record's next), or false if o is not a
// function goja calls that way.
func Callable(o *goja.Object) (func(goja.FunctionCall) goja.Value, bool) {
	switch k := KindOf(o); {
	case k == KindNative && GoTypeName(o) != "*goja.nativeFuncObject":
		return nil, false // a lazily built intrinsic exports itself otherwise
	case k.IsJSFunction() && k != KindClass, k == KindNative, k == KindBound:
		f, ok := o.Export().(func(goja.FunctionCall) goja.Value)
		return f, ok && f != nil
	}
	return nil, false
}

// IsCallable reports whether o's callable is f.
func IsCallable(o *goja.Object, f func(goja.FunctionCall) goja.Value) bool {
	g, ok := Callable(o)
	if !ok || f == nil {
		return false
	}
	if funcPtr(g) == funcPtr(f) {
		return true
	}
	a, b := funcWords(funcPtr(g)), funcWords(funcPtr(f))
	return jsCallCodes[a[0]] && *a == *b
}

// for-in: a loop's next function is replaced by one that yields saved keys.

// forIn is the state of a replacement for-in next function.
type forIn struct {
	obj  *goja.Object
	keys []goja.Value
	pos  int
	has  func(o *goja.Object, key goja.Value) bool
	err  any // what the original panicked with after keys, if anything
	self reflect.Value
}

// forIns finds the state of replacement functions by their closure pointer.
var forIns sync.Map // uintptr -> weak.Pointer[forIn]

// ForInKeys returns the object a for-in loop enumerates and the keys it
// has still to visit, in order. It runs the loop's next function dry (goja
// keeps its state in Go closures), so it replaces it in item with one that
// yields the same keys; has, called before each key, tells whether the key
// is still there (a key deleted before it is visited is not visited).
func ForInKeys(item *IterStackItem, has func(o *goja.Object, key goja.Value) bool) (*goja.Object, []goja.Value, error) {
	if *item.F() == nil {
		return nil, nil, nil
	}
	if wp, ok := forIns.Load(uintptr(*item.F())); ok {
		if st := wp.(weak.Pointer[forIn]).Value(); st != nil && st.err == nil {
			return st.obj, append([]goja.Value(nil), st.keys[st.pos:]...), nil
		}
	}
	var obj *goja.Object
	if w := funcWords(*item.F()); w[0] == enumNextCode {
		obj = *(**goja.Object)(w[1])
	}
	t := layout.types["iterNextFunc"]
	f := reflect.NewAt(t, unsafe.Pointer(item.F())).Elem()
	var keys []goja.Value
	var failed any
	func() {
		defer func() { failed = recover() }()
		for !f.IsNil() {
			out := f.Call(nil)
			if out[1].IsNil() {
				break
			}
			it := reflect.New(out[0].Type()).Elem()
			it.Set(out[0])
			keys = append(keys, *(*goja.Value)(unsafe.Pointer(it.UnsafeAddr())))
			f = out[1]
		}
	}()
	*item.F() = NewForIn(obj, keys, has, failed)
	if failed != nil {
		return nil, nil, fmt.Errorf("enumerating its keys threw: %v", failed)
	}
	return obj, keys, nil
}

// NewForIn makes a for-in next function that yields keys of o (each if has
// says it is still there), then panics with err if err is not nil.
func NewForIn(o *goja.Object, keys []goja.Value, has func(o *goja.Object, key goja.Value) bool, err any) unsafe.Pointer {
	t := layout.types["iterNextFunc"]
	itemType := t.Out(0)
	st := &forIn{obj: o, keys: keys, has: has, err: err}
	done := []reflect.Value{reflect.Zero(itemType), reflect.Zero(t)}
	st.self = reflect.MakeFunc(t, func([]reflect.Value) []reflect.Value {
		for st.pos < len(st.keys) {
			k := st.keys[st.pos]
			st.pos++
			if st.obj != nil && st.has != nil && !st.has(st.obj, k) {
				continue
			}
			it := reflect.New(itemType).Elem()
			*(*goja.Value)(unsafe.Pointer(it.UnsafeAddr())) = k
			return []reflect.Value{it, st.self}
		}
		if st.err != nil {
			e := st.err
			st.err = nil
			panic(e)
		}
		return done
	})
	holder := reflect.New(t)
	holder.Elem().Set(st.self)
	p := *(*unsafe.Pointer)(holder.UnsafePointer())
	wp := weak.Make(st)
	forIns.Store(uintptr(p), wp)
	runtime.AddCleanup(st, func(c forInKey) { forIns.CompareAndDelete(c.p, c.wp) }, forInKey{uintptr(p), wp})
	return p
}

type forInKey struct {
	p  uintptr
	wp weak.Pointer[forIn]
}

// iterTypes adds the built-in iterator types, which no sample of
// layout.go reaches, to the types whose fields are looked up; arr is what
// iterSamples made.
func iterTypes(arr *goja.Object, into map[string]reflect.Type) error {
	for i := 0; i < 5; i++ {
		collectTypes(reflect.ValueOf(arr.Get(fmt.Sprint(i)).(*goja.Object)).Elem().FieldByName("self").Elem().Type(), into)
	}
	return nil
}

// checkIterLayout checks the iterators and finds the closure layouts this
// file relies on, on samples (arr, what iterSamples made).
func checkIterLayout(st *layoutState, arr *goja.Object) error {
	get := func(i int) *goja.Object { return arr.Get(fmt.Sprint(i)).(*goja.Object) }
	names := []string{"arrayIterObject", "mapIterObject", "setIterObject", "stringIterObject", "regExpStringIterObject"}
	for i, name := range names {
		t := reflect.ValueOf(get(i)).Elem().FieldByName("self").Elem().Type()
		if t.String() != "*goja."+name {
			return fmt.Errorf("iterator sample %d is %s, want *goja.%s", i, t, name)
		}
	}
	_, nf, err := locate(st.types["iterStackItem"], "f")
	if err != nil {
		return fmt.Errorf("iterStackItem: %v", err)
	}
	st.types["iterNextFunc"] = nf
	if nf.Kind() != reflect.Func || nf.NumIn() != 0 || nf.NumOut() != 2 || nf.Out(1) != nf {
		return fmt.Errorf("iterNextFunc is %s", nf)
	}
	if item := nf.Out(0); item.Kind() != reflect.Struct || item.Field(0).Name != "name" || item.Field(0).Type != reflect.TypeOf((*goja.Value)(nil)).Elem() {
		return fmt.Errorf("propIterItem is %s", item)
	}
	// JavaScript functions: goja's callable is a method value on the object.
	for i := 5; i < 13; i++ {
		o := get(i)
		f, ok := o.Export().(func(goja.FunctionCall) goja.Value)
		if !ok {
			return fmt.Errorf("function sample %d exports %T", i, o.Export())
		}
		w := funcWords(funcPtr(f))
		if w[1] != impl(o) {
			return fmt.Errorf("function sample %d: its callable does not hold the function", i)
		}
		jsCallCodes[w[0]] = true
	}
	// Generators suspended in for-of (over an array, over a JS iterator),
	// in for-in and in yield*.
	gen := func(i int) *GeneratorObject { return GeneratorOf(get(i)) }
	forOf := gen(13).Gen().Ctx().IterStack()
	if forOf.Len() != 1 || *forOf.At(0).Iter() == nil || *forOf.At(0).F() != nil || *(*forOf.At(0).Iter()).Iterator() == nil {
		return fmt.Errorf("generator in for-of keeps no iterator record")
	}
	next, ok := Callable((*(*forOf.At(0).Iter()).Iterator()).Get("next").(*goja.Object))
	if !ok || funcPtr(next) != funcPtr(*(*forOf.At(0).Iter()).Next()) {
		return fmt.Errorf("a for-of record's next is not the iterator's next")
	}
	own := gen(14).Gen().Ctx().IterStack()
	if own.Len() != 1 || *own.At(0).Iter() == nil || CallableOwner(*(*own.At(0).Iter()).Next()) != get(17).Get("next") {
		return fmt.Errorf("a for-of record's JavaScript next is not found")
	}
	forIn := gen(15).Gen().Ctx().IterStack()
	if forIn.Len() != 1 || *forIn.At(0).F() == nil || *forIn.At(0).Iter() != nil {
		return fmt.Errorf("generator in for-in keeps no next function")
	}
	w := funcWords(*forIn.At(0).F())
	if *(**goja.Object)(w[1]) != get(18) {
		return fmt.Errorf("for-in's next function does not hold the enumerated object")
	}
	enumNextCode = w[0]
	if d := *gen(16).Delegated(); d == nil || *d.Iterator() == nil || *d.Next() == nil {
		return fmt.Errorf("generator in yield* keeps no delegate")
	}
	return nil
}

const iterSamples = `(function () {
	function* forOf(it) { for (const x of it) yield x }
	function* forIn(o) { for (const k in o) yield k }
	function* star() { yield* [1, 2] }
	var own = { n: 0, [Symbol.iterator]() { return this }, next() { return { value: this.n++, done: this.n > 3 } } };
	var keys = { a: 1, b: 2 };
	var a = forOf([1, 2]), b = forOf(own), c = forIn(keys), d = star();
	a.next(); b.next(); c.next(); d.next();
	return [[][Symbol.iterator](), new Map().entries(), new Set().values(), ""[Symbol.iterator](), /a/g[Symbol.matchAll](""),
		function () {}, () => {}, async function () {}, async () => {}, ({ m() {} }).m, ({ async m() {} }).m,
		function* () {}, ({ *m() {} }).m,
		a, b, c, d, own, keys];
})()`

// iterPlaceholders makes a fresh built-in iterator of each kind; its
// position is then set through the mirrors. A String iterator is made on
// the code units it has still to read.
var iterPlaceholders = sync.OnceValue(func() *goja.Program {
	return goja.MustCompile("<stasis-iterators>", `(function (k, s) {
	switch (k) {
	case 0: return [][Symbol.iterator]();
	case 1: return new Map().entries();
	case 2: return new Set().values();
	case 3: return String.prototype[Symbol.iterator].call(s === undefined ? "" : s);
	case 4: return /a/g[Symbol.matchAll]("");
	}
})`, false)
})

// NewIterator returns a fresh built-in iterator of kind k, to be filled by
// the caller through its mirror; a String iterator reads s.
func (f *FunctionFactory) NewIterator(k IterKind, s goja.Value) (*goja.Object, error) {
	if f.iter == nil {
		v, err := f.rt.RunProgram(iterPlaceholders())
		if err != nil {
			return nil, err
		}
		f.iter, _ = goja.AssertFunction(v)
	}
	v, err := f.iter(goja.Undefined(), f.rt.ToValue(int(k)), s)
	if err != nil {
		return nil, err
	}
	o, ok := v.(*goja.Object)
	if !ok || KindOf(o) != KindIterator || IterKindOf(o) != k {
		return nil, fmt.Errorf("iterator placeholder %d is not one", k)
	}
	return o, nil
}

// ReserveTryStack gives the runtime's try stack room for n frames. When a
// generator's return() leaves a loop inside try/finally, goja keeps a
// pointer into that stack while it calls the loop iterator's return method
// (generator.enterNextFinallyFrame); if that call grows the stack, the
// pointer goes stale and the return value is lost. A world resumed from an
// image starts with a small stack, so without room it would behave
// differently from the world that was saved.
func ReserveTryStack(rt *goja.Runtime, n int) {
	ts := field(field(reflect.ValueOf(rt), "vm"), "tryStack")
	if ts.Cap() >= n {
		return
	}
	grown := reflect.MakeSlice(ts.Type(), ts.Len(), n)
	reflect.Copy(grown, ts)
	ts.Set(grown)
}
