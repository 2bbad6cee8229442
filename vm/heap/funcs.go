package heap

import (
	"fmt"
	"reflect"
	"strconv"
	"sync"
	"unsafe"

	"github.com/dop251/goja"
)

// placeholderProgram makes fresh objects of the kinds a load cannot make
// in Go: sparse arrays, arguments objects and generators; their fields are
// then overwritten with the saved object's. Only args names arguments: a
// function that does makes an arguments object on every call. It is
// compiled when first needed, not when the process starts.
var placeholderProgram = sync.OnceValue(func() *goja.Program {
	return goja.MustCompile("<stasis-placeholder>", `(function () {
	function args(k) { return arguments }
	return function (k) {
	switch (k) {
	case 9: var a = []; a[1e9] = 0; a.length = 0; return a;
	case 10: return args(k);
	case 11: return (function* () {})();
	}
	}
})()`, false)
})

// funcKinds is the number of function kinds New makes in Go (the kinds
// 0 to 8 of placeholderIndex).
const funcKinds = 9

var placeholderIndex = map[Kind]int{
	KindFunction: 0, KindGeneratorFunction: 1, KindAsyncFunction: 2, KindClass: 3, KindMethod: 4,
	KindGeneratorMethod: 5, KindAsyncMethod: 6, KindArrow: 7, KindAsyncArrow: 8, KindSparseArray: 9, KindArguments: 10, KindGenerator: 11,
}

// funcImpl is what New needs to make a function object of one kind without
// running JavaScript: goja's struct for the kind, the interface table of a
// pointer to it as goja's object implementation, and its class name. The
// layout check finds them on its samples (checkFuncImpls).
type funcImpl struct {
	typ   reflect.Type
	tab   unsafe.Pointer
	class string
	// whole is what New allocates: a goja.Object, the struct (at implOff)
	// and a spare valueProperty (at spareOff, see SpareProperty).
	whole             reflect.Type
	implOff, spareOff uintptr
}

var funcImpls [funcKinds]funcImpl

// funcFieldsSet lists every field of goja's function structs (through the
// structs they embed) and who sets it on an object New made: New itself
// ("new"), or the loader, which gives every function of an image its
// prototype, properties and extensibility (image's fillProperties), its
// kind's state (fillFunction), and symbol properties and private elements
// where it has them (nil otherwise, as goja leaves them). A field not
// listed here, in a newer goja, makes the layout check refuse: New would
// leave it zero where goja's constructor might not.
var funcFieldsSet = map[string]string{
	// Extensible as goja makes it (the loader's symbol properties are
	// defined before it sets the saved extensibility).
	"class": "new", "val": "new", "extensible": "new", "prototype": "loader",
	"values": "loader", "propNames": "loader", "lastSortedPropLen": "loader", "idxPropCount": "loader",
	"symValues": "loader", "privateElements": "loader",
	// The length property: goja's constructor puts it in values; the
	// loader puts it back there (an "interior" property) with its saved
	// attributes and value, or leaves it out if the saved function had none.
	"lenProp": "loader",
	"stash":   "loader", "privEnv": "loader", "prg": "loader", "src": "loader", "strict": "loader",
	"initFields": "loader", "computedKeys": "loader", "privateEnvType": "loader", "privateMethods": "loader",
	"derived": "loader", "homeObject": "loader", "funcObj": "loader", "newTarget": "loader",
}

// checkFuncImpls records funcImpls from the samples of each function kind
// (samplesScript's objects 3 to 11, in placeholderIndex's order), and checks
// that New and the loader between them set every field of their structs.
func checkFuncImpls(samples *goja.Object) error {
	for i := range funcImpls {
		o := samples.Get(strconv.Itoa(i + 3)).(*goja.Object)
		if j, ok := placeholderIndex[KindOf(o)]; !ok || j != i {
			return fmt.Errorf("function sample %d is a %s", i+3, KindOf(o))
		}
		t := reflect.ValueOf(o).Elem().FieldByName("self").Elem().Type()
		if err := knownFields(t.Elem()); err != nil {
			return fmt.Errorf("%s: %v", t.Elem().Name(), err)
		}
		whole := reflect.StructOf([]reflect.StructField{
			{Name: "O", Type: reflect.TypeFor[goja.Object]()},
			{Name: "F", Type: t.Elem()},
			{Name: "P", Type: layout.types["valueProperty"]},
		})
		funcImpls[i] = funcImpl{typ: t.Elem(), tab: self(o).tab, class: *BaseOf(o).Class(),
			whole: whole, implOff: whole.Field(1).Offset, spareOff: whole.Field(2).Offset}
	}
	return nil
}

