package natives

import (
	"fmt"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm"
	"github.com/stasisvm/stasis/vm/heap"
)

// structuredClone(value) copies value as the HTML structured clone
// algorithm does: primitives, plain objects and arrays (own enumerable
// properties), Date, RegExp, Map, Set, ArrayBuffer, typed arrays, DataView,
// errors and boxed primitives, keeping shared references and cycles. A
// function, a symbol or another object with hidden state throws a
// DataCloneError. Class instances come back as plain objects.
func installStructuredClone(v *vm.VM) error {
	rt := v.Runtime()
	g := rt.GlobalObject()
	ctors := map[string]goja.Constructor{}
	for _, name := range []string{"Date", "RegExp", "Map", "Set", "DataView", "Error", "EvalError", "RangeError",
		"ReferenceError", "SyntaxError", "TypeError", "URIError", "Int8Array", "Uint8Array", "Uint8ClampedArray",
		"Int16Array", "Uint16Array", "Int32Array", "Uint32Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array"} {
		if c, ok := goja.AssertConstructor(g.Get(name)); ok {
			ctors[name] = c
		}
	}
	fn := v.NewFunction("structuredClone", 2, func(c goja.FunctionCall) goja.Value {
		if len(c.Arguments) == 0 {
			throwTypef(v, "ERR_MISSING_ARGS", "The \"value\" argument must be specified")
		}
		cl := &cloner{v: v, rt: rt, ctors: ctors, memo: map[*goja.Object]*goja.Object{}}
		return cl.clone(c.Argument(0))
	})
	return g.DefineDataProperty("structuredClone", fn, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
}

type cloner struct {
	v     *vm.VM
	rt    *goja.Runtime
	ctors map[string]goja.Constructor
	memo  map[*goja.Object]*goja.Object
}

func (cl *cloner) fail(what string) {
	e := newError(cl.v, fmt.Sprintf("%s could not be cloned.", what))
	_ = e.Set("name", "DataCloneError")
	_ = e.Set("code", 25)
	panic(e)
}

func (cl *cloner) construct(name string, args ...goja.Value) *goja.Object {
	ctor, ok := cl.ctors[name]
	if !ok {
		panic(fmt.Errorf("natives: %s is not a constructor", name))
	}
	o, err := ctor(nil, args...)
	if err != nil {
		rethrow(cl.v, err)
	}
	return o
}

func (cl *cloner) clone(val goja.Value) goja.Value {
	if s, ok := val.(*goja.Symbol); ok {
		cl.fail(s.String())
	}
	o, ok := val.(*goja.Object)
	if !ok {
		return val
	}
	if done, ok := cl.memo[o]; ok {
		return done
	}
	rt := cl.rt
	var out *goja.Object
	switch heap.KindOf(o) {
	case heap.KindOrdinary:
		out = rt.NewObject()
		cl.memo[o] = out
		cl.props(o, out)
	case heap.KindArray, heap.KindSparseArray:
		out = rt.NewArray()
		cl.memo[o] = out
		_ = out.Set("length", o.Get("length"))
		cl.props(o, out)
	case heap.KindDate:
		out = cl.construct("Date", rt.ToValue(o.Export()))
	case heap.KindRegExp:
		out = cl.construct("RegExp", o.Get("source"), o.Get("flags"))
	case heap.KindMap:
		out = cl.construct("Map")
		cl.memo[o] = out
		set, _ := goja.AssertFunction(out.Get("set"))
		cl.entries(o, func(k, val goja.Value) { _, _ = set(out, cl.clone(k), cl.clone(val)) })
	case heap.KindSet:
		out = cl.construct("Set")
		cl.memo[o] = out
		add, _ := goja.AssertFunction(out.Get("add"))
		cl.entries(o, func(k, _ goja.Value) { _, _ = add(out, cl.clone(k)) })
	case heap.KindArrayBuffer:
		data, _ := bytesOf(cl.v, o)
		out = rt.ToValue(rt.NewArrayBuffer(append([]byte(nil), data...))).(*goja.Object)
	case heap.KindTypedArray, heap.KindDataView:
		buf := cl.clone(o.Get("buffer"))
		name := "DataView"
		if heap.KindOf(o) == heap.KindTypedArray {
			name = o.Get("constructor").ToObject(rt).Get("name").String()
			if name == "Buffer" {
				name = "Uint8Array"
			}
		}
		length := o.Get("length")
		if name == "DataView" {
			length = o.Get("byteLength")
		}
		out = cl.construct(name, buf, o.Get("byteOffset"), length)
	case heap.KindError:
		name := o.Get("name").String()
		switch name {
		case "EvalError", "RangeError", "ReferenceError", "SyntaxError", "TypeError", "URIError":
		default:
			name = "Error"
		}
		out = cl.construct(name, o.Get("message"))
		cl.memo[o] = out
		if st := o.Get("stack"); st != nil {
			_ = out.DefineDataProperty("stack", st, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
		}
		if cause := o.Get("cause"); cause != nil && !goja.IsUndefined(cause) {
			_ = out.DefineDataProperty("cause", cl.clone(cause), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
		}
	case heap.KindPrimitive, heap.KindStringObject:
		if f, ok := goja.AssertFunction(o.Get("valueOf")); ok {
			pv, err := f(o)
			if err != nil {
				rethrow(cl.v, err)
			}
			out = pv.ToObject(rt)
		}
	default:
		if _, isFn := goja.AssertFunction(o); isFn {
			cl.fail(o.String())
		}
		cl.fail("#<" + cl.className(o) + ">")
	}
	cl.memo[o] = out
	return out
}

func (cl *cloner) className(o *goja.Object) string {
	if c, ok := o.Get("constructor").(*goja.Object); ok {
		if n := c.Get("name"); n != nil && n.String() != "" {
			return n.String()
		}
	}
	return "Object"
}

// props copies o's own enumerable string-keyed properties, cloned.
func (cl *cloner) props(o, out *goja.Object) {
	for _, k := range o.Keys() {
		_ = out.Set(k, cl.clone(o.Get(k)))
	}
}

// entries calls f with each entry of a Map or Set, in order.
func (cl *cloner) entries(o *goja.Object, f func(k, v goja.Value)) {
	entries, _ := goja.AssertFunction(o.Get("entries"))
	it, err := entries(o)
	if err != nil {
		rethrow(cl.v, err)
	}
	cl.rt.ForOf(it, func(e goja.Value) bool {
		eo := e.ToObject(cl.rt)
		f(eo.Get("0"), eo.Get("1"))
		return true
	})
}
