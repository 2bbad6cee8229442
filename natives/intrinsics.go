package natives

import (
	"fmt"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm"
)

// intrinsics are built-ins that the plugins use from Go, captured when the
// first plugin is installed (before user code can replace the globals).
type intrinsics struct {
	errorCtor      goja.Constructor
	syntaxErrCtor  goja.Constructor
	rangeErrCtor   goja.Constructor
	uint8ArrayCtor goja.Constructor
	promiseCtor    *goja.Object
	isView         goja.Callable
	promiseThen    goja.Callable
	jsonParse      goja.Callable
	objectProto    *goja.Object
	arrayBuffer    *goja.Object
}

type intrinsicsKey struct{}

func intrinsicsOf(v *vm.VM) *intrinsics {
	if in, ok := v.Attachment(intrinsicsKey{}).(*intrinsics); ok {
		return in
	}
	rt := v.Runtime()
	get := func(path ...string) goja.Value {
		var o goja.Value = rt.GlobalObject()
		for _, p := range path {
			o = o.ToObject(rt).Get(p)
		}
		return o
	}
	fn := func(path ...string) goja.Callable {
		f, ok := goja.AssertFunction(get(path...))
		if !ok {
			panic(fmt.Sprintf("natives: built-in %v is not a function", path))
		}
		return f
	}
	ctor := func(name string) goja.Constructor {
		c, ok := goja.AssertConstructor(get(name))
		if !ok {
			panic(fmt.Sprintf("natives: built-in %s is not a constructor", name))
		}
		return c
	}
	in := &intrinsics{
		errorCtor:      ctor("Error"),
		syntaxErrCtor:  ctor("SyntaxError"),
		rangeErrCtor:   ctor("RangeError"),
		uint8ArrayCtor: ctor("Uint8Array"),
		promiseCtor:    get("Promise").ToObject(rt),
		isView:         fn("ArrayBuffer", "isView"),
		promiseThen:    fn("Promise", "prototype", "then"),
		jsonParse:      fn("JSON", "parse"),
		objectProto:    get("Object", "prototype").ToObject(rt),
		arrayBuffer:    get("ArrayBuffer").ToObject(rt),
	}
	v.SetAttachment(intrinsicsKey{}, in)
	return in
}

// newError makes a JavaScript Error with the given message.
func newError(v *vm.VM, msg string) *goja.Object {
	o, err := intrinsicsOf(v).errorCtor(nil, v.Runtime().ToValue(msg))
	if err != nil {
		panic(err)
	}
	return o
}

// newRangeError makes a JavaScript RangeError with the given message.
func newRangeError(v *vm.VM, msg string) *goja.Object {
	o, err := intrinsicsOf(v).rangeErrCtor(nil, v.Runtime().ToValue(msg))
	if err != nil {
		panic(err)
	}
	return o
}

// throwf throws a JavaScript Error from a native function.
func throwf(v *vm.VM, format string, args ...any) {
	panic(newError(v, fmt.Sprintf(format, args...)))
}

// throwTypef throws a JavaScript TypeError with a Node-like code.
// invalidReceiver makes the TypeError Node's inspect.custom of a class
// throws for an object that has the class's prototype but not its state:
// with code ERR_INVALID_THIS (or none, if code is ""), defined without
// running any setter a world may have put in the way.
func invalidReceiver(v *vm.VM, code, msg string) *goja.Object {
	e := v.Runtime().NewTypeError("%s", msg)
	if code != "" {
		_ = e.DefineDataProperty("code", v.Runtime().ToValue(code), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	}
	return e
}

func throwTypef(v *vm.VM, code, format string, args ...any) {
	e := v.Runtime().NewTypeError("%s", fmt.Sprintf(format, args...))
	if code != "" {
		_ = e.Set("code", code)
	}
	panic(e)
}

// newUint8Array makes a Uint8Array over a copy-free view of b.
func newUint8Array(v *vm.VM, b []byte) *goja.Object {
	rt := v.Runtime()
	o, err := intrinsicsOf(v).uint8ArrayCtor(nil, rt.ToValue(rt.NewArrayBuffer(b)))
	if err != nil {
		panic(err)
	}
	return o
}

// bytesOf returns the bytes a typed array, DataView or ArrayBuffer views,
// sharing memory with it; ok is false for other values.
func bytesOf(v *vm.VM, val goja.Value) (b []byte, ok bool) {
	o, isObj := val.(*goja.Object)
	if !isObj {
		return nil, false
	}
	if ab, isAB := o.Export().(goja.ArrayBuffer); isAB {
		return ab.Bytes(), true
	}
	isView, err := intrinsicsOf(v).isView(goja.Undefined(), o)
	if err != nil || !isView.ToBoolean() {
		return nil, false
	}
	if err := v.Runtime().ExportTo(o, &b); err != nil {
		return nil, false
	}
	return b, true
}

// defineHidden defines a non-enumerable, writable, configurable property.
func defineHidden(o *goja.Object, name string, val goja.Value) {
	_ = o.DefineDataProperty(name, val, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}
