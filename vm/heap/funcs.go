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

// batchProgram makes n fresh function objects of one JS kind (the kinds
// 0 to 8 of placeholderProgram) in one call: a load makes thousands of
// them, and a call from Go into JavaScript costs more than making one.
// They are made as placeholderProgram makes them (by the same function
// expressions, which no name is inferred for), only in a loop. The loops'
// bodies are blocks: older gojas (v0.0.0-20250630… among them) refuse a class
// expression as the body statement without braces (`for (...) a[i] = class {}`).
var batchProgram = sync.OnceValue(func() *goja.Program {
	return goja.MustCompile("<stasis-placeholders>", `(function (k, n) {
	var a = new Array(n), i;
	switch (k) {
	case 0: for (i = 0; i < n; i++) { a[i] = function () {}; } break;
	case 1: for (i = 0; i < n; i++) { a[i] = function* () {}; } break;
	case 2: for (i = 0; i < n; i++) { a[i] = async function () {}; } break;
	case 3: for (i = 0; i < n; i++) { a[i] = class {}; } break;
	case 4: for (i = 0; i < n; i++) { a[i] = ({ m() {} }).m; } break;
	case 5: for (i = 0; i < n; i++) { a[i] = ({ *m() {} }).m; } break;
	case 6: for (i = 0; i < n; i++) { a[i] = ({ async m() {} }).m; } break;
	case 7: for (i = 0; i < n; i++) { a[i] = () => {}; } break;
	case 8: for (i = 0; i < n; i++) { a[i] = async () => {}; } break;
	}
	return a;
})`, false)
})

// batchKinds is the number of kinds batchProgram makes (0 to 8), and
// batchMin and batchMax bound the size of a batch: each batch of a kind is
// twice the last, so that at most about half of the last one is wasted.
const batchKinds, batchMin, batchMax = 9, 8, 1024

var placeholderIndex = map[Kind]int{
	KindFunction: 0, KindGeneratorFunction: 1, KindAsyncFunction: 2, KindClass: 3, KindMethod: 4,
	KindGeneratorMethod: 5, KindAsyncMethod: 6, KindArrow: 7, KindAsyncArrow: 8, KindSparseArray: 9, KindArguments: 10, KindGenerator: 11,
}

// FunctionFactory makes placeholder function objects in one runtime.
type FunctionFactory struct {
	rt    *goja.Runtime
	make  goja.Callable
	args  [12]goja.Value
	iter  goja.Callable // makes built-in iterators (see NewIterator)
	batch goja.Callable // batchProgram's function, made when first needed
	// ready holds, per function kind, objects made by the last batch and
	// not yet handed out; last is the size of that batch.
	ready [batchKinds][]goja.Value
	last  [batchKinds]int
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
	if i < batchKinds {
		if len(f.ready[i]) == 0 {
			if err := f.fill(i); err != nil {
				return nil, err
			}
		}
		o := f.ready[i][0].(*goja.Object)
		f.ready[i][0] = nil
		f.ready[i] = f.ready[i][1:]
		return o, nil
	}
	v, err := f.make(goja.Undefined(), f.args[i])
	if err != nil {
		return nil, err
	}
	return v.(*goja.Object), nil
}

// fill makes the next batch of function objects of placeholder kind i.
func (f *FunctionFactory) fill(i int) error {
	if f.batch == nil {
		v, err := f.rt.RunProgram(batchProgram())
		if err != nil {
			return err
		}
		f.batch, _ = goja.AssertFunction(v)
	}
	n := min(max(2*f.last[i], batchMin), batchMax)
	v, err := f.batch(goja.Undefined(), f.args[i], f.rt.ToValue(n))
	if err != nil {
		return err
	}
	arr, ok := v.(*goja.Object)
	if !ok || KindOf(arr) != KindArray || len(*ArrayOf(arr).Values()) != n {
		return fmt.Errorf("placeholder batch of kind %d is not an array of %d", i, n)
	}
	f.ready[i], f.last[i] = *ArrayOf(arr).Values(), n
	return nil
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
