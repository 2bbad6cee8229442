package heap

import (
	"fmt"
	"reflect"
	"sync"
	"unsafe"

	"github.com/dop251/goja"
)

// placeholderProgram makes fresh function objects of each JS kind; their
// fields are then overwritten with the saved function's (see Rebuild).
// Only args names arguments: a function that does makes an arguments
// object on every call, and a load calls the maker once per function of
// the world (tens of thousands for TypeScript, whose load allocated a
// third fewer objects and a seventh fewer bytes without them). It is
// compiled when first needed, not when the process starts.
var placeholderProgram = sync.OnceValue(func() *goja.Program {
	return goja.MustCompile("<stasis-placeholder>", `(function () {
	function args(k) { return arguments }
	return function (k) {
	switch (k) {
	case 0: return function () {};
	case 1: return function* () {};
	case 2: return async function () {};
	case 3: return class {};
	case 4: return ({ m() {} }).m;
	case 5: return ({ *m() {} }).m;
	case 6: return ({ async m() {} }).m;
	case 7: return () => {};
	case 8: return async () => {};
	case 9: var a = []; a[1e9] = 0; a.length = 0; return a;
	case 10: return args(k);
	case 11: return (function* () {})();
	}
	}
})()`, false)
})

var placeholderIndex = map[Kind]int{
	KindFunction: 0, KindGeneratorFunction: 1, KindAsyncFunction: 2, KindClass: 3, KindMethod: 4,
	KindGeneratorMethod: 5, KindAsyncMethod: 6, KindArrow: 7, KindAsyncArrow: 8, KindSparseArray: 9, KindArguments: 10, KindGenerator: 11,
}

// FunctionFactory makes placeholder function objects in one runtime.
type FunctionFactory struct {
	rt   *goja.Runtime
	make goja.Callable
	args [12]goja.Value
	iter goja.Callable // makes built-in iterators (see NewIterator)
}

// NewFunctionFactory prepares a factory for rt.
func NewFunctionFactory(rt *goja.Runtime) (*FunctionFactory, error) {
	v, err := rt.RunProgram(placeholderProgram())
	if err != nil {
		return nil, err
	}
	fn, _ := goja.AssertFunction(v)
	f := &FunctionFactory{rt: rt, make: fn}
	for i := range f.args {
		f.args[i] = rt.ToValue(i)
	}
	return f, nil
}

// New returns a fresh object of kind k (a JS function kind, or a sparse
// array), to be filled by the caller through its mirrors.
func (f *FunctionFactory) New(k Kind) (*goja.Object, error) {
	i, ok := placeholderIndex[k]
	if !ok {
		return nil, fmt.Errorf("no placeholder for %s", k)
	}
	v, err := f.make(goja.Undefined(), f.args[i])
	if err != nil {
		return nil, err
	}
	return v.(*goja.Object), nil
}

// PrivateElementsOf returns the private elements of o by brand, or nil.
func PrivateElementsOf(o *goja.Object) map[*PrivateEnvType]*PrivateElements {
	b := BaseOf(o)
	if *b.PrivateElements() == nil {
		return nil
	}
	m := reflect.NewAt(reflect.MapOf(reflect.PointerTo(layout.types["privateEnvType"]), reflect.PointerTo(layout.types["privateElements"])), unsafe.Pointer(b.PrivateElements())).Elem()
	out := make(map[*PrivateEnvType]*PrivateElements, m.Len())
	it := m.MapRange()
	for it.Next() {
		out[(*PrivateEnvType)(it.Key().UnsafePointer())] = (*PrivateElements)(it.Value().UnsafePointer())
	}
	return out
}