// knownFields checks that funcFieldsSet lists every field of struct t,
// looking through embedded structs.
func knownFields(t reflect.Type) error {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			if err := knownFields(f.Type); err != nil {
				return err
			}
			continue
		}
		if _, ok := funcFieldsSet[f.Name]; !ok {
			return fmt.Errorf("field %s.%s is not one that the loader sets", t.Name(), f.Name)
		}
	}
	return nil
}

// FunctionFactory makes placeholder objects in one runtime.
type FunctionFactory struct {
	rt   *goja.Runtime
	make goja.Callable // placeholderProgram's function, made when first needed
	args [12]goja.Value
	iter goja.Callable // makes built-in iterators (see NewIterator)
	// obj is a goja.Object of rt that was never used (so it has no
	// identity yet: older gojas number objects when first hashed): a new
	// function's Object is a copy of it, with its own implementation.
	obj goja.Object
}

// NewFunctionFactory prepares a factory for rt.
func NewFunctionFactory(rt *goja.Runtime) (*FunctionFactory, error) {
	return &FunctionFactory{rt: rt, obj: *rt.NewObject()}, nil
}

// New returns a fresh object of kind k (a JS function kind, or a sparse
// array, an arguments object or a generator), to be filled by the caller
// through its mirrors. A function is made in Go, empty: its struct zeroed
// but for its class, its object and its extensibility; goja's constructor
// would also have given it a prototype, name and length properties and
// strictness: the loader sets all of those (see funcFieldsSet), and making
// them first was most of the cost of a function (a map and two properties).
// A function's goja.Object, its struct and a spare property record for
// its name (SpareProperty) are one allocation: goja never gives a
// function another implementation, so none of the three outlives the
// others but for a property record a later definition replaced, which
// stays allocated (40 bytes) while the function lives.
func (f *FunctionFactory) New(k Kind) (*goja.Object, error) {
	i, ok := placeholderIndex[k]
	if !ok {
		return nil, fmt.Errorf("no placeholder for %s", k)
	}
	if i < funcKinds {
		fi := &funcImpls[i]
		w := reflect.New(fi.whole).UnsafePointer()
		p := unsafe.Add(w, fi.implOff)
		o := (*goja.Object)(w)
		*o = f.obj
		*self(o) = iface{tab: fi.tab, data: p}
		b := (*Base)(p)
		*b.Class() = fi.class
		*b.Val() = o
		*b.Extensible() = true
		return o, nil
	}
	if f.make == nil {
		v, err := f.rt.RunProgram(placeholderProgram())
		if err != nil {
			return nil, err
		}
		f.make, _ = goja.AssertFunction(v)
		for j := range f.args {
			f.args[j] = f.rt.ToValue(j)
		}
	}
	v, err := f.make(goja.Undefined(), f.args[i])
	if err != nil {
		return nil, err
	}
	return v.(*goja.Object), nil
}

// SpareProperty returns the spare property record of a function New made
// (of kind k), as a goja.Value and its mirror, for the caller to fill and
// put in the function's property map (its name). Each call returns the
// same record: the caller takes it once. ok is false for any other object.
func SpareProperty(o *goja.Object, k Kind) (v goja.Value, p *ValueProperty, ok bool) {
	i, known := placeholderIndex[k]
	if !known || i >= funcKinds {
		return nil, nil, false
	}
	fi := &funcImpls[i]
	w := unsafe.Pointer(o)
	// Compared as numbers: for another object, w plus the offset is no
	// pointer into it.
	if s := self(o); s.tab != fi.tab || uintptr(s.data) != uintptr(w)+fi.implOff {
		return nil, nil, false // not a function of kind k made by New
	}
	sp := unsafe.Add(w, fi.spareOff)
	*(*iface)(unsafe.Pointer(&v)) = iface{tab: valuePropertyTab, data: sp}
	return v, (*ValueProperty)(sp), true
}

// PrivateElementsOf returns the private elements of o by brand, or nil:
// goja's own map, which the caller must not change.
func PrivateElementsOf(o *goja.Object) map[*PrivateEnvType]*PrivateElements {
	b := BaseOf(o)
	if *b.PrivateElements() == nil {
		return nil
	}
	if pm := privateMap(b); pm != nil {
		return *pm
	}
	m := reflect.NewAt(reflect.MapOf(reflect.PointerTo(layout.types["privateEnvType"]), reflect.PointerTo(layout.types["privateElements"])), unsafe.Pointer(b.PrivateElements())).Elem()
	out := make(map[*PrivateEnvType]*PrivateElements, m.Len())
	it := m.MapRange()
	for it.Next() {
		out[(*PrivateEnvType)(it.Key().UnsafePointer())] = (*PrivateElements)(it.Value().UnsafePointer())
	}
	return out
}
